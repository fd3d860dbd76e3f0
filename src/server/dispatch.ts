import type { Client, Command, Ctx } from './commands/command.js';
import * as R from './resp/encoder.js';

/** A command with its flags resolved once, so dispatch does no array scans. */
export interface Entry {
  readonly cmd: Command;
  readonly write: boolean;
  readonly noauth: boolean;
  readonly loading: boolean;
}

/** Commands by name, each under its lower- and upper-case spelling. */
export type CommandTable = ReadonlyMap<string, Entry>;

export function commandTable(commands: readonly Command[]): CommandTable {
  const table = new Map<string, Entry>();
  for (const c of commands) {
    const e: Entry = { cmd: c, write: c.flags.includes('write'), noauth: c.flags.includes('noauth'), loading: c.flags.includes('loading') };
    table.set(c.name, e);
    table.set(c.name.toUpperCase(), e);
  }
  return table;
}

/** The table holds lower- and upper-case names; anything else is lowered once. */
export function lookup(table: CommandTable, name: string): Entry | undefined {
  return table.get(name) ?? table.get(name.toLowerCase());
}

/** Where write commands go after they changed the dataset (the server's Persistence). */
export interface Propagation {
  /** False when nothing takes propagated commands (no AOF): dispatch then skips propagation. */
  readonly aofOn: boolean;
  propagate(argv: readonly string[]): void;
  /** null, or the error reply that refuses writes now (MISCONF after a failed save, AOF write error). */
  writeRefusal(): string | null;
}

/** What dispatch needs from its caller: the server, or the command tests' harness. */
export interface DispatchHost {
  readonly table: CommandTable;
  /**
   * The handlers' context (keyspace, ServerApi), reused for every command: dispatch sets its
   * client, resp and rewritten slot, so a command allocates nothing here.
   */
  readonly ctx: Ctx;
  /** True while the dataset loads: only commands flagged 'loading' run. */
  readonly loading: boolean;
  readonly persistence: Propagation;
}

/** The connection state dispatch reads (auth, protocol) and writes (wroteThisTurn). */
export interface DispatchClient extends Client {
  /** Set when this client's write was propagated: a failed AOF flush must not acknowledge it. */
  wroteThisTurn: boolean;
}

/**
 * Runs one command as Redis's processCommand → call → propagate does, returning the encoded
 * reply. In order: lookup (unknown command), arity, auth (NOAUTH), loading (LOADING), then
 * for write commands the persistence refusal (MISCONF); the handler runs; a write command
 * that changed ks.dirty propagates argv, or the absolute forms it set with rewrite().
 * Server.execute and the command tests call this same function.
 */
export function dispatch(host: DispatchHost, client: DispatchClient, argv: string[]): string {
  const name = argv[0]!;
  const e = lookup(host.table, name);
  if (e === undefined) {
    const args = argv.slice(1, 10).map((a) => `'${a.slice(0, 128)}'`).join(' ');
    return R.error(`ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${args}${args ? ' ' : ''}`);
  }
  const c = e.cmd;
  const argc = argv.length;
  if ((c.arity > 0 && argc !== c.arity) || argc < -c.arity) {
    return R.error(`ERR wrong number of arguments for '${c.name}' command`);
  }
  if (!client.authenticated && !e.noauth) return '-NOAUTH Authentication required.\r\n';
  if (host.loading && !e.loading) return '-LOADING Redis is loading the dataset in memory\r\n';
  const isWrite = e.write;
  const p = host.persistence;
  if (isWrite) {
    const refused = p.writeRefusal();
    if (refused !== null) return refused;
  }
  const ctx = host.ctx;
  ctx.client = client;
  ctx.resp = client.resp;
  ctx.rewritten = null;
  const ks = ctx.ks;
  const dirty = ks.dirty;
  // Only while someone is blocked: note the keys writes name, serve them when the outermost command ends.
  const b = ctx.blocking !== undefined && ctx.blocking.waiting > 0 ? ctx.blocking : null;
  if (b !== null) b.depth++;
  const reply = c.handler(ctx, argv);
  if (isWrite && ks.dirty !== dirty && p.aofOn) {
    const rewritten = ctx.rewritten as string[][] | null; // set by the handler
    if (rewritten === null) p.propagate(argv);
    else for (const a of rewritten) p.propagate(a);
    client.wroteThisTurn = true;
  }
  if (b !== null) {
    b.depth--;
    if (ks.dirty !== dirty) b.signal(argv);
    b.serve(host);
  }
  return reply;
}

/** Runs a command from the AOF while loading: no checks, no propagation; unknown names throw. */
export function replay(host: DispatchHost, client: Client, argv: string[]): string {
  const c = lookup(host.table, argv[0]!)?.cmd;
  if (c === undefined) throw new Error(`Unknown command '${argv[0]}' reading the append only file`);
  const ctx = host.ctx;
  ctx.client = client;
  ctx.resp = 2;
  ctx.rewritten = null;
  return c.handler(ctx, argv);
}
