import { List } from '../keyspace.js';
import { bulk, bulkArray, nullArray, nullBulk } from '../resp/encoder.js';
import { cmd, rewrite, type Command, type Ctx, WRONGTYPE, SYNTAX } from './command.js';
import { blockTimeout, listSide, rangeLong } from './args.js';
import { lookup } from './lists.js';

/**
 * Pops that move or may wait (t_list.c): LMOVE, RPOPLPUSH, LMPOP and the blocking BLPOP,
 * BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP. Each propagates its non-blocking effect: LPOP/RPOP
 * [count] for the pops, LMOVE/RPOPLPUSH for the moves.
 */

/** Pops n from one end; deletes the key when emptied. Elements in pop order. */
function popN(ctx: Ctx, key: string, l: List, left: boolean, n: number): string[] {
  const items = l.items;
  if (n >= items.length) {
    ctx.ks.delete(key);
    return left ? items : items.slice().reverse();
  }
  ctx.ks.mutate(key, l);
  return left ? items.splice(0, n) : items.splice(items.length - n, n).reverse();
}

/**
 * lmoveGenericCommand: pops from src, pushes to dst, replies the element. `propagate` is what
 * the AOF gets (LMOVE/RPOPLPUSH). null when src is missing.
 */
function move(ctx: Ctx, src: string, dst: string, from: boolean, to: boolean, propagate: string[] | null): string | null {
  const s = lookup(ctx, src);
  if (s === undefined) return null;
  if (s === null) return WRONGTYPE;
  const d = lookup(ctx, dst);
  if (d === null) return WRONGTYPE;
  ctx.ks.mutate(src, s);
  const v = from ? s.items.shift()! : s.items.pop()!;
  if (d === undefined) ctx.ks.set(dst, new List([v]));
  else {
    ctx.ks.mutate(dst, d);
    if (to) d.items.unshift(v);
    else d.items.push(v);
  }
  // After the push: with src === dst the list is not empty again.
  if (s.items.length === 0 && ctx.ks.get(src) === s) ctx.ks.delete(src);
  if (propagate !== null) rewrite(ctx, propagate);
  return bulk(v);
}

function lmove(ctx: Ctx, argv: string[]): string {
  const from = listSide(argv[3]!);
  const to = listSide(argv[4]!);
  if (from === null || to === null) return SYNTAX;
  return move(ctx, argv[1]!, argv[2]!, from, to, null) ?? nullBulk(ctx.resp);
}

function rpoplpush(ctx: Ctx, argv: string[]): string {
  return move(ctx, argv[1]!, argv[2]!, false, true, null) ?? nullBulk(ctx.resp);
}

/** The first key holding a list, its list; WRONGTYPE on a key of another type first. */
function firstList(ctx: Ctx, keys: readonly string[]): [string, List] | string | null {
  for (const k of keys) {
    const l = lookup(ctx, k);
    if (l === undefined) continue;
    if (l === null) return WRONGTYPE;
    if (l.items.length > 0) return [k, l];
  }
  return null;
}

/** [key, [elements]] popped from the first non-empty list, propagated as [LR]POP key count. */
function mpop(ctx: Ctx, keys: readonly string[], left: boolean, count: number): string | null {
  const f = firstList(ctx, keys);
  if (f === null || typeof f === 'string') return f;
  const [key, l] = f;
  const n = Math.min(count, l.items.length);
  const popped = popN(ctx, key, l, left, n);
  rewrite(ctx, [left ? 'LPOP' : 'RPOP', key, String(n)]);
  return '*2\r\n' + bulk(key) + bulkArray(popped);
}

/** numkeys key... LEFT|RIGHT [COUNT n] from argv[at]: [keys, left, count] or an error reply. */
function parseMpop(argv: string[], at: number): [string[], boolean, number] | string {
  const numkeys = rangeLong(argv[at]!, 1, Number.MAX_SAFE_INTEGER, 'numkeys should be greater than 0');
  if (typeof numkeys === 'string') return numkeys;
  const whereAt = at + numkeys + 1;
  if (whereAt >= argv.length) return SYNTAX;
  const left = listSide(argv[whereAt]!);
  if (left === null) return SYNTAX;
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && argv[j]!.toLowerCase() === 'count' && j + 1 < argv.length) {
      const c = rangeLong(argv[++j]!, 1, Number.MAX_SAFE_INTEGER, 'count should be greater than 0');
      if (typeof c === 'string') return c;
      count = c;
    } else return SYNTAX;
  }
  return [argv.slice(at + 1, whereAt), left, count === -1 ? 1 : count];
}

