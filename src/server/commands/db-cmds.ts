import { int, OK, ONE, ZERO } from '../resp/encoder.js';
import { err, intArg } from './args.js';
import { cmd, type Command, type Ctx, SYNTAX } from './command.js';

/** The commands about databases (db.c): SELECT, MOVE, SWAPDB, FLUSHDB, FLUSHALL, DBSIZE. */

export const OUT_OF_RANGE = err('DB index is out of range');
export const SAME_OBJECT = err('source and destination objects are the same');

/** A database number argument (getIntFromObjectOrReply + selectDb): the id, or the error reply. */
export function dbIndex(ctx: Ctx, s: string, msg?: string): number | string {
  const id = intArg(s, msg);
  if (typeof id === 'string') return id;
  return ctx.dbs.inRange(id) ? id : OUT_OF_RANGE;
}

function select(ctx: Ctx, argv: string[]): string {
  const id = dbIndex(ctx, argv[1]!);
  if (typeof id === 'string') return id;
  ctx.client.db = id;
  return OK;
}

/** MOVE key db: the key (value and TTL) leaves this database for `db`, unless it is there already. */
function move(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const id = dbIndex(ctx, argv[2]!);
  if (typeof id === 'string') return id;
  if (id === ctx.client.db) return SAME_OBJECT;
  const src = ctx.ks;
  if (src.get(key) === undefined) return ZERO;
  const dst = ctx.dbs.get(id);
  if (dst.get(key) !== undefined) return ZERO;
  const r = src.record(key)!;
  const dirty = src.dirty;
  // The value object moves; the source's copy-on-write hook sees it before it goes.
  src.delete(key);
  dst.put(key, r);
  src.dirty = dirty + 1; // one change, as Redis counts it
  ctx.blocking?.signalKey(id, key);
  return ONE;
}

/** SWAPDB a b: the two databases trade data; clients stay in the database they selected. */
function swapdb(ctx: Ctx, argv: string[]): string {
  const a = intArg(argv[1]!, 'invalid first DB index');
  if (typeof a === 'string') return a;
  const b = intArg(argv[2]!, 'invalid second DB index');
  if (typeof b === 'string') return b;
  if (!ctx.dbs.inRange(a) || !ctx.dbs.inRange(b)) return OUT_OF_RANGE;
  ctx.dbs.swap(a, b);
  ctx.ks.dirty++;
  if (a !== b) {
    // Clients blocked on a key of either database may find it there now.
    ctx.blocking?.signalDb(a);
    ctx.blocking?.signalDb(b);
  }
  return OK;
}

/** FLUSHDB / FLUSHALL [ASYNC|SYNC] (getFlushCommandFlags): both flush at once here. */
function flushArgs(argv: string[]): string | null {
  if (argv.length === 1) return null;
  if (argv.length === 2) {
    const m = argv[1]!.toLowerCase();
    if (m === 'async' || m === 'sync') return null;
  }
  return SYNTAX;
}

function flushdb(ctx: Ctx, argv: string[]): string {
  const bad = flushArgs(argv);
  if (bad !== null) return bad;
  ctx.ks.flush();
  // forceCommandPropagation: an empty database's FLUSHDB still reaches the AOF.
  ctx.force = true;
  return OK;
}

function flushall(ctx: Ctx, argv: string[]): string {
  const bad = flushArgs(argv);
  if (bad !== null) return bad;
  ctx.dbs.flushAll();
  ctx.server.flushedAll();
  ctx.force = true;
  return OK;
}

const K0 = [0, 0, 0] as const;

export const databaseCommands: Command[] = [
  cmd('select', 2, ['loading', 'fast'], K0, select),
  cmd('move', 3, ['write', 'fast'], [1, 1, 1], move),
  cmd('swapdb', 3, ['write', 'fast'], K0, swapdb),
  cmd('flushdb', -1, ['write'], K0, flushdb),
  cmd('flushall', -1, ['write'], K0, flushall),
  cmd('dbsize', 1, ['readonly', 'fast'], K0, (ctx) => int(ctx.ks.size)),
];
