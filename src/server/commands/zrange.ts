import type { ZSet } from '../keyspace.js';
import { bulk, double, EMPTY_ARRAY } from '../resp/encoder.js';
import { cmd, parseFloatStrict, parseInteger, type Command, type Ctx, WRONGTYPE, SYNTAX, NOT_INT } from './command.js';
import { err, lookup } from './zsets.js';

/** ZRANGE and ZREVRANGE: rank, BYSCORE and BYLEX ranges, REV, LIMIT, WITHSCORES (t_zset.c). */

/** A score bound: "(1.5" is exclusive, "-inf"/"+inf" open ends. */
function scoreBound(s: string): { v: number; ex: boolean } | null {
  const ex = s.charCodeAt(0) === 40; /* ( */
  const v = parseFloatStrict(ex ? s.slice(1) : s);
  return v === null ? null : { v, ex };
}

/** A lex bound: "[a" inclusive, "(a" exclusive, "-" and "+" the open ends. */
function lexBound(s: string): { v: string; ex: boolean; inf: -1 | 0 | 1 } | null {
  if (s === '-') return { v: '', ex: false, inf: -1 };
  if (s === '+') return { v: '', ex: false, inf: 1 };
  const c = s.charCodeAt(0);
  if (c !== 40 && c !== 91) return null;
  return { v: s.slice(1), ex: c === 40, inf: 0 };
}

/** Redis's rank normalisation (as LRANGE); REV counts ranks from the highest score. */
function rankRange(z: ZSet, start: number, end: number, rev: boolean): string[] {
  const len = z.size;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return [];
  if (end >= len) end = len - 1;
  const o = z.ordered();
  return rev ? o.slice(len - 1 - end, len - start).reverse() : o.slice(start, end + 1);
}

/** sdscmplex: "-" sorts before and "+" after every string. */
function lexCompare(a: { v: string; inf: number }, b: { v: string; inf: number }): number {
  if (a.inf !== 0 || b.inf !== 0) return a.inf === b.inf ? 0 : a.inf - b.inf;
  return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
}

/**
 * The walk Redis does for BYSCORE/BYLEX (zzlFirstInRange, then forward while in range):
 * find the first member at or above min (last at or below max with REV), skip `offset`
 * (a negative offset skips everything), then take up to `limit` (negative = no limit) while
 * still within the other bound. For BYLEX over mixed scores this gives Redis's "unspecified"
 * answer exactly, not a filtered list.
 */
function walkRange(
  z: ZSet,
  gteMin: (m: string, s: number) => boolean,
  lteMax: (m: string, s: number) => boolean,
  rev: boolean,
  offset: number,
  limit: number,
): string[] {
  const o = z.ordered();
  const sc = z.scores;
  const n = o.length;
  const ok = (i: number, f: typeof gteMin): boolean => f(o[i]!, sc.get(o[i]!)!);
  // zzlIsInRange: the last member must reach min and the first must not pass max.
  if (n === 0 || !ok(n - 1, gteMin) || !ok(0, lteMax)) return [];
  const step = rev ? -1 : 1;
  const enter = rev ? lteMax : gteMin;
  const stay = rev ? gteMin : lteMax;
  let i = rev ? n - 1 : 0;
  while (i >= 0 && i < n && !ok(i, enter)) i += step;
  if (i < 0 || i >= n || !ok(i, stay)) return [];
  if (offset < 0) return [];
  i += step * offset;
  const out: string[] = [];
  for (; i >= 0 && i < n && limit !== 0; i += step, limit--) {
    if (!ok(i, stay)) break;
    out.push(o[i]!);
  }
  return out;
}

/**
 * zrangeGenericCommand: ZRANGE key min max [BYSCORE|BYLEX] [REV] [LIMIT off count] [WITHSCORES],
 * and ZREVRANGE (rank, reversed). RESP3 WITHSCORES replies [member, score] pairs, as Redis 7.
 */
