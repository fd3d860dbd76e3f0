import { ZSet, type ZNode } from '../zset.js';
import { arrayHeader, bulk, double, int, nullBulk, EMPTY_ARRAY, ZERO } from '../resp/encoder.js';
import { cmd, parseFloatStrict, parseInteger, type Command, type Ctx, WRONGTYPE, SYNTAX, NOT_FLOAT, NOT_INT, MAX_REPLY_ELEMENTS, REPLY_TOO_LONG } from './command.js';
import { isCompact, noteGrowth } from '../encoding.js';
import { scanCollection } from './scan-collection.js';
import { lexRange, MIN_OR_MAX_FLOAT, MIN_OR_MAX_LEX, rankNodes, scoreRange, walk, type Range } from './zrange-spec.js';

/** Sorted-set commands (t_zset.c). Empty sorted sets are deleted, as Redis does. */

/** The zset at key, undefined when missing, null when another type. */
export function lookup(ctx: Ctx, key: string): ZSet | undefined | null {
  const v = ctx.ks.get(key);
  if (v === undefined) return undefined;
  return v instanceof ZSet ? v : null;
}

export const err = (m: string): string => '-ERR ' + m + '\r\n';

/** zaddGenericCommand; ZINCRBY is ZADD INCR with the options slot empty. */
function zaddGeneric(ctx: Ctx, argv: string[], forceIncr: boolean): string {
  let nx = false, xx = false, gt = false, lt = false, ch = false, incr = forceIncr;
  let i = 2;
  for (; i < argv.length; i++) {
    const o = argv[i]!.toLowerCase();
    if (o === 'nx') nx = true;
    else if (o === 'xx') xx = true;
    else if (o === 'ch') ch = true;
    else if (o === 'incr') incr = true;
    else if (o === 'gt') gt = true;
    else if (o === 'lt') lt = true;
    else break;
  }
  const pairs = argv.length - i;
  if (pairs === 0 || pairs % 2 !== 0) return SYNTAX;
  if (nx && xx) return err('XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) return err('GT, LT, and/or NX options at the same time are not compatible');
  if (incr && pairs > 2) return err('INCR option supports a single increment-element pair');
  // Parse every score first: the command applies fully or not at all.
  const scores: number[] = [];
  for (let j = i; j < argv.length; j += 2) {
    const s = parseFloatStrict(argv[j]!);
    if (s === null) return NOT_FLOAT;
    scores.push(s);
  }
  const key = argv[1]!;
  let z = lookup(ctx, key);
  if (z === null) return WRONGTYPE;
  let added = 0, updated = 0, processed = 0;
  const fresh: string[] = [];
  let last = 0;
  let touched = false;
  for (let k = 0; k < scores.length; k++) {
    const member = argv[i + 1 + 2 * k]!;
    let score = scores[k]!;
    const cur = z?.scores.get(member);
    if (cur !== undefined) {
      if (nx) continue;
      if (incr) {
        score += cur;
        if (Number.isNaN(score)) return err('resulting score is not a number (NaN)');
      }
      if ((lt && score >= cur) || (gt && score <= cur)) continue;
      processed++;
      last = score;
      if (score === cur) continue;
      updated++;
    } else {
      if (xx) continue;
      processed++;
      last = score;
      added++;
      fresh.push(member);
    }
    // First change: create the key or record the copy-on-write before touching it.
    if (!touched) {
      touched = true;
      if (z === undefined) ctx.ks.set(key, (z = new ZSet()));
      else ctx.ks.mutate(key, z);
    }
    z!.add(member, score);
  }
  if (touched) noteGrowth(z!, fresh);
  if (incr) return processed ? double(last, ctx.resp) : nullBulk(ctx.resp);
  return int(ch ? added + updated : added);
}

function zscore(ctx: Ctx, argv: string[]): string {
  const z = lookup(ctx, argv[1]!);
  if (z === null) return WRONGTYPE;
  const s = z?.scores.get(argv[2]!);
  return s === undefined ? nullBulk(ctx.resp) : double(s, ctx.resp);
}

function zrem(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const z = lookup(ctx, key);
  if (z === undefined) return int(0);
  if (z === null) return WRONGTYPE;
  let n = 0;
  for (let i = 2; i < argv.length; i++) {
    if (!z.scores.has(argv[i]!)) continue;
    if (n === 0) ctx.ks.mutate(key, z);
    z.remove(argv[i]!);
    n++;
  }
  if (n > 0 && z.size === 0) ctx.ks.delete(key);
  return int(n);
}

function zcard(ctx: Ctx, argv: string[]): string {
  const z = lookup(ctx, argv[1]!);
  if (z === null) return WRONGTYPE;
  return int(z === undefined ? 0 : z.size);
}

function zrank(rev: boolean) {
  return (ctx: Ctx, argv: string[]): string => {
    const z = lookup(ctx, argv[1]!);
    if (z === null) return WRONGTYPE;
    if (z === undefined || !z.scores.has(argv[2]!)) return nullBulk(ctx.resp);
    const r = z.rank(argv[2]!);
    return int(rev ? z.size - 1 - r : r);
  };
}

function zmscore(ctx: Ctx, argv: string[]): string {
  const z = lookup(ctx, argv[1]!);
  if (z === null) return WRONGTYPE;
  let out = arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const s = z?.scores.get(argv[i]!);
    out += s === undefined ? nullBulk(ctx.resp) : double(s, ctx.resp);
  }
  return out;
}

