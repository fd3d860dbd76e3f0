import { cloneValue, List, Stream, type Value, ZSet } from './keyspace.js';
import { lpIntValue } from './stream/listpack-encoding.js';

/**
 * The encoding redis-server 7.0 would give a value (OBJECT ENCODING, the element order of
 * SSCAN/HSCAN/ZSCAN, which return small encodings whole, and the RDB type a save writes):
 * strings int/embstr/raw, lists quicklist, sets intset/hashtable, hashes and sorted sets
 * listpack/hashtable/skiplist, by the live `*-max-listpack-*` / `set-max-intset-entries`
 * limits (LIMITS, set from the config).
 *
 * Redis decides an encoding when it writes a collection, never later: a collection that
 * outgrew its limits stays hashtable/skiplist when it shrinks (`grown`), and changing a limit
 * converts no existing key — one that the new limits would judge otherwise keeps what it has
 * (`grown`, or `kept` for one that stays compact though it no longer fits).
 */
export interface EncodingLimits {
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  setMaxIntsetEntries: number;
  /** list-max-listpack-size: a quicklist node's fill (negative: bytes, -2 = 8 KB; positive: entries). */
  listMaxListpackSize: number;
  /** list-compress-depth: nodes left uncompressed at each end of a list (0: none compressed). */
  listCompressDepth: number;
  /** Elements this long or longer get a quicklist node of their own (DEBUG QUICKLIST-PACKED-THRESHOLD). */
  listPackedThreshold: number;
}

/** Redis 7.0's built-in defaults. */
export const DEFAULT_LIMITS: Readonly<EncodingLimits> = {
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  listMaxListpackSize: -2,
  listCompressDepth: 0,
  listPackedThreshold: 1 << 30,
};

/** The live limits (the server sets them from its config: setEncodingLimits). */
export const LIMITS: EncodingLimits = { ...DEFAULT_LIMITS };

type Compactable = Map<string, string> | Set<string> | ZSet;

/** Collections that are hashtable/skiplist whatever their size now. */
const grown = new WeakSet<object>();
/** Collections that stay listpack/intset although the current limits say otherwise. */
const kept = new WeakSet<object>();
/** Lists made before list-max-listpack-size / list-compress-depth changed: [fill, depth] at the time. */
const listOptions = new WeakMap<List, readonly [number, number]>();

/** string2ll: the canonical decimal form of an int64 ("-0", "01", " 1" are not). */
export function isInt64(s: string): boolean {
  return lpIntValue(s) !== null;
}

function compactable(v: Value): v is Compactable {
  return typeof v !== 'string' && !(v instanceof List) && !(v instanceof Stream);
}

/** Whether a collection made now, under limits `L`, would be in its compact encoding. */
function fits(v: Compactable, L: EncodingLimits): boolean {
  if (v instanceof Map) {
    if (v.size > L.hashMaxListpackEntries) return false;
    const max = L.hashMaxListpackValue;
    // keys() and values(), not entries(): no [field, value] array per entry.
    for (const f of v.keys()) if (f.length > max) return false;
    for (const x of v.values()) if (x.length > max) return false;
    return true;
  }
  if (v instanceof Set) {
    if (v.size > L.setMaxIntsetEntries) return false;
    for (const m of v) if (!isInt64(m)) return false;
    return true;
  }
  if (v.size > L.zsetMaxListpackEntries) return false;
  const max = L.zsetMaxListpackValue;
  for (const m of v.scores.keys()) if (m.length > max) return false;
  return true;
}

/** True while the value would still be in its compact encoding (listpack or intset). */
export function isCompact(v: Value): boolean {
  if (!compactable(v) || grown.has(v)) return false;
  if (kept.has(v) || fits(v, LIMITS)) return true;
  grown.add(v);
  return false;
}

/**
 * After a command created or added to a collection: remember it if Redis would have converted
 * it. `args` (from `start`) are the strings Redis checks as it adds them: HSET's fields and
 * values, SADD's members, ZADD's new members (none when it only updated scores). They matter
 * only for a collection kept compact across a limit change, where Redis looks at what is being
 * added (hashTypeTryConversion, setTypeAdd, zsetAdd) and at the new size, not at what it holds.
 */