function lmpop(ctx: Ctx, argv: string[]): string {
  const p = parseMpop(argv, 1);
  if (typeof p === 'string') return p;
  return mpop(ctx, p[0], p[1], p[2]) ?? nullArray(ctx.resp);
}

/** Blocks, or answers as a timeout would where blocking is not allowed (MULTI). */
function block(ctx: Ctx, argv: string[], keys: string[], deadline: number, nullReply: string): string {
  if (ctx.client.denyBlocking || ctx.blocking === undefined) return nullReply;
  return ctx.blocking.block(ctx, argv, keys, 'list', deadline);
}

/** BLPOP / BRPOP key... timeout: [key, element], propagated as LPOP/RPOP key. */
function bpop(left: boolean) {
  return (ctx: Ctx, argv: string[]): string => {
    const deadline = blockTimeout(argv[argv.length - 1]!);
    if (typeof deadline === 'string') return deadline;
    const keys = argv.slice(1, -1);
    const f = firstList(ctx, ctx.blocking?.candidates(keys) ?? keys);
    if (typeof f === 'string') return f;
    if (f !== null) {
      const [key, l] = f;
      const v = popN(ctx, key, l, left, 1)[0]!;
      rewrite(ctx, [left ? 'LPOP' : 'RPOP', key]);
      return '*2\r\n' + bulk(key) + bulk(v);
    }
    return block(ctx, argv, keys, deadline, nullArray(ctx.resp));
  };
}

/** BLMOVE src dst LEFT|RIGHT LEFT|RIGHT timeout, and BRPOPLPUSH src dst timeout. */
function blmoveGeneric(ctx: Ctx, argv: string[], from: boolean, to: boolean, timeoutArg: string, brpoplpush: boolean): string {
  const deadline = blockTimeout(timeoutArg);
  if (typeof deadline === 'string') return deadline;
  const [, src, dst] = argv as [string, string, string];
  const s = lookup(ctx, src);
  if (s === null) return WRONGTYPE;
  if (s === undefined) return block(ctx, argv, [src], deadline, nullBulk(ctx.resp));
  // Served after blocking, Redis spells the sides in lower case; at once, as the client did.
  const serving = ctx.blocking?.serving === true;
  const sides = serving ? [from ? 'left' : 'right', to ? 'left' : 'right'] : [argv[3]!, argv[4]!];
  const propagate = brpoplpush ? ['RPOPLPUSH', src, dst] : ['LMOVE', src, dst, ...sides];
  return move(ctx, src, dst, from, to, propagate)!;
}

function blmove(ctx: Ctx, argv: string[]): string {
  const from = listSide(argv[3]!);
  const to = listSide(argv[4]!);
  if (from === null || to === null) return SYNTAX;
  return blmoveGeneric(ctx, argv, from, to, argv[5]!, false);
}

function blmpop(ctx: Ctx, argv: string[]): string {
  const p = parseMpop(argv, 2);
  if (typeof p === 'string') return p;
  const deadline = blockTimeout(argv[1]!);
  if (typeof deadline === 'string') return deadline;
  const r = mpop(ctx, ctx.blocking?.candidates(p[0]) ?? p[0], p[1], p[2]);
  if (r !== null) return r;
  return block(ctx, argv, p[0], deadline, nullArray(ctx.resp));
}

export const listMoveCommands: Command[] = [
  cmd('lmove', 5, ['write'], [1, 2, 1], lmove),
  cmd('rpoplpush', 3, ['write'], [1, 2, 1], rpoplpush),
  cmd('lmpop', -4, ['write'], [0, 0, 0], lmpop),
  cmd('blpop', -3, ['write'], [1, -2, 1], bpop(true)),
  cmd('brpop', -3, ['write'], [1, -2, 1], bpop(false)),
  cmd('blmove', 6, ['write'], [1, 2, 1], blmove),
  cmd('brpoplpush', 4, ['write'], [1, 2, 1], (ctx, argv) => blmoveGeneric(ctx, argv, false, true, argv[3]!, true)),
  cmd('blmpop', -5, ['write'], [0, 0, 0], blmpop),
];
