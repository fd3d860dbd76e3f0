import { List } from '../keyspace.js';
import { bulk, bulkArray, int, nullArray, nullBulk, EMPTY_ARRAY, OK, ZERO } from '../resp/encoder.js';
import { cmd, parseInteger, wrongArgs, type Command, type Ctx, WRONGTYPE, NOT_INT, NO_KEY, SYNTAX } from './command.js';
import { err, positiveLong } from './args.js';

/** List commands (t_list.c). Lists are JS arrays; empty lists are deleted, as Redis does. */

const OUT_OF_RANGE = '-ERR index out of range\r\n';
const NOT_POSITIVE = '-ERR value is out of range, must be positive\r\n';

/** The list at key, undefined when missing, null when another type. */
export function lookup(ctx: Ctx, key: string): List | undefined | null {
  const v = ctx.ks.get(key);
  if (v === undefined) return undefined;
  return v instanceof List ? v : null;
}

function push(left: boolean, onlyIfExists: boolean) {
  return (ctx: Ctx, argv: string[]): string => {
    const key = argv[1]!;
    const l = lookup(ctx, key);
    if (l === null) return WRONGTYPE;
    if (l === undefined) {
      if (onlyIfExists) return ZERO;
      const items = argv.slice(2);
      if (left) items.reverse(); // LPUSH a b c leaves c b a
      ctx.ks.set(key, new List(items));
      return int(items.length);
    }
    ctx.ks.mutate(key, l);
    if (left) {
      const head = argv.slice(2).reverse();
      l.items = head.concat(l.items);
    } else {
      for (let i = 2; i < argv.length; i++) l.items.push(argv[i]!);
    }
    return int(l.items.length);
  };
}

function pop(left: boolean, name: string) {
  return (ctx: Ctx, argv: string[]): string => {
    if (argv.length > 3) return wrongArgs(name);
    const hasCount = argv.length === 3;
    let count = 0;
    if (hasCount) {
      const n = parseInteger(argv[2]!);
      if (n === null || n < 0) return NOT_POSITIVE;
      count = n;
    }
    const key = argv[1]!;
    const l = lookup(ctx, key);
    if (l === undefined) return hasCount ? nullArray(ctx.resp) : nullBulk(ctx.resp);
    if (l === null) return WRONGTYPE;
    if (hasCount && count === 0) return EMPTY_ARRAY;
    const n = hasCount ? Math.min(count, l.items.length) : 1;
    let popped: string[];
    if (n === l.items.length) {
      popped = l.items;
      ctx.ks.delete(key);
      if (!left) popped = popped.slice().reverse();
    } else {
      ctx.ks.mutate(key, l);
      popped = left ? l.items.splice(0, n) : l.items.splice(l.items.length - n, n).reverse();
    }
    return hasCount ? bulkArray(popped) : bulk(popped[0]!);
  };
}