export function noteGrowth(v: Value, args?: readonly string[], start = 0): void {
  if (!compactable(v) || grown.has(v)) return;
  if (!kept.has(v)) {
    if (!fits(v, LIMITS)) grown.add(v);
    return;
  }
  if (args === undefined ? !fits(v, LIMITS) : converts(v, args, start)) {
    kept.delete(v);
    grown.add(v);
  }
}

/** The value was rebuilt from what it holds (SPOP's new set): its encoding follows from that again. */
export function forgetGrowth(v: Value): void {
  if (typeof v === 'string') return;
  grown.delete(v);
  kept.delete(v);
}

function converts(v: Compactable, args: readonly string[], start: number): boolean {
  if (v instanceof Map) {
    // hashTypeSet checks the size after every set, an update included.
    if (v.size > LIMITS.hashMaxListpackEntries) return true;
    for (let i = start; i < args.length; i++) if (args[i]!.length > LIMITS.hashMaxListpackValue) return true;
    return false;
  }
  if (args.length <= start) return false;
  if (v instanceof Set) {
    if (v.size > LIMITS.setMaxIntsetEntries) return true;
    for (let i = start; i < args.length; i++) if (!isInt64(args[i]!)) return true;
    return false;
  }
  if (v.size > LIMITS.zsetMaxListpackEntries) return true;
  for (let i = start; i < args.length; i++) if (args[i]!.length > LIMITS.zsetMaxListpackValue) return true;
  return false;
}

/**
 * After rdbLoadObject (an RDB, an AOF preamble, RESTORE) made a collection. `packed`: it came
 * as a listpack, ziplist or intset blob, which Redis 7.0 keeps as it is unless it has too many
 * entries (it does not look at their lengths); a plain one is judged as if made now.
 */
export function noteLoaded(v: Value, packed: boolean): void {
  if (!compactable(v)) return;
  if (fits(v, LIMITS)) return;
  const maxEntries = v instanceof Map ? LIMITS.hashMaxListpackEntries : v instanceof Set ? LIMITS.setMaxIntsetEntries : LIMITS.zsetMaxListpackEntries;
  if (packed && v.size <= maxEntries) kept.add(v);
  else grown.add(v);
}

/**
 * Sets the limits. Redis converts no existing key when a limit changes: each collection of
 * `existing` that the new limits would judge otherwise is pinned to the encoding it has, and
 * each list keeps the node size and compression it was made with (its quicklist's options).
 */
export function setEncodingLimits(next: Partial<EncodingLimits>, existing: Iterable<Value> = []): void {
  const before: EncodingLimits = { ...LIMITS };
  Object.assign(LIMITS, next);
  const lists = before.listMaxListpackSize !== LIMITS.listMaxListpackSize || before.listCompressDepth !== LIMITS.listCompressDepth;
  const others =
    before.hashMaxListpackEntries !== LIMITS.hashMaxListpackEntries ||
    before.hashMaxListpackValue !== LIMITS.hashMaxListpackValue ||
    before.zsetMaxListpackEntries !== LIMITS.zsetMaxListpackEntries ||
    before.zsetMaxListpackValue !== LIMITS.zsetMaxListpackValue ||
    before.setMaxIntsetEntries !== LIMITS.setMaxIntsetEntries;
  if (!lists && !others) return;
  const options = [before.listMaxListpackSize, before.listCompressDepth] as const;
  for (const v of existing) {
    if (v instanceof List) {
      if (lists && !listOptions.has(v)) listOptions.set(v, options);
      continue;
    }
    if (!others || !compactable(v) || grown.has(v) || kept.has(v)) continue;
    const was = fits(v, before);
    if (was === fits(v, LIMITS)) continue;
    if (was) kept.add(v);
    else grown.add(v);
  }
}

/** The quicklist options a list was made with: [list-max-listpack-size, list-compress-depth]. */
export function listLayout(l: List): readonly [number, number] {
  return listOptions.get(l) ?? [LIMITS.listMaxListpackSize, LIMITS.listCompressDepth];
}

/** A deep copy that keeps the original's encoding (COPY, copy-on-write: Redis duplicates the encoding). */
export function cloneWithEncoding(v: Value): Value {
  const c = cloneValue(v);
  if (typeof v === 'string') return c;
  if (grown.has(v)) grown.add(c as object);
  if (kept.has(v)) kept.add(c as object);
  const o = v instanceof List ? listOptions.get(v) : undefined;
  if (o !== undefined) listOptions.set(c as List, o);
  return c;
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
