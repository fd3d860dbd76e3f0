import type { RSet } from '../keyspace.js';
import { bulk, bulkArray, int, nullBulk, set as setReply, EMPTY_ARRAY, ONE, ZERO } from '../resp/encoder.js';
import { cmd, parseInteger, rewrite, type Command, type Ctx, WRONGTYPE, NOT_INT, SYNTAX, MAX_REPLY_ELEMENTS, REPLY_TOO_LONG } from './command.js';
import { forgetGrowth, noteGrowth } from '../encoding.js';
import { err, positiveLong, rangeLong } from './args.js';
import { scanCollection } from './scan-collection.js';

/** Set commands (t_set.c). Sets are JS Sets; empty sets are deleted, as Redis does. */

const NOT_POSITIVE = '-ERR value is out of range, must be positive\r\n';
/** spopWithCountCommand's threshold between popping members and rebuilding the set. */
const SPOP_MOVE_STRATEGY_MUL = 5;

/** The set at key, undefined when missing, null when another type. */
function lookup(ctx: Ctx, key: string): RSet | undefined | null {
  const v = ctx.ks.get(key);
  if (v === undefined) return undefined;
  return v instanceof Set ? v : null;
}

function sadd(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const s = lookup(ctx, key);
  if (s === null) return WRONGTYPE;
  if (s === undefined) {
    const created = new Set(argv.slice(2));
    ctx.ks.set(key, created);
    noteGrowth(created);
    return int(created.size);
  }
  let n = 0;
  for (let i = 2; i < argv.length; i++) {
    if (s.has(argv[i]!)) continue;
    if (n === 0) ctx.ks.mutate(key, s); // adding nothing new is not a write
    s.add(argv[i]!);
    n++;
  }
  if (n > 0) noteGrowth(s, argv, 2);
  return int(n);
}

function srem(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const s = lookup(ctx, key);
  if (s === undefined) return ZERO;
  if (s === null) return WRONGTYPE;
  let n = 0;
  for (let i = 2; i < argv.length; i++) {
    if (!s.has(argv[i]!)) continue;
    if (n === 0) ctx.ks.mutate(key, s);
    s.delete(argv[i]!);
    n++;
  }
  if (n > 0 && s.size === 0) ctx.ks.delete(key);
  return int(n);
}

function smembers(ctx: Ctx, argv: string[]): string {
  const s = lookup(ctx, argv[1]!);
  if (s === null) return WRONGTYPE;
  return setReply(s ?? [], ctx.resp);
}

function sismember(ctx: Ctx, argv: string[]): string {
  const s = lookup(ctx, argv[1]!);
  if (s === null) return WRONGTYPE;
  return s !== undefined && s.has(argv[2]!) ? ONE : ZERO;
}

function scard(ctx: Ctx, argv: string[]): string {
  const s = lookup(ctx, argv[1]!);
  if (s === null) return WRONGTYPE;
  return int(s === undefined ? 0 : s.size);
}

/** A uniformly random member (O(n): Sets have no random access). */
function randomMember(s: RSet): string {
  let i = Math.floor(Math.random() * s.size);
  for (const m of s) if (i-- === 0) return m;
  throw new Error('unreachable: empty set');
}

/** `k` distinct members in random order (partial Fisher-Yates). */
function sample(s: RSet, k: number): string[] {
  const a = [...s];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(Math.random() * (a.length - i));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  a.length = k;
  return a;
}

/**
 * SPOP is random, so it is propagated as what it did: SREM of the popped members (DEL when
 * the whole set went), keeping the AOF deterministic as Redis does.
 */