function zrangeGeneric(ctx: Ctx, argv: string[], fixedRev: boolean): string {
  let withScores = false;
  let rev = fixedRev;
  let by: 'rank' | 'score' | 'lex' | null = fixedRev ? 'rank' : null;
  let offset = 0;
  let limit = -1;
  let hasLimit = false;
  for (let j = 4; j < argv.length; j++) {
    const o = argv[j]!.toLowerCase();
    if (o === 'withscores') withScores = true;
    else if (o === 'limit' && argv.length - j - 1 >= 2) {
      const a = parseInteger(argv[j + 1]!);
      const b = parseInteger(argv[j + 2]!);
      if (a === null || b === null) return NOT_INT;
      offset = a;
      limit = b;
      hasLimit = true;
      j += 2;
    } else if (!fixedRev && !rev && o === 'rev') rev = true;
    else if (by === null && o === 'bylex') by = 'lex';
    else if (by === null && o === 'byscore') by = 'score';
    else return SYNTAX;
  }
  by ??= 'rank';
  if (hasLimit && by === 'rank') {
    return err('syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withScores && by === 'lex') return err('syntax error, WITHSCORES not supported in combination with BYLEX');
  // With REV, BYSCORE/BYLEX ranges are written max first.
  const [minArg, maxArg] = rev && by !== 'rank' ? [argv[3]!, argv[2]!] : [argv[2]!, argv[3]!];
  // Parse the range fully before the lookup: argument errors win over WRONGTYPE, as in Redis.
  let pick: (z: ZSet) => string[];
  if (by === 'rank') {
    const start = parseInteger(minArg);
    const end = parseInteger(maxArg);
    if (start === null || end === null) return NOT_INT;
    pick = (z) => rankRange(z, start, end, rev);
  } else {
    let gteMin: (m: string, s: number) => boolean;
    let lteMax: (m: string, s: number) => boolean;
    let empty: boolean;
    if (by === 'score') {
      const lo = scoreBound(minArg);
      const hi = scoreBound(maxArg);
      if (lo === null || hi === null) return err('min or max is not a float');
      gteMin = (_m, s) => (lo.ex ? s > lo.v : s >= lo.v);
      lteMax = (_m, s) => (hi.ex ? s < hi.v : s <= hi.v);
      empty = lo.v > hi.v || (lo.v === hi.v && (lo.ex || hi.ex));
    } else {
      const lo = lexBound(minArg);
      const hi = lexBound(maxArg);
      if (lo === null || hi === null) return err('min or max not valid string range item');
      gteMin = (m) => lo.inf === -1 || (lo.inf === 0 && (lo.ex ? m > lo.v : m >= lo.v));
      lteMax = (m) => hi.inf === 1 || (hi.inf === 0 && (hi.ex ? m < hi.v : m <= hi.v));
      const c = lexCompare(lo, hi);
      empty = c > 0 || (c === 0 && (lo.ex || hi.ex));
    }
    pick = (z) => (empty ? [] : walkRange(z, gteMin, lteMax, rev, offset, limit));
  }
  const z = lookup(ctx, argv[1]!);
  if (z === undefined) return EMPTY_ARRAY;
  if (z === null) return WRONGTYPE;
  const members = pick(z);
  if (!withScores) {
    let out = '*' + members.length + '\r\n';
    for (const m of members) out += bulk(m);
    return out;
  }
  const r3 = ctx.resp === 3;
  let out = '*' + (r3 ? members.length : members.length * 2) + '\r\n';
  for (const m of members) out += (r3 ? '*2\r\n' : '') + bulk(m) + double(z.scores.get(m)!, ctx.resp);
  return out;
}

const K1 = [1, 1, 1] as const;

export const zrangeCommands: Command[] = [
  cmd('zrange', -4, ['readonly'], K1, (ctx, argv) => zrangeGeneric(ctx, argv, false)),
  cmd('zrevrange', -4, ['readonly'], K1, (ctx, argv) => zrangeGeneric(ctx, argv, true)),
];
