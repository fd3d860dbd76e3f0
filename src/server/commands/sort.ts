import { List, ZSet, type Value } from '../keyspace.js';
import { arrayHeader, bulk, int, nullBulk } from '../resp/encoder.js';
import { cmd, parseInteger, type Command, type Ctx, WRONGTYPE, SYNTAX, NOT_INT } from './command.js';
import { err } from './args.js';

/**
 * SORT and SORT_RO (sort.c): numeric or ALPHA order, ASC/DESC, LIMIT, BY and GET patterns
 * ("weight_*", "data_*->field", "#", a pattern without "*" for no sorting), STORE into a list.
 */

/** lookupKeyByPattern: the string (or hash field) a pattern names for an element, or null. */
function byPattern(ctx: Ctx, pattern: string, el: string): string | null {
  if (pattern === '#') return el;
  const star = pattern.indexOf('*');
  if (star < 0) return null;
  const arrow = pattern.indexOf('->', star + 1);
  const field = arrow >= 0 && arrow + 2 < pattern.length ? pattern.slice(arrow + 2) : null;
  const key = pattern.slice(0, star) + el + pattern.slice(star + 1, field === null ? pattern.length : arrow);
  const v = ctx.ks.get(key);
  if (v === undefined) return null;
  if (field !== null) return v instanceof Map ? (v.get(field) ?? null) : null;
  return typeof v === 'string' ? v : null;
}

/** strtod as SORT uses it: whole string, leading spaces allowed, "" is 0; null when not a number. */
function strtod(s: string): number | null {
  const t = s.replace(/^[ \t\n\v\f\r]+/, '');
  if (t === '') return s === '' ? 0 : null;
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null; // overflow is ERANGE
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Item {
  el: string;
  score: number;
  by: string | null;
}

function sortGeneric(ctx: Ctx, argv: string[], readonly: boolean): string {
  let desc = false;
  let alpha = false;
  let start = 0;
  let count = -1;
  let by: string | null = null;
  let dontsort = false;
  let store: string | null = null;
  const gets: string[] = [];
  for (let j = 2; j < argv.length; j++) {
    const o = argv[j]!.toLowerCase();
    const left = argv.length - j - 1;
    if (o === 'asc') desc = false;
    else if (o === 'desc') desc = true;
    else if (o === 'alpha') alpha = true;
    else if (o === 'limit' && left >= 2) {
      const a = parseInteger(argv[j + 1]!);
      const b = parseInteger(argv[j + 2]!);
      if (a === null || b === null) return NOT_INT;
      start = a;
      count = b;
      j += 2;
    } else if (!readonly && o === 'store' && left >= 1) store = argv[++j]!;
    else if (o === 'by' && left >= 1) {
      by = argv[++j]!;
      dontsort = !by.includes('*');
    } else if (o === 'get' && left >= 1) gets.push(argv[++j]!);
    else return SYNTAX;
  }
  const v: Value | undefined = ctx.ks.get(argv[1]!);
  if (v !== undefined && !(v instanceof List || v instanceof Set || v instanceof ZSet)) return WRONGTYPE;
  // A set has no order of its own: stored, "no sort" is made a deterministic ALPHA sort.
  if (dontsort && v instanceof Set && store !== null) {
    dontsort = false;
    alpha = true;
    by = null;
  }
  const len = v === undefined ? 0 : v instanceof List ? v.items.length : v.size;
  start = Math.min(Math.max(start, 0), len);
  count = Math.min(Math.max(count, -1), len);
  let end = count < 0 ? len - 1 : start + count - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;
  let items: Item[];
  const item = (el: string): Item => ({ el, score: 0, by: null });
  if (v === undefined) items = [];
  else if (dontsort && !(v instanceof Set)) {
    // Unsorted list or sorted set: just the LIMIT window, from the end with DESC.
    const all = v instanceof List ? v.items : v.ordered();
    const ordered = desc ? [...all].reverse() : all;
    items = end >= start ? ordered.slice(start, end + 1).map(item) : [];
    end -= start;
    start = 0;
  } else if (v instanceof List) items = v.items.map(item);
  else if (v instanceof Set) items = [...v].map(item);
  else items = v.ordered().map(item);
  if (!dontsort) {
    let bad = false;
    for (const it of items) {
      const val = by !== null ? byPattern(ctx, by, it.el) : it.el;
      if (val === null) continue;
      if (alpha) {
        if (by !== null) it.by = val;
      } else {
        const n = strtod(val);
        if (n === null) bad = true;
        else it.score = n;
      }
    }
    if (bad) return err("One or more scores can't be converted into double");
    const sign = desc ? -1 : 1;
    items.sort((a, b) => {
      let c: number;
      if (!alpha) c = a.score > b.score ? 1 : a.score < b.score ? -1 : cmpStr(a.el, b.el);
      else if (by !== null) c = a.by === null || b.by === null ? (a.by === b.by ? 0 : a.by === null ? -1 : 1) : cmpStr(a.by, b.by);
      else c = cmpStr(a.el, b.el);
      return sign * c;
    });
  }
  const window = end >= start ? items.slice(start, end + 1) : [];
  if (store === null) {
    let out = arrayHeader(gets.length > 0 ? gets.length * window.length : window.length);
    for (const it of window) {
      if (gets.length === 0) out += bulk(it.el);
      for (const g of gets) {
        const x = byPattern(ctx, g, it.el);
        out += x === null ? nullBulk(ctx.resp) : bulk(x);
      }
    }
    return out;
  }
  const stored: string[] = [];
  for (const it of window) {
    if (gets.length === 0) stored.push(it.el);
    for (const g of gets) stored.push(byPattern(ctx, g, it.el) ?? '');
  }
  if (stored.length > 0) ctx.ks.set(store, new List(stored));
  else if (ctx.ks.get(store) !== undefined) ctx.ks.delete(store);
  return int(stored.length);
}

export const sortCommands: Command[] = [
  cmd('sort', -2, ['write'], [1, 1, 1], (ctx, argv) => sortGeneric(ctx, argv, false)),
  cmd('sort_ro', -2, ['readonly'], [1, 1, 1], (ctx, argv) => sortGeneric(ctx, argv, true)),
];