function spop(ctx: Ctx, argv: string[]): string {
  if (argv.length > 3) return SYNTAX;
  const key = argv[1]!;
  if (argv.length === 2) {
    const s = lookup(ctx, key);
    if (s === undefined) return nullBulk(ctx.resp);
    if (s === null) return WRONGTYPE;
    const m = randomMember(s);
    if (s.size === 1) ctx.ks.delete(key);
    else ctx.ks.mutate(key, s).delete(m);
    rewrite(ctx, ['SREM', key, m]);
    return bulk(m);
  }
  const count = parseInteger(argv[2]!);
  if (count === null || count < 0) return NOT_POSITIVE;
  const s = lookup(ctx, key);
  if (s === undefined) return setReply([], ctx.resp);
  if (s === null) return WRONGTYPE;
  if (count === 0) return setReply([], ctx.resp);
  if (count >= s.size) {
    const all = [...s];
    ctx.ks.delete(key);
    rewrite(ctx, ['DEL', key]);
    return setReply(all, ctx.resp);
  }
  const popped = sample(s, count);
  ctx.ks.mutate(key, s);
  for (const m of popped) s.delete(m);
  // Popping most of it, Redis builds a new set of the few left (CASE 3), encoded afresh.
  if (s.size * SPOP_MOVE_STRATEGY_MUL <= count) forgetGrowth(s);
  // Redis batches the SREMs too, keeping each propagated command bounded.
  for (let i = 0; i < popped.length; i += 1024) rewrite(ctx, ['SREM', key, ...popped.slice(i, i + 1024)]);
  return setReply(popped, ctx.resp);
}

/** SRANDMEMBER key [count]: count < 0 allows repeats; the reply is an array, not a set. */
function srandmember(ctx: Ctx, argv: string[]): string {
  if (argv.length > 3) return SYNTAX;
  const hasCount = argv.length === 3;
  const count = hasCount ? parseInteger(argv[2]!) : 0;
  if (count === null) return NOT_INT;
  const s = lookup(ctx, argv[1]!);
  if (s === null) return WRONGTYPE;
  if (!hasCount) return s === undefined ? nullBulk(ctx.resp) : bulk(randomMember(s));
  if (s === undefined || count === 0) return EMPTY_ARRAY;
  if (count > 0) return bulkArray(sample(s, Math.min(count, s.size)));
  if (-count > MAX_REPLY_ELEMENTS) return REPLY_TOO_LONG;
  const a = [...s];
  const out: string[] = [];
  for (let i = 0; i < -count; i++) out.push(a[Math.floor(Math.random() * a.length)]!);
  return bulkArray(out);
}

function smismember(ctx: Ctx, argv: string[]): string {
  const s = lookup(ctx, argv[1]!);
  if (s === null) return WRONGTYPE;
  let out = '*' + (argv.length - 2) + '\r\n';
  for (let i = 2; i < argv.length; i++) out += s !== undefined && s.has(argv[i]!) ? ONE : ZERO;
  return out;
}

function smove(ctx: Ctx, argv: string[]): string {
  const [, src, dst, m] = argv as [string, string, string, string];
  const from = lookup(ctx, src);
  const to = lookup(ctx, dst);
  if (from === undefined) return ZERO;
  if (from === null || to === null) return WRONGTYPE;
  if (from === to) return from.has(m) ? ONE : ZERO;
  if (!from.has(m)) return ZERO;
  if (from.size === 1) ctx.ks.delete(src);
  else ctx.ks.mutate(src, from).delete(m);
  if (to === undefined) {
    const created = new Set([m]);
    ctx.ks.set(dst, created);
    noteGrowth(created);
  } else if (!to.has(m)) {
    ctx.ks.mutate(dst, to).add(m);
    noteGrowth(to, argv, 3);
  }
  return ONE;
}

/** The sets at keys (missing = empty), or null when one holds another type. */
function sets(ctx: Ctx, keys: readonly string[]): RSet[] | null {
  const out: RSet[] = [];
  for (const k of keys) {
    const s = lookup(ctx, k);
    if (s === null) return null;
    out.push(s ?? new Set());
  }
  return out;
}

