import { Keyspace } from '../../../../src/server/keyspace.js';
import type { Command, Ctx, ServerApi } from '../../../../src/server/commands/command.js';
import { adminCommands } from '../../../../src/server/commands/admin-cmds.js';
import { connectionCommands } from '../../../../src/server/commands/connection-cmds.js';
import { dataCommands } from '../../../../src/server/commands/index.js';
import { transactionCommands } from '../../../../src/server/commands/transactions.js';
import { commandStatFields, ErrorStats } from '../../../../src/server/command-stats.js';
import { commandTable, dispatch, type DispatchClient, type DispatchHost } from '../../../../src/server/dispatch.js';
import type { Proto } from '../../../../src/server/resp/encoder.js';

/**
 * Runs data commands through the server's own dispatch (lookup, arity, checks, handler,
 * propagation), with an AOF that records what was propagated instead of writing it.
 */
export interface Harness {
  ks: Keyspace;
  ctx: Ctx;
  client: DispatchClient;
  /** Raw reply string. */
  run(...argv: string[]): string;
  /** Decoded reply (see decode). */
  call(...argv: string[]): Reply;
  /** What the last command propagated ([] when nothing). */
  lastPropagated: string[][];
  /** Everything propagated so far, in order. */
  aof: string[][];
  /** Another client of the same keyspace (WATCH tests): its run(). */
  other(): (...argv: string[]) => string;
  /** INFO commandstats / errorstats fields and total_error_replies, as the server renders them. */
  stats(): { commands: Record<string, string>; errors: Record<string, string>; totalErrorReplies: number };
}

/** The data commands by (lower-case) name, for tests that look at flags. */
export const table = new Map<string, Command>(dataCommands.map((c) => [c.name, c]));
const served = [...connectionCommands, ...adminCommands, ...transactionCommands, ...dataCommands];

function newClient(id: number, resp: Proto): DispatchClient {
  return { id, name: '', resp, authenticated: true, libName: '', libVer: '', closeAfterReply: false, wroteThisTurn: false };
}

export function harness(resp: Proto = 2): Harness {
  const ks = new Keyspace();
  const client = newClient(1, resp);
  // Data commands must not need the server; any use of it fails the test loudly.
  const server = new Proxy({}, {
    get: (_t, p) => () => {
      throw new Error(`data command called server.${String(p)}`);
    },
  }) as ServerApi;
  const ctx: Ctx = { ks, client, server, resp, rewritten: null };
  let propagated: string[][] = [];
  // a table per harness: its entries carry the command counters
  const dispatchTable = commandTable(served);
  const errorStats = new ErrorStats();
  const host: DispatchHost = {
    table: dispatchTable,
    ctx,
    errorStats,
    loading: false,
    persistence: {
      aofOn: true,
      propagate: (argv) => void propagated.push(argv as string[]),
      writeRefusal: () => null,
    },
  };
  const h: Harness = {
    ks,
    ctx,
    client,
    lastPropagated: [],
    aof: [],
    run(...argv) {
      propagated = [];
      const reply = dispatch(host, client, argv);
      h.lastPropagated = propagated;
      h.aof.push(...propagated);
      return reply;
    },
    call(...argv) {
      return decode(h.run(...argv));
    },
    stats() {
      const commands = commandStatFields(served.map((c) => [c.name, dispatchTable.get(c.name)!.stats] as const));
      return { commands, errors: errorStats.fields(), totalErrorReplies: errorStats.total };
    },
    other() {
      const c = newClient(2, resp);
      return (...argv) => {
        propagated = [];
        const reply = dispatch(host, c, argv);
        h.aof.push(...propagated);
        return reply;
      };
    },
  };
  return h;
}

export type Reply = string | number | null | { err: string } | Reply[];

/** Decodes one complete RESP2/RESP3 reply; maps flatten to [k, v, ...], sets to arrays. */
export function decode(s: string): Reply {
  let i = 0;
  const line = (): string => {
    const e = s.indexOf('\r\n', i);
    if (e < 0) throw new Error('truncated reply: ' + JSON.stringify(s));
    const l = s.slice(i, e);
    i = e + 2;
    return l;
  };
  const one = (): Reply => {
    const t = s[i++];
    const l = line();
    switch (t) {
      case '+':
        return l;
      case '-':
        return { err: l };
      case ':':
        return Number(l);
      case ',':
        return l === 'inf' ? Infinity : l === '-inf' ? -Infinity : Number(l);
      case '_':
        return null;
      case '$': {
        const n = Number(l);
        if (n < 0) return null;
        const v = s.slice(i, i + n);
        i += n + 2;
        return v;
      }
      case '*':
      case '~':
      case '%': {
        const n = Number(l);
        if (n < 0) return null;
        const out: Reply[] = [];
        for (let k = 0; k < (t === '%' ? 2 * n : n); k++) out.push(one());
        return out;
      }
      default:
        throw new Error('bad reply type ' + t + ' in ' + JSON.stringify(s));
    }
  };
  const r = one();
  if (i !== s.length) throw new Error('trailing bytes in reply: ' + JSON.stringify(s));
  return r;
}
