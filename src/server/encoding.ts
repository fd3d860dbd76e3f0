import { List, Stream, type Value, ZSet } from './keyspace.js';

/**
 * The encoding redis-server 7.0 would give a value (OBJECT ENCODING, and the element order
 * of SSCAN/HSCAN/ZSCAN, which return small encodings whole): strings int/embstr/raw, lists
 * quicklist, sets intset/hashtable, hashes and sorted sets listpack/hashtable/skiplist, by
 * the default `*-max-listpack-*` and `set-max-intset-entries` limits.
 *
 * Redis never converts a collection back to its compact encoding when it shrinks: a
 * collection that once outgrew its limits is remembered here (commands that grow a
 * collection call noteGrowth), so a later OBJECT ENCODING still says hashtable/skiplist.
 */
export const LIMITS = {
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
};

/** Collections that have outgrown their compact encoding. */
const grown = new WeakSet<object>();

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** string2ll: the canonical decimal form of an int64 ("-0", "01", " 1" are not). */
export function isInt64(s: string): boolean {
  if (s.length === 0 || s.length > 20 || !/^(0|-?[1-9][0-9]*)$/.test(s)) return false;
  if (s.length < 16) return true;
  const b = BigInt(s);
  return b >= INT64_MIN && b <= INT64_MAX;
}

/** True while the value would still be in its compact encoding (listpack or intset). */
export function isCompact(v: Value): boolean {
  if (typeof v === 'string' || v instanceof List || v instanceof Stream) return false;
  if (grown.has(v)) return false;
  const compact = fitsCompact(v);
  if (!compact) grown.add(v);
  return compact;
}

/** After a command added to a collection: remember it if it outgrew its compact encoding. */
export function noteGrowth(v: Value): void {
  if (typeof v !== 'string' && !(v instanceof List) && !(v instanceof Stream) && !grown.has(v) && !fitsCompact(v)) grown.add(v);
}

/** A copy of a collection keeps its encoding (COPY's hashTypeDup, setTypeDup, zsetDup). */
export function copyEncoding(from: Value, to: Value): void {
  if (typeof from !== 'string' && grown.has(from)) grown.add(to as object);
}

/** The value was rebuilt from what it holds (SPOP's new set): its encoding follows from that again. */
export function forgetGrowth(v: Value): void {
  if (typeof v !== 'string') grown.delete(v);
}

function fitsCompact(v: Map<string, string> | Set<string> | ZSet): boolean {
  if (v instanceof Map) {
    if (v.size > LIMITS.hashMaxListpackEntries) return false;
    for (const [f, x] of v) if (f.length > LIMITS.hashMaxListpackValue || x.length > LIMITS.hashMaxListpackValue) return false;
    return true;
  }
  if (v instanceof Set) {
    if (v.size > LIMITS.setMaxIntsetEntries) return false;
    for (const m of v) if (!isInt64(m)) return false;
    return true;
  }
  if (v.size > LIMITS.zsetMaxListpackEntries) return false;
  for (const m of v.scores.keys()) if (m.length > LIMITS.zsetMaxListpackValue) return false;
  return true;
}

/** OBJECT ENCODING's answer. */
export function objectEncoding(v: Value): string {
  if (typeof v === 'string') {
    // tryObjectEncoding: integers that fit a long are "int", short strings "embstr".
    if (v.length <= 20 && isInt64(v)) return 'int';
    return v.length <= 44 ? 'embstr' : 'raw';
  }
  if (v instanceof List) return 'quicklist';
  if (v instanceof Stream) return 'stream';
  if (v instanceof Set) return isCompact(v) ? 'intset' : 'hashtable';
  if (v instanceof Map) return isCompact(v) ? 'listpack' : 'hashtable';
  return isCompact(v) ? 'listpack' : 'skiplist';
}

/** Members of a set in the order an intset keeps them (ascending integers). */
export function intsetOrder(s: Set<string>): string[] {
  return [...s].sort((a, b) => {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
