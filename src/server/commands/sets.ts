import type { RSet } from '../keyspace.js';
import { bulk, bulkArray, int, nullBulk, set as setReply, EMPTY_ARRAY, ONE, ZERO } from '../resp/encoder.js';
import { cmd, parseInteger, rewrite, type Command, type Ctx, WRONGTYPE, NOT_INT, SYNTAX } from './command.js';

/** Set commands (t_set.c). Sets are JS Sets; empty sets are deleted, as Redis does. */

const NOT_POSITIVE = '-ERR value is out of range, must be positive\r\n';

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
    return int(created.size);
  }
  let n = 0;
  for (let i = 2; i < argv.length; i++) {
    if (s.has(argv[i]!)) continue;
    if (n === 0) ctx.ks.mutate(key, s); // adding nothing new is not a write
    s.add(argv[i]!);
    n++;
  }
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
  const a = [...s];
  const out: string[] = [];
  for (let i = 0; i < -count; i++) out.push(a[Math.floor(Math.random() * a.length)]!);
  return bulkArray(out);
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
];
