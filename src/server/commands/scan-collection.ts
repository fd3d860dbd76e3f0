import type { Client, Ctx } from './command.js';
import { WRONGTYPE, SYNTAX, NOT_INT, parseInteger } from './command.js';
import { bulk, formatDouble } from '../resp/encoder.js';
import { intsetOrder, isCompact } from '../encoding.js';
import { ZSet, type Value } from '../keyspace.js';
import { globMatch } from './glob.js';

/**
 * SSCAN / HSCAN / ZSCAN (scanGenericCommand with an object). A collection Redis keeps in a
 * compact encoding (intset, listpack) comes back whole with cursor 0, in that encoding's
 * order, as Redis does. A larger one is paged over a list of its elements taken at cursor 0,
 * kept per client and collection (the cursor is an index into it): elements present for the
 * whole iteration are returned, removed ones are skipped, as SCAN guarantees.
 */

type Kind = 'set' | 'hash' | 'zset';

interface Paging {
  source: object;
  /** The collection's elements when the scan started (cursor 0); the cursor indexes them. */
  items: string[];
}

/** Scans in progress, per client and per collection (a client may interleave scans of several keys). */
const pages = new WeakMap<Client, WeakMap<object, Paging>>();

const EMPTY_SCAN = '*2\r\n$1\r\n0\r\n*0\r\n';

function typeMatches(v: Value, kind: Kind): boolean {
  if (kind === 'set') return v instanceof Set;
  if (kind === 'hash') return v instanceof Map;
  return v instanceof ZSet;
}

/** The elements (members or fields) in iteration order. */
function itemsOf(v: Value, kind: Kind): string[] {
  if (kind === 'set') return [...(v as Set<string>)];
  if (kind === 'hash') return [...(v as Map<string, string>).keys()];
  return [...(v as ZSet).nodes()].map((n) => n.member);
}

function emit(v: Value, kind: Kind, el: string, out: string[]): void {
  if (kind === 'set') {
    if ((v as Set<string>).has(el)) out.push(el);
  } else if (kind === 'hash') {
    const x = (v as Map<string, string>).get(el);
    if (x !== undefined) out.push(el, x);
  } else {
    const s = (v as ZSet).scores.get(el);
    if (s !== undefined) out.push(el, formatDouble(s));
  }
}

export function scanCollection(ctx: Ctx, argv: string[], kind: Kind): string {
  const c = argv[2]!;
  // strtoul: an optional sign (a negative cursor wraps around), digits, no overflow.
  const digits = /^[+-]?([0-9]+)$/.exec(c)?.[1];
  if (digits === undefined || BigInt(digits) > 2n ** 64n - 1n) return '-ERR invalid cursor\r\n';
  const v = ctx.ks.get(argv[1]!);
  if (v === undefined) return EMPTY_SCAN;
  if (!typeMatches(v, kind)) return WRONGTYPE;
  let count = 10;
  let pat: string | null = null;
  for (let i = 3; i < argv.length; ) {
    const o = argv[i]!.toLowerCase();
    const left = argv.length - i;
    if (o === 'count' && left >= 2) {
      const n = parseInteger(argv[i + 1]!);
      if (n === null) return NOT_INT;
      if (n < 1) return SYNTAX;
      count = n;
      i += 2;
    } else if (o === 'match' && left >= 2) {
      pat = argv[i + 1] === '*' ? null : argv[i + 1]!;
      i += 2;
    } else return SYNTAX;
  }
  const out: string[] = [];
  let next = '0';
  if (isCompact(v)) {
    const order = kind === 'set' ? intsetOrder(v as Set<string>) : itemsOf(v, kind);
    for (const el of order) emit(v, kind, el, out);
  } else {
    let cursor = c.startsWith('-') ? Infinity : Number(digits);
    let mine = pages.get(ctx.client);
    if (mine === undefined) pages.set(ctx.client, (mine = new WeakMap()));
    let p = mine.get(v as object);
    if (cursor === 0 || p === undefined) {
      if (cursor !== 0) return EMPTY_SCAN; // a cursor we did not hand out: nothing left to give
      p = { source: v as object, items: itemsOf(v, kind) };
      mine.set(v as object, p);
    }
    const end = Math.min(p.items.length, cursor + count);
    for (; cursor < end; cursor++) emit(v, kind, p.items[cursor]!, out);
    if (cursor < p.items.length) next = String(cursor);
    else mine.delete(v as object);
  }
  // MATCH filters on the element (the member or field), keeping its value beside it.
  const step = kind === 'set' ? 1 : 2;
  let body = '';
  let n = 0;
  for (let i = 0; i < out.length; i += step) {
    if (pat !== null && !globMatch(pat, out[i]!)) continue;
    for (let k = 0; k < step; k++) body += bulk(out[i + k]!);
    n += step;
  }
  return '*2\r\n' + bulk(next) + '*' + n + '\r\n' + body;
}
