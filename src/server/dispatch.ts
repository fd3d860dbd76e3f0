import type { Client, Command, Ctx } from './commands/command.js';
import { CommandStat, type ErrorStats } from './command-stats.js';
import * as R from './resp/encoder.js';
import type { TxState } from './tx-state.js';

/** A command with its flags resolved once, so dispatch does no array scans. */
export interface Entry {
  readonly cmd: Command;
  readonly write: boolean;
  readonly noauth: boolean;
  readonly loading: boolean;
  /** refused between MULTI and EXEC */
  readonly noMulti: boolean;
  /** runs at once even between MULTI and EXEC instead of being queued (processCommand's list) */
  readonly txControl: boolean;
  /** EXEC: inside MULTI, dispatch runs the queue */
  readonly exec: boolean;
  /** INFO commandstats: calls, time, rejected and failed calls */
  readonly stats: CommandStat;
}

/** Commands processCommand runs instead of queuing while a client is in MULTI. */
const TX_CONTROL = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** Commands by name, each under its lower- and upper-case spelling. */
export type CommandTable = ReadonlyMap<string, Entry>;

export function commandTable(commands: readonly Command[]): CommandTable {
  const table = new Map<string, Entry>();
  for (const c of commands) {
    const e: Entry = {
      cmd: c,
      write: c.flags.includes('write'),
      noauth: c.flags.includes('noauth'),
      loading: c.flags.includes('loading'),
      noMulti: c.flags.includes('no_multi'),
      txControl: TX_CONTROL.has(c.name),
      exec: c.name === 'exec',
      stats: new CommandStat(),
    };
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
  /** `db`: the database the command ran in (the AOF writes SELECT when it changes). */
  propagate(argv: readonly string[], db: number): void;
  /** null, or the error reply that refuses writes now (MISCONF after a failed save, AOF write error). */
  writeRefusal(): string | null;
  /**
   * True while EXEC runs its queue (server.in_exec): BGSAVE and BGREWRITEAOF are scheduled
   * for after it, so no snapshot falls between a transaction's commands.
   */
  inExec?: boolean;
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
  /** INFO errorstats and total_error_replies */
  readonly errorStats: ErrorStats;
}

/** The connection state dispatch reads (auth, protocol) and writes (wroteThisTurn). */
export interface DispatchClient extends Client {
  /** Set when this client's write was propagated: a failed AOF flush must not acknowledge it. */
  wroteThisTurn: boolean;
}

const QUEUED = '+QUEUED\r\n';
const EXECABORT = '-EXECABORT Transaction discarded because of previous errors.\r\n';
const MULTI: readonly string[] = ['MULTI'];
const EXEC: readonly string[] = ['EXEC'];

/**
 * Runs one command as Redis's processCommand → call → propagate does, returning the encoded
 * reply. In order: lookup (unknown command), arity, auth (NOAUTH), no-multi, loading
 * (LOADING), then for write commands the persistence refusal (MISCONF); between MULTI and
 * EXEC the command is then queued (+QUEUED), and a refusal above dooms the transaction
 * (EXECABORT at EXEC). Otherwise the handler runs; a write command that changed ks.dirty
 * propagates argv, or the absolute forms it set with rewrite().
 * Server.execute and the command tests call this same function.
 */
export function dispatch(host: DispatchHost, client: DispatchClient, argv: string[]): string {
  const name = argv[0]!;
  const e = lookup(host.table, name);
  if (e === undefined) {
    client.tx?.flag();
    const args = argv.slice(1, 10).map((a) => `'${a.slice(0, 128)}'`).join(' ');
    const err = oneLine(R.error(`ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${args}${args ? ' ' : ''}`));
    host.errorStats.count(err);
    return err;
  }
  const c = e.cmd;
  const argc = argv.length;
  if ((c.arity > 0 && argc !== c.arity) || argc < -c.arity) {
    return reject(host, client, e, `-ERR wrong number of arguments for '${c.name}' command\r\n`);
  }
  if (!client.authenticated && !e.noauth) return reject(host, client, e, '-NOAUTH Authentication required.\r\n');
  const tx = client.tx;
  const inMulti = tx !== undefined && tx.multi;
  if (inMulti && e.noMulti) return reject(host, client, e, '-ERR Command not allowed inside a transaction\r\n');
  // EXEC carries the flags of what it queued (is_write_command, is_denyloading_command)
  const execing = inMulti && e.exec;
  if (host.loading && (!e.loading || (execing && tx.queuedNotLoading))) {
    return reject(host, client, e, '-LOADING Redis is loading the dataset in memory\r\n');
  }
  if (e.write || (execing && tx.queuedWrite)) {
    const refused = host.persistence.writeRefusal();
    if (refused !== null) return reject(host, client, e, refused);
  }
  if (inMulti) {
    if (!e.txControl) {
      tx.enqueue(e, argv);
      return QUEUED;
    }
    if (execing) {
      const t0 = performance.now();
      return account(host, e, execTransaction(host, client, tx), t0, true);
    }
  }
  return call(host, client, e, argv, null);
}

/**
 * A refused command (rejectCommand): inside MULTI it dooms the transaction; a refused EXEC
 * discards it and says why, as execCommandAbort words it.
 */
function reject(host: DispatchHost, client: DispatchClient, e: Entry, err: string): string {
  e.stats.rejected++;
  if (e.exec) {
    client.tx?.discard();
    const why = err.slice(err.startsWith('-ERR ') ? 5 : 1, -2);
    err = `-EXECABORT Transaction discarded because of: ${why}\r\n`;
  } else client.tx?.flag();
  host.errorStats.count(err);
  return err;
}

/**
 * Runs the handler (Redis's call()). A write that changed the dataset propagates its argv
 * (or its rewritten forms) to the AOF, or into `into` while a transaction runs.
 */
function call(host: DispatchHost, client: DispatchClient, e: Entry, argv: string[], into: Array<[argv: string[], db: number]> | null): string {
  const ctx = host.ctx;
  ctx.client = client;
  ctx.resp = client.resp;
  ctx.rewritten = null;
  ctx.force = false;
  const ks = (ctx.ks = ctx.dbs.get(client.db));
  const dirty = ks.dirty;
  // Only while someone is blocked: note the keys writes name, serve them when the outermost
  // command (EXEC, for the commands of a transaction) ends.
  const b = ctx.blocking !== undefined && ctx.blocking.waiting > 0 ? ctx.blocking : null;
  if (b !== null) b.depth++;
  const timed = e.stats.timeNext;
  const t0 = timed ? performance.now() : 0;
  const reply = runHandler(e, ctx, argv);
  const p = host.persistence;
  if (e.write && (ks.dirty !== dirty || (ctx.force as boolean)) && p.aofOn) {
    const rewritten = ctx.rewritten as string[][] | null; // set by the handler
    // The database the command ran in (MOVE's source; SELECT is not a write).
    const db = client.db;
    if (into !== null) {
      if (rewritten === null) into.push([argv, db]);
      else for (const a of rewritten) into.push([a, db]);
    } else if (rewritten === null) p.propagate(argv, db);
    else propagateUnit(p, rewritten, db);
    client.wroteThisTurn = true;
  }
  if (b !== null) {
    b.depth--;
    if (ks.dirty !== dirty) b.signal(argv, client.db);
    b.serve(host);
  }
  return account(host, e, reply, t0, timed);
}

/**
 * The handler's reply; a RangeError (a JS engine limit: V8 builds no string over ~537M chars, so
 * a GET of a value within a few bytes of proto-max-bulk-len's 512 MB cannot be answered) is the
 * client's error instead of the whole server's crash. What the command changed before it
 * threw stays changed and propagates, as its dirty count says. Blocking.rerun serves a
 * blocked client through this too.
 */
export function runHandler(e: Entry, ctx: Ctx, argv: string[]): string {
  try {
    const reply = e.cmd.handler(ctx, argv);
    return reply.charCodeAt(0) === 45 ? oneLine(reply) : reply; // '-': an error
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return `-ERR ${err.message}: more than the built-in server can build for one command\r\n`;
  }
}

/**
 * An error reply on one line, as addReplyErrorFormat makes it: a CR or LF of the client's own
 * (a key, a group or a command name quoted in the message) becomes a space. Left in, it ended
 * the reply early and the rest read as a reply of its own: `XGROUP CREATECONSUMER x "g\r\n+OK" c`
 * answered NOGROUP and then a forged +OK, and every later reply on that connection was one off.
 */
function oneLine(err: string): string {
  const end = err.length - 2;
  if (err.indexOf('\r') === end && err.indexOf('\n') === end + 1) return err;
  return err.slice(0, end).replace(/[\r\n]/g, ' ') + '\r\n';
}

/** Counts a call that ran (its time since t0 when timed) and, when it answered an error, the error. */
function account(host: DispatchHost, e: Entry, reply: string, t0: number, timed: boolean): string {
  const s = e.stats;
  s.calls++;
  if (timed) {
    s.sampled++;
    s.sampledUsec += (performance.now() - t0) * 1000;
  }
  if (reply.charCodeAt(0) === 45) {
    // '-'
    s.failed++;
    host.errorStats.count(reply);
  }
  return reply;
}

/**
 * EXEC (execCommand): -EXECABORT after a refused queuing, the null array when a watched key
 * was touched, else every queued command's reply in one array; a command's error is its
 * element and the rest still run. What the queue wrote reaches the AOF as one unit: wrapped
 * in MULTI … EXEC when it is more than one command, alone when it is one, nothing when it
 * changed nothing (Redis 7.0's propagatePendingCommands). It is all fed within this call,
 * so one flush, one write(), carries it.
 */
function execTransaction(host: DispatchHost, client: DispatchClient, tx: TxState): string {
  if (tx.dirtyExec) {
    tx.discard();
    return EXECABORT;
  }
  if (tx.dirtyAtExec()) {
    tx.discard();
    return R.nullArray(client.resp);
  }
  // unwatch first, as Redis does: the transaction's own writes must not mark it
  tx.unwatch();
  const queue = tx.queue;
  const ops: Array<[argv: string[], db: number]> = [];
  let out = R.arrayHeader(queue.length);
  let tooLong = false;
  const p = host.persistence;
  // Clients blocked on keys the transaction writes are served after it, not between its
  // commands; and its own blocking commands answer at once (CLIENT_DENY_BLOCKING).
  const b = host.ctx.blocking;
  if (b !== undefined) b.depth++;
  const denied = client.denyBlocking;
  client.denyBlocking = true;
  p.inExec = true;
  try {
    for (const q of queue) {
      const reply = call(host, client, q.entry, q.argv, ops);
      if (tooLong) continue; // every queued command still runs
      try {
        out += reply;
      } catch (err) {
        // V8's string limit again (1,100 GETs of a 512 KB value): the replies cannot be sent
        if (!(err instanceof RangeError)) throw err;
        tooLong = true;
        out = '';
      }
    }
  } finally {
    p.inExec = false;
    client.denyBlocking = denied;
    if (b !== undefined) b.depth--;
  }
  tx.discard();
  // MULTI in the first command's database and EXEC in the last one's, as
  // propagatePendingCommands does: the SELECTs fall before MULTI and between commands.
  if (ops.length === 1) p.propagate(ops[0]![0], ops[0]![1]);
  else if (ops.length > 1) {
    p.propagate(MULTI, ops[0]![1]);
    for (const [a, db] of ops) p.propagate(a, db);
    p.propagate(EXEC, ops.at(-1)![1]);
  }
  b?.serve(host);
  return tooLong ? EXEC_TOO_LONG : out;
}

const EXEC_TOO_LONG = '-ERR EXEC ran every queued command, but their replies together are more than the built-in server can build (V8 string limit)\r\n';

/**
 * What one command propagated, all in database `db`, as one unit, as Redis 7.0's
 * propagatePendingCommands: alone when it is one command, wrapped in MULTI … EXEC when it
 * is several (an XREADGROUP's XCLAIM per delivered entry), nothing when it is none.
 */
export function propagateUnit(p: Propagation, ops: readonly (readonly string[])[], db: number): void {
  if (ops.length === 1) p.propagate(ops[0]!, db);
  else if (ops.length > 1) {
    p.propagate(MULTI, db);
    for (const a of ops) p.propagate(a, db);
    p.propagate(EXEC, db);
  }
}

/** Runs a command from the AOF while loading: no checks, no propagation; unknown names throw. */
export function replay(host: DispatchHost, client: Client, argv: string[]): string {
  const c = lookup(host.table, argv[0]!)?.cmd;
  if (c === undefined) throw new Error(`Unknown command '${argv[0]}' reading the append only file`);
  const ctx = host.ctx;
  ctx.client = client;
  ctx.ks = ctx.dbs.get(client.db);
  ctx.resp = 2;
  ctx.rewritten = null;
  return c.handler(ctx, argv);
}
