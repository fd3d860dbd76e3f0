import { isCompact } from '../encoding.js';
import type { ZNode, ZSet } from '../zset.js';
import { parseFloatStrict } from './command.js';

/**
 * Score and lex ranges of sorted sets (zslParseRange, zslParseLexRange) and the walk Redis
 * does over them (zslFirstInRange / zzlFirstInRange, then on while within the other bound).
 */

export interface Range {
  gteMin: (n: ZNode) => boolean;
  lteMax: (n: ZNode) => boolean;
  /** True when no member can be in it (min > max, or equal and an end exclusive). */
  empty: boolean;
  /** BYLEX: over mixed scores the walk's start depends on the encoding (see walk). */
  lex: boolean;
}

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

export function scoreRange(minArg: string, maxArg: string): Range | null {
  const lo = scoreBound(minArg);
  const hi = scoreBound(maxArg);
  if (lo === null || hi === null) return null;
  return {
    gteMin: (n) => (lo.ex ? n.score > lo.v : n.score >= lo.v),
    lteMax: (n) => (hi.ex ? n.score < hi.v : n.score <= hi.v),
    empty: lo.v > hi.v || (lo.v === hi.v && (lo.ex || hi.ex)),
    lex: false,
  };
}

export function lexRange(minArg: string, maxArg: string): Range | null {
  const lo = lexBound(minArg);
  const hi = lexBound(maxArg);
  if (lo === null || hi === null) return null;
  // sdscmplex: "-" sorts before and "+" after every string.
  const c = lo.inf !== 0 || hi.inf !== 0 ? (lo.inf === hi.inf ? 0 : lo.inf - hi.inf) : lo.v < hi.v ? -1 : lo.v > hi.v ? 1 : 0;
  return {
    gteMin: (n) => lo.inf === -1 || (lo.inf === 0 && (lo.ex ? n.member > lo.v : n.member >= lo.v)),
    lteMax: (n) => hi.inf === 1 || (hi.inf === 0 && (hi.ex ? n.member < hi.v : n.member <= hi.v)),
    empty: c > 0 || (c === 0 && (lo.ex || hi.ex)),
    lex: true,
  };
}

export const MIN_OR_MAX_FLOAT = '-ERR min or max is not a float\r\n';
export const MIN_OR_MAX_LEX = '-ERR min or max not valid string range item\r\n';

/**
 * The nodes of a range in walk order (descending with rev): the first node at or above min
 * (last at or below max with rev), skip `offset` (negative skips everything), then up to
 * `limit` (negative = all) while within the other bound. A listpack-sized set is searched
 * linearly as zzlFirstInRange does and a larger one by skip-list descent as zslFirstInRange
 * does, so BYLEX over mixed scores gives Redis's "unspecified" answer exactly too.
 */
export function walk(z: ZSet, r: Range, rev: boolean, offset = 0, limit = -1): ZNode[] {
  const first = z.first();
  const last = z.last();
  // zslIsInRange: the last member must reach min and the first must not pass max.
  if (r.empty || first === null || last === null || !r.gteMin(last) || !r.lteMax(first)) return [];
  const enter = rev ? r.lteMax : r.gteMin;
  const stay = rev ? r.gteMin : r.lteMax;
  let n: ZNode | null;
  if (r.lex && isCompact(z)) {
    n = rev ? last : first;
    while (n !== null && !enter(n)) n = rev ? n.prev : n.next[0]!;
  } else {
    n = rev ? z.lastWhere(enter) : z.firstWhere(enter);
  }
  if (n === null || !stay(n)) return [];
  if (offset < 0) return [];
  for (; n !== null && offset > 0; offset--) n = rev ? n.prev : n.next[0]!;
  const out: ZNode[] = [];
  for (; n !== null && limit !== 0; limit--) {
    if (!stay(n)) break;
    out.push(n);
    n = rev ? n.prev : n.next[0]!;
  }
  return out;
}

/** Redis's rank normalisation (as LRANGE); REV counts ranks from the highest score. */
export function rankNodes(z: ZSet, start: number, end: number, rev: boolean): ZNode[] {
  const len = z.size;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return [];
  if (end >= len) end = len - 1;
  const out: ZNode[] = [];
  let n = z.at(rev ? len - 1 - start : start);
  for (let k = end - start + 1; k > 0 && n !== null; k--) {
    out.push(n);
    n = rev ? n.prev : n.next[0]!;
  }
  return out;
}
