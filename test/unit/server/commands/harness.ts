import { Keyspace } from '../../../../src/server/keyspace.js';
import type { Client, Command, Ctx, ServerApi } from '../../../../src/server/commands/command.js';
import { wrongArgs } from '../../../../src/server/commands/command.js';
import { dataCommands } from '../../../../src/server/commands/index.js';
import type { Proto } from '../../../../src/server/resp/encoder.js';

/**
 * Runs data commands the way the server does: look the command up, check arity, reset the
 * rewrite slot, call the handler, and record what would be propagated (the rewritten form,
 * or argv, only for write commands that changed ks.dirty).
 */
export interface Harness {
  ks: Keyspace;
  ctx: Ctx;
  client: Client;
  /** Raw reply string. */
  run(...argv: string[]): string;
  /** Decoded reply (see decode). */
  call(...argv: string[]): Reply;
  /** What the last command propagated ([] when nothing). */
  lastPropagated: string[][];
  /** Everything propagated so far, in order. */
  aof: string[][];
}

export const table = new Map<string, Command>(dataCommands.map((c) => [c.name, c]));

export function harness(resp: Proto = 2): Harness {
  const ks = new Keyspace();
  const client: Client = {
    id: 1,
    name: '',
    resp,
    authenticated: true,
    libName: '',
    libVer: '',
    scanKeys: null,
    closeAfterReply: false,
  };
  // Data commands must not need the server; any use of it fails the test loudly.
  const server = new Proxy({}, {
    get: (_t, p) => () => {
      throw new Error(`data command called server.${String(p)}`);
    },
  }) as ServerApi;
  const ctx: Ctx = { ks, client, server, resp, rewritten: null };
  const h: Harness = {
    ks,
    ctx,
    client,
    lastPropagated: [],
    aof: [],
    run(...argv) {
      const c = table.get(argv[0]!.toLowerCase());
      if (c === undefined) return `-ERR unknown command '${argv[0]}'\r\n`;
      if ((c.arity > 0 && argv.length !== c.arity) || argv.length < -c.arity) return wrongArgs(c.name);
      ctx.rewritten = null;
      const before = ks.dirty;
      const reply = c.handler(ctx, argv);
      h.lastPropagated = c.flags.includes('write') && ks.dirty !== before ? (ctx.rewritten ?? [argv]) : [];
      h.aof.push(...h.lastPropagated);
      return reply;
    },
    call(...argv) {
      return decode(h.run(...argv));
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