/** ZCOUNT / ZLEXCOUNT: the range's length from the ranks of its ends, as Redis counts. */
function zcountGeneric(lex: boolean) {
  return (ctx: Ctx, argv: string[]): string => {
    const r = lex ? lexRange(argv[2]!, argv[3]!) : scoreRange(argv[2]!, argv[3]!);
    if (r === null) return lex ? MIN_OR_MAX_LEX : MIN_OR_MAX_FLOAT;
    const z = lookup(ctx, argv[1]!);
    if (z === undefined) return ZERO;
    if (z === null) return WRONGTYPE;
    return int(countRange(z, r));
  };
}

/**
 * ZCOUNT / ZLEXCOUNT as zcountCommand and zlexcountCommand count: a listpack from the first
 * member in range onwards while members stay under max; a skip list by the ranks of the first
 * and the last member in range (the length less what lies outside them). The two agree when the
 * range is well ordered, but BYLEX over mixed scores is not ("unspecified"): there the reverse
 * walk may find no last member where the forward walk found a first, which crashed the server
 * (`ZADD z 1 b 2 a 3 c`, `ZLEXCOUNT z (a (c`: redis-server answers 2).
 */
function countRange(z: ZSet, r: Range): number {
  const start = walk(z, r, false, 0, 1)[0];
  if (start === undefined) return 0;
  if (isCompact(z)) {
    let n = 0;
    for (let x: ZNode | null = start; x !== null && r.lteMax(x); x = x.next[0]!) n++;
    return n;
  }
  const len = z.size;
  let count = len - z.rank(start.member);
  const end = walk(z, r, true, 0, 1)[0];
  if (end !== undefined) count -= len - 1 - z.rank(end.member);
  return count;
}

/** ZREMRANGEBYRANK / BYSCORE / BYLEX (zremrangeGenericCommand). */
function zremrangeGeneric(by: 'rank' | 'score' | 'lex') {
  return (ctx: Ctx, argv: string[]): string => {
    let pick: (z: ZSet) => ZNode[];
    if (by === 'rank') {
      const start = parseInteger(argv[2]!);
      const end = parseInteger(argv[3]!);
      if (start === null || end === null) return NOT_INT;
      pick = (z) => rankNodes(z, start, end, false);
    } else {
      const r = by === 'score' ? scoreRange(argv[2]!, argv[3]!) : lexRange(argv[2]!, argv[3]!);
      if (r === null) return by === 'score' ? MIN_OR_MAX_FLOAT : MIN_OR_MAX_LEX;
      pick = (z) => walk(z, r, false);
    }
    const key = argv[1]!;
    const z = lookup(ctx, key);
    if (z === undefined) return ZERO;
    if (z === null) return WRONGTYPE;
    const gone = pick(z);
    if (gone.length === 0) return ZERO;
    if (gone.length === z.size) ctx.ks.delete(key);
    else {
      ctx.ks.mutate(key, z);
      for (const n of gone) z.remove(n.member);
    }
    return int(gone.length);
  };
}

