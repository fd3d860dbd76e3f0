import type { Blocking } from '../blocking.js';
import type { Databases } from '../databases.js';
import type { Keyspace } from '../keyspace.js';
import type { Proto } from '../resp/encoder.js';
import type { TxState } from '../tx-state.js';

/**
 * The command table's shape, as Redis and godis have it: {name, arity, flags, keys, handler}.
 * Arity: positive = exact argc (name included), negative = at least -arity.
 * Handlers return the encoded reply. They never do I/O: after a write command changed the
 * dataset, the server propagates argv (or the absolute form a handler set with ctx.rewrite)
 * to the AOF through an injected callback.
 */
export type CommandFlag =
  | 'write' // changes data: propagated, refused under MISCONF / AOF write errors
  | 'readonly'
  | 'admin'
  | 'noauth' // allowed before AUTH
  | 'loading' // allowed while loading
  | 'fast'
  | 'noscript'
  | 'no_multi'; // refused between MULTI and EXEC (SAVE, SHUTDOWN)

export interface Client {
  readonly id: number;
  name: string;
  resp: Proto;
  /** The selected database (SELECT). */
  db: number;
  authenticated: boolean;
  libName: string;
  libVer: string;
  /** Keys of the last SCAN 0, so cursors page through a stable list. */
  /** Set by QUIT: close after the reply is written. */
  closeAfterReply: boolean;
  /** Inside MULTI/EXEC (or a script): blocking commands answer at once, as on a timeout. */
  denyBlocking?: boolean;
  /** MULTI/WATCH state, made on first use (commands/transactions.ts). */
  tx?: TxState;
}

/** What server-level commands (INFO, CONFIG, SAVE, SHUTDOWN...) need from the server. */
export interface ServerApi {
  info(section: string | undefined, client: Client): string;
  configGet(pattern: string): Array<[string, string]>;
  /** Throws an Error whose message is the reply text (without "-ERR ") on a bad value. */
  configSet(name: string, value: string): void;
  resetStats(): void;
  /** Number of connected clients. */
  clientCount(): number;
  requirepass(): string;
  shutdown(mode: 'save' | 'nosave' | 'default'): string | null;
  save(): string;
  bgsave(schedule: boolean): string;
  bgrewriteaof(): string;
  lastsave(): number;
  /**
   * After FLUSHALL (flushAllDataAndResetRDB): a BGSAVE in progress is stopped, and with save
   * points the now empty dataset is saved at once, so dump.rdb cannot bring the keys back.
   */
  flushedAll(): void;
  commands(): readonly Command[];
}

export interface Ctx {
  /** The client's selected database: dispatch sets it before every command. */
  ks: Keyspace;
  /** Every database (SELECT, MOVE, SWAPDB, FLUSHALL, COPY … DB). */
  dbs: Databases;
  client: Client;
  server: ServerApi;
  resp: Proto;
  /** What to propagate instead of argv (e.g. EXPIRE as PEXPIREAT). Reset per command. */
  rewritten: string[][] | null;
  /**
   * Propagate even if nothing changed (Redis's forceCommandPropagation: FLUSHALL and FLUSHDB
   * of empty databases still reach the AOF). Reset per command.
   */
  force?: boolean;
  /** Clients blocked on keys (absent where nothing can block, e.g. AOF replay). */
  blocking?: Blocking;
}

export interface Command {
  name: string;
  arity: number;
  flags: readonly CommandFlag[];
  firstKey: number;
  lastKey: number;
  step: number;
  handler: (ctx: Ctx, argv: string[]) => string;
}

/** Shorthand for table entries: cmd('get', 2, ['readonly', 'fast'], [1, 1, 1], handler). */
export function cmd(
  name: string,
  arity: number,
  flags: readonly CommandFlag[],
  keys: readonly [number, number, number],
  handler: Command['handler'],
): Command {
  return { name, arity, flags, firstKey: keys[0], lastKey: keys[1], step: keys[2], handler };
}

/** Records the propagated form of the current command (may be called more than once). */
export function rewrite(ctx: Ctx, argv: string[]): void {
  (ctx.rewritten ??= []).push(argv);
}

export const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
export const SYNTAX = '-ERR syntax error\r\n';
export const NOT_INT = '-ERR value is not an integer or out of range\r\n';
/**
 * More elements than one reply can hold here: V8 builds no string over ~537M chars, and an
 * element is at least 6 (`$0\r\n\r\n`). SRANDMEMBER, ZRANDMEMBER and HRANDFIELD with a count of
 * -2147483648 grew their array of picks past V8's limit, a fatal error no catch can stop.
 */
export const MAX_REPLY_ELEMENTS = Math.floor(((1 << 29) - 24) / 6);
export const REPLY_TOO_LONG = '-ERR count too large: its reply is more than the built-in server can build (V8 string limit)\r\n';
export const NOT_FLOAT = '-ERR value is not a valid float\r\n';
export const NO_KEY = '-ERR no such key\r\n';
export const OVERFLOW = '-ERR increment or decrement would overflow\r\n';

/** Redis's string2ll: optional '-', digits, no spaces or '+', within int64. */
export function parseInteger(s: string): number | null {
  if (s.length === 0 || s.length > 20) return null;
  if (!/^-?(0|[1-9][0-9]*)$/.test(s)) return null;
  const n = Number(s);
  // Values beyond 2^53 lose precision in JS; refuse them rather than silently round.
  if (!Number.isSafeInteger(n)) return null;
  return n;
}

/** Redis's strtold-style float parse for scores and increments ("inf", "-inf" allowed). */
export function parseFloatStrict(s: string): number | null {
  if (s.length === 0) return null;
  const l = s.toLowerCase();
  if (l === 'inf' || l === '+inf' || l === 'infinity' || l === '+infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isNaN(n) ? null : n;
}

export function wrongArgs(name: string): string {
  return `-ERR wrong number of arguments for '${name}' command\r\n`;
}