/** Members of every set (or up to `limit` of them, 0 = all), smallest set first as Redis walks. */
function intersect(all: RSet[], limit = 0): string[] {
  if (all.some((s) => s.size === 0)) return [];
  const byCard = [...all].sort((a, b) => a.size - b.size);
  const out: string[] = [];
  for (const m of byCard[0]!) {
    if (byCard.every((s) => s.has(m))) {
      out.push(m);
      if (limit > 0 && out.length >= limit) break;
    }
  }
  return out;
}

function union(all: RSet[]): string[] {
  const u = new Set<string>();
  for (const s of all) for (const m of s) u.add(m);
  return [...u];
}

function diff(all: RSet[]): string[] {
  const [first, ...rest] = all;
  return [...first!].filter((m) => !rest.some((s) => s.has(m)));
}

/** SINTER/SUNION/SDIFF and their STORE forms (dst at argv[1]). */
function setOp(op: (all: RSet[]) => string[], store: boolean) {
  return (ctx: Ctx, argv: string[]): string => {
    const all = sets(ctx, argv.slice(store ? 2 : 1));
    if (all === null) return WRONGTYPE;
    const members = op(all);
    if (!store) return setReply(members, ctx.resp);
    const dst = argv[1]!;
    if (members.length > 0) {
      const created = new Set(members);
      ctx.ks.set(dst, created);
      noteGrowth(created);
    } else if (ctx.ks.get(dst) !== undefined) ctx.ks.delete(dst);
    return int(members.length);
  };
}

/** SINTERCARD numkeys key... [LIMIT n] */
function sintercard(ctx: Ctx, argv: string[]): string {
  const numkeys = rangeLong(argv[1]!, 1, Number.MAX_SAFE_INTEGER, 'numkeys should be greater than 0');
  if (typeof numkeys === 'string') return numkeys;
  if (numkeys > argv.length - 2) return err("Number of keys can't be greater than number of args");
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    if (argv[j]!.toLowerCase() === 'limit' && j + 1 < argv.length) {
      const l = positiveLong(argv[++j]!, "LIMIT can't be negative");
      if (typeof l === 'string') return l;
      limit = l;
    } else return SYNTAX;
  }
  const all = sets(ctx, argv.slice(2, 2 + numkeys));
  if (all === null) return WRONGTYPE;
  return int(intersect(all, limit).length);
}

const K1 = [1, 1, 1] as const;

export const setCommands: Command[] = [
  cmd('sadd', -3, ['write', 'fast'], K1, sadd),
  cmd('srem', -3, ['write', 'fast'], K1, srem),
  cmd('smembers', 2, ['readonly'], K1, smembers),
  cmd('sismember', 3, ['readonly', 'fast'], K1, sismember),
  cmd('scard', 2, ['readonly', 'fast'], K1, scard),
  cmd('spop', -2, ['write', 'fast'], K1, spop),
  cmd('srandmember', -2, ['readonly'], K1, srandmember),
  cmd('smismember', -3, ['readonly', 'fast'], K1, smismember),
  cmd('smove', 4, ['write', 'fast'], [1, 2, 1], smove),
  cmd('sinter', -2, ['readonly'], [1, -1, 1], setOp((all) => intersect(all), false)),
  cmd('sinterstore', -3, ['write'], [1, -1, 1], setOp((all) => intersect(all), true)),
  cmd('sunion', -2, ['readonly'], [1, -1, 1], setOp(union, false)),
  cmd('sunionstore', -3, ['write'], [1, -1, 1], setOp(union, true)),
  cmd('sdiff', -2, ['readonly'], [1, -1, 1], setOp(diff, false)),
  cmd('sdiffstore', -3, ['write'], [1, -1, 1], setOp(diff, true)),
  cmd('sintercard', -3, ['readonly'], [0, 0, 0], sintercard),
  cmd('sscan', -3, ['readonly'], K1, (ctx, argv) => scanCollection(ctx, argv, 'set')),
];