/** ZRANDMEMBER key [count [WITHSCORES]]: count < 0 allows repeats. */
function zrandmember(ctx: Ctx, argv: string[]): string {
  if (argv.length === 2) {
    const z = lookup(ctx, argv[1]!);
    if (z === undefined) return nullBulk(ctx.resp);
    if (z === null) return WRONGTYPE;
    return bulk(z.at(Math.floor(Math.random() * z.size))!.member);
  }
  const l = parseInteger(argv[2]!);
  if (l === null) return NOT_INT;
  if (argv.length > 4 || (argv.length === 4 && argv[3]!.toLowerCase() !== 'withscores')) return SYNTAX;
  const withScores = argv.length === 4;
  if (withScores && Math.abs(l) > Number.MAX_SAFE_INTEGER / 2) return err('value is out of range');
  const z = lookup(ctx, argv[1]!);
  if (z === undefined) return EMPTY_ARRAY;
  if (z === null) return WRONGTYPE;
  if (l === 0) return EMPTY_ARRAY;
  if (-l > MAX_REPLY_ELEMENTS) return REPLY_TOO_LONG;
  const picked: ZNode[] = [];
  if (l < 0) {
    for (let i = 0; i < -l; i++) picked.push(z.at(Math.floor(Math.random() * z.size))!);
  } else if (l >= z.size) {
    for (const n of z.nodes()) picked.push(n);
  } else {
    // Partial Fisher-Yates over ranks: l distinct members in random order.
    const ranks = Array.from({ length: z.size }, (_, i) => i);
    for (let i = 0; i < l; i++) {
      const j = i + Math.floor(Math.random() * (ranks.length - i));
      [ranks[i], ranks[j]] = [ranks[j]!, ranks[i]!];
      picked.push(z.at(ranks[i]!)!);
    }
  }
  const r3 = ctx.resp === 3;
  let out = arrayHeader(withScores && !r3 ? picked.length * 2 : picked.length);
  for (const n of picked) out += withScores ? (r3 ? '*2\r\n' : '') + bulk(n.member) + double(n.score, ctx.resp) : bulk(n.member);
  return out;
}

const K1 = [1, 1, 1] as const;

export const zsetCommands: Command[] = [
  cmd('zadd', -4, ['write', 'fast'], K1, (ctx, argv) => zaddGeneric(ctx, argv, false)),
  cmd('zincrby', 4, ['write', 'fast'], K1, (ctx, argv) => zaddGeneric(ctx, argv, true)),
  cmd('zscore', 3, ['readonly', 'fast'], K1, zscore),
  cmd('zrem', -3, ['write', 'fast'], K1, zrem),
  cmd('zcard', 2, ['readonly', 'fast'], K1, zcard),
  cmd('zrank', 3, ['readonly', 'fast'], K1, zrank(false)),
  cmd('zrevrank', 3, ['readonly', 'fast'], K1, zrank(true)),
  cmd('zmscore', -3, ['readonly', 'fast'], K1, zmscore),
  cmd('zcount', 4, ['readonly', 'fast'], K1, zcountGeneric(false)),
  cmd('zlexcount', 4, ['readonly', 'fast'], K1, zcountGeneric(true)),
  cmd('zremrangebyrank', 4, ['write'], K1, zremrangeGeneric('rank')),
  cmd('zremrangebyscore', 4, ['write'], K1, zremrangeGeneric('score')),
  cmd('zremrangebylex', 4, ['write'], K1, zremrangeGeneric('lex')),
  cmd('zrandmember', -2, ['readonly'], K1, zrandmember),
  cmd('zscan', -3, ['readonly'], K1, (ctx, argv) => scanCollection(ctx, argv, 'zset')),
];