/** Redis's start/end normalisation for LRANGE and LTRIM: [start, end] or null when empty. */
function range(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

function lrange(ctx: Ctx, argv: string[]): string {
  const start = parseInteger(argv[2]!);
  const end = parseInteger(argv[3]!);
  if (start === null || end === null) return NOT_INT;
  const l = lookup(ctx, argv[1]!);
  if (l === undefined) return EMPTY_ARRAY;
  if (l === null) return WRONGTYPE;
  const r = range(start, end, l.items.length);
  return r === null ? EMPTY_ARRAY : bulkArray(l.items.slice(r[0], r[1] + 1));
}

function llen(ctx: Ctx, argv: string[]): string {
  const l = lookup(ctx, argv[1]!);
  if (l === null) return WRONGTYPE;
  return int(l === undefined ? 0 : l.items.length);
}

function lindex(ctx: Ctx, argv: string[]): string {
  const l = lookup(ctx, argv[1]!);
  if (l === undefined) return nullBulk(ctx.resp);
  if (l === null) return WRONGTYPE;
  const i = parseInteger(argv[2]!);
  if (i === null) return NOT_INT;
  const v = l.items[i < 0 ? l.items.length + i : i];
  return v === undefined ? nullBulk(ctx.resp) : bulk(v);
}

function lset(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const l = lookup(ctx, key);
  if (l === undefined) return NO_KEY;
  if (l === null) return WRONGTYPE;
  let i = parseInteger(argv[2]!);
  if (i === null) return NOT_INT;
  if (i < 0) i += l.items.length;
  if (i < 0 || i >= l.items.length) return OUT_OF_RANGE;
  ctx.ks.mutate(key, l).items[i] = argv[3]!;
  return OK;
}

function lrem(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const count = parseInteger(argv[2]!);
  if (count === null) return NOT_INT;
  const l = lookup(ctx, key);
  if (l === undefined) return ZERO;
  if (l === null) return WRONGTYPE;
  const el = argv[3]!;
  const items = l.items;
  const limit = count === 0 ? Infinity : Math.abs(count);
  // Mark the indexes to drop, from the head (count >= 0) or the tail (count < 0).
  const drop = new Set<number>();
  if (count >= 0) {
    for (let i = 0; i < items.length && drop.size < limit; i++) if (items[i] === el) drop.add(i);
  } else {
    for (let i = items.length - 1; i >= 0 && drop.size < limit; i--) if (items[i] === el) drop.add(i);
  }
  if (drop.size === 0) return ZERO;
  if (drop.size === items.length) {
    ctx.ks.delete(key);
  } else {
    ctx.ks.mutate(key, l);
    l.items = items.filter((_, i) => !drop.has(i));
  }
  return int(drop.size);
}

function ltrim(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const start = parseInteger(argv[2]!);
  const end = parseInteger(argv[3]!);
  if (start === null || end === null) return NOT_INT;
  const l = lookup(ctx, key);
  if (l === undefined) return OK;
  if (l === null) return WRONGTYPE;
  const len = l.items.length;
  const r = range(start, end, len);
  if (r === null) {
    ctx.ks.delete(key);
  } else if (r[0] > 0 || r[1] < len - 1) {
    // Only a real trim is a write (Redis adds the removed count to dirty).
    ctx.ks.mutate(key, l);
    l.items = l.items.slice(r[0], r[1] + 1);
  }
  return OK;
}

/** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot. */
function linsert(ctx: Ctx, argv: string[]): string {
  const where = argv[2]!.toLowerCase();
  if (where !== 'before' && where !== 'after') return SYNTAX;
  const key = argv[1]!;
  const l = lookup(ctx, key);
  if (l === undefined) return ZERO;
  if (l === null) return WRONGTYPE;
  const i = l.items.indexOf(argv[3]!);
  if (i < 0) return int(-1);
  ctx.ks.mutate(key, l).items.splice(where === 'after' ? i + 1 : i, 0, argv[4]!);
  return int(l.items.length);
}

/** LPOS key element [RANK rank] [COUNT n] [MAXLEN len] (lposCommand). */
function lpos(ctx: Ctx, argv: string[]): string {
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const o = argv[j]!.toLowerCase();
    const more = j + 1 < argv.length;
    if (o === 'rank' && more) {
      const r = parseInteger(argv[++j]!);
      if (r === null) return NOT_INT;
      if (r === 0) {
        return err("RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
      }
      rank = r;
    } else if (o === 'count' && more) {
      const c = positiveLong(argv[++j]!, "COUNT can't be negative");
      if (typeof c === 'string') return c;
      count = c;
    } else if (o === 'maxlen' && more) {
      const m = positiveLong(argv[++j]!, "MAXLEN can't be negative");
      if (typeof m === 'string') return m;
      maxlen = m;
    } else return SYNTAX;
  }
  const fromTail = rank < 0;
  if (fromTail) rank = -rank;
  const l = lookup(ctx, argv[1]!);
  if (l === undefined) return count !== -1 ? EMPTY_ARRAY : nullBulk(ctx.resp);
  if (l === null) return WRONGTYPE;
  const items = l.items;
  const el = argv[2]!;
  const len = items.length;
  const found: number[] = [];
  let matches = 0;
  for (let index = 0; index < len && (maxlen === 0 || index < maxlen); index++) {
    const at = fromTail ? len - 1 - index : index;
    if (items[at] !== el) continue;
    matches++;
    if (matches < rank) continue;
    found.push(at);
    if (count === -1 || (count !== 0 && found.length >= count)) break;
  }
  if (count !== -1) return '*' + found.length + '\r\n' + found.map(int).join('');
  return found.length > 0 ? int(found[0]!) : nullBulk(ctx.resp);
}

const K1 = [1, 1, 1] as const;

export const listCommands: Command[] = [
  cmd('lpush', -3, ['write', 'fast'], K1, push(true, false)),
  cmd('rpush', -3, ['write', 'fast'], K1, push(false, false)),
  cmd('lpushx', -3, ['write', 'fast'], K1, push(true, true)),
  cmd('rpushx', -3, ['write', 'fast'], K1, push(false, true)),
  cmd('lpop', -2, ['write', 'fast'], K1, pop(true, 'lpop')),
  cmd('rpop', -2, ['write', 'fast'], K1, pop(false, 'rpop')),
  cmd('lrange', 4, ['readonly'], K1, lrange),
  cmd('llen', 2, ['readonly', 'fast'], K1, llen),
  cmd('lindex', 3, ['readonly'], K1, lindex),
  cmd('lset', 4, ['write'], K1, lset),
  cmd('lrem', 4, ['write'], K1, lrem),
  cmd('ltrim', 4, ['write'], K1, ltrim),
  cmd('linsert', 5, ['write'], K1, linsert),
  cmd('lpos', -3, ['readonly'], K1, lpos),
];
