import { type EntryCursor, KeyTable } from './key-table.js';
import { Stream } from './stream/stream.js';
import { ZSet } from './zset.js';
import { letGo } from './store/untracked.js';

export { ZSet } from './zset.js';
export { Stream } from './stream/stream.js';

/**
 * The dataset: keys → values plus expiry times. No I/O. Strings are latin1 JS strings
 * (one char per byte). Every mutation goes through here so that two hooks see it first:
 * `beforeWrite` (copy-on-write snapshots preserve the old value) and `onExpire` (the server
 * propagates a DEL to the AOF, as Redis does).
 */
/**
 * What a copy-on-write snapshot installs on a keyspace. An object whose method is the same
 * function in every snapshot: a closure made per snapshot was a new call target at each
 * BGSAVE, and V8 threw away the optimized code of every write path that had inlined the last
 * one (`--trace-deopt`: "wrong call target" as each save began).
 */
export interface WriteHook {
  preserve(key: string): void;
}

/** A list as a JS array (RPUSH is push; LPUSH unshift is a memmove, fine at these sizes). */
export class List {
  constructor(public items: string[] = []) {}
  clone(): List {
    return new List(this.items.slice());
  }
}

export type Hash = Map<string, string>;
export type RSet = Set<string>;
export type Value = string | List | Hash | RSet | ZSet | Stream;
export type TypeName = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

export function typeOf(v: Value): TypeName {
  if (typeof v === 'string') return 'string';
  if (v instanceof List) return 'list';
  if (v instanceof Map) return 'hash';
  if (v instanceof Set) return 'set';
  if (v instanceof Stream) return 'stream';
  return 'zset';
}

/** Deep copy, for copy-on-write preservation of mutable collections. */
export function cloneValue(v: Value): Value {
  if (typeof v === 'string') return v;
  if (v instanceof List || v instanceof ZSet || v instanceof Stream) return v.clone();
  if (v instanceof Map) return new Map(v);
  return new Set(v);
}

/** Approximate payload bytes of a value (for rdb_last_cow_size). */
export function valueBytes(v: Value): number {
  if (typeof v === 'string') return v.length;
  let n = 0;
  if (v instanceof List) for (const s of v.items) n += s.length + 8;
  else if (v instanceof Map) for (const [k, s] of v) n += k.length + s.length + 16;
  else if (v instanceof Set) for (const s of v) n += s.length + 8;
  else if (v instanceof Stream) n = v.bytes();
  else for (const m of v.scores.keys()) n += m.length + 16;
  return n;
}

export type Collection = List | Hash | RSet | ZSet | Stream;

/** A key's value with its TTL, string-encoding byte and access stamp (see KeyTable). */
export interface KeyRecord {
  value: Value;
  expireAt: number | undefined;
  enc: number;
  stamp: number;
}

/** What the databases of one server share: the change counter behind rdb_changes_since_last_save. */
export interface KeyspaceCounters {
  dirty: number;
}

/**
 * One database (Redis's redisDb): its keys, their values and expiry times. A server holds
 * several (Databases); `id` is its number, which stays with it: SWAPDB trades the data
 * between two of them (swapData), not the databases, so whoever waits on or watches a key of
 * db 3 goes on doing so in db 3.
 */
export class Keyspace {
  /** Keys, string values (off the heap), collections and expiry times: see KeyTable. */
  private table = new KeyTable<Collection>();
  /**
   * Told before any change to `key` (value, TTL or existence). A snapshot: it belongs to the
   * data it preserves, so SWAPDB moves it with the table.
   */
  beforeWrite: WriteHook | null = null;
  /** Called after a key was removed because it expired. */
  onExpire: ((key: string) => void) | null = null;
  /** Called before any change to `key`, after beforeWrite: WATCH's registry (touchWatchedKey). */
  onTouch: ((key: string) => void) | null = null;
  /**
   * Called before every key goes at once (FLUSHDB, FLUSHALL: `replacedWith` null) or the
   * data is traded with another database's (SWAPDB): WATCH's registry
   * (touchAllWatchedKeysInDb). Installed with onTouch, only while keys are watched.
   */
  onTouchAll: ((replacedWith: Keyspace | null) => void) | null = null;
  /** When false (e.g. while loading), reads do not expire keys. */
  expireOnRead = true;
  expiredKeys = 0;
  /** Redis's db->avg_ttl: a running estimate (ms) from the expiry cycle's samples, 0 until one ran. */
  avgTtl = 0;
  private sweep: EntryCursor | null = null;

  constructor(
    readonly id = 0,
    private readonly counters: KeyspaceCounters = { dirty: 0 },
  ) {}

  /** Changes since the last successful save (rdb_changes_since_last_save), shared by a server's databases. */
  get dirty(): number {
    return this.counters.dirty;
  }

  set dirty(n: number) {
    this.counters.dirty = n;
  }

  /**
   * SWAPDB: the data (keys, TTLs, the expiry sweep, avg_ttl, and a snapshot's write hook)
   * trade places with `other`'s; ids, expiry callbacks and anything keyed by database stay.
   */
  swapData(other: Keyspace): void {
    // Watchers of a key in either database see it change (dbSwapDatabases touches both first).
    this.onTouchAll?.(other);
    other.onTouchAll?.(this);
    [this.table, other.table] = [other.table, this.table];
    [this.sweep, other.sweep] = [other.sweep, this.sweep];
    [this.beforeWrite, other.beforeWrite] = [other.beforeWrite, this.beforeWrite];
    [this.avgTtl, other.avgTtl] = [other.avgTtl, this.avgTtl];
  }

  get data(): KeyTable<Collection> {
    return this.table;
  }

  get size(): number {
    return this.table.size;
  }

  /**
   * Takes `table` as the whole dataset when this one is empty and nothing watches it (a
   * server loading its files at start); returns false, changing nothing, otherwise.
   */
  adopt(table: KeyTable<Collection>): boolean {
    if (this.table.size > 0 || this.beforeWrite !== null) return false;
    this.table = table;
    this.sweep = null;
    return true;
  }

  /** Keys with a TTL. */
  get expiresCount(): number {
    return this.data.expiresCount;
  }

  /**
   * The live value, or undefined when missing or expired (which deletes it). Stamps the
   * key's access clock, as Redis's lookupKeyRead/Write do (OBJECT IDLETIME reads it).
   */
  get(key: string): Value | undefined {
    // entry()'s lookup written out: the read path is the hottest there is (GET), and the
    // call measured a few percent of it.
    const t = this.data;
    const e = t.find(key);
    if (e < 0) return undefined;
    if (t.expiresCount > 0 && this.expireOnRead) {
      const at = t.expireAt(e);
      if (at !== undefined && at <= Date.now()) {
        this.expireNow(key);
        return undefined;
      }
    }
    t.touch(e);
    return t.value(e);
  }

  /** get() without stamping the access clock (LOOKUP_NOTOUCH: EXISTS, TYPE, TTL, OBJECT...). */
  peek(key: string): Value | undefined {
    const e = this.entry(key);
    return e < 0 ? undefined : this.data.value(e);
  }

  /** The live entry number of `key`, or -1 when missing or expired (which deletes it); no stamp. */
  entry(key: string): number {
    const t = this.data;
    const e = t.find(key);
    if (e < 0) return -1;
    if (t.expiresCount > 0 && this.expireOnRead) {
      const at = t.expireAt(e);
      if (at !== undefined && at <= Date.now()) {
        this.expireNow(key);
        return -1;
      }
    }
    return e;
  }

  has(key: string): boolean {
    return this.entry(key) >= 0;
  }

  /**
   * Sets a value. Clears the TTL unless keepTtl (SET KEEPTTL, in-place ops). `enc` says how
   * a string value was made (string-encoding.ts; the default is tryObjectEncoding's).
   * Returns the key's entry number.
   */
  set(key: string, value: Value, keepTtl = false, enc = 0): number {
    this.beforeWrite?.preserve(key);
    this.onTouch?.(key);
    const e = this.data.set(key, value, enc);
    if (!keepTtl && this.data.expiresCount > 0) this.data.setExpireAt(e, undefined);
    this.dirty++;
    return e;
  }

  /** What travels with a key's value when it moves (RENAME, MOVE), or undefined when missing. */
  record(key: string): KeyRecord | undefined {
    const e = this.entry(key);
    if (e < 0) return undefined;
    const t = this.data;
    return { value: t.value(e), expireAt: t.expireAt(e), enc: t.encodingOf(e), stamp: t.stampOf(e) };
  }

  /** Sets `key` to a moved value: the same object, so TTL, encoding and access clock come along. */
  put(key: string, r: KeyRecord): void {
    this.data.setStamp(this.set(key, r.value, false, r.enc), r.stamp);
    if (r.expireAt !== undefined) this.setExpire(key, r.expireAt);
  }

  /** Call before mutating a collection in place; returns it for chaining. */
  mutate<T extends Value>(key: string, value: T): T {
    this.beforeWrite?.preserve(key);
    this.onTouch?.(key);
    this.dirty++;
    return value;
  }

  delete(key: string): boolean {
    if (!this.data.has(key)) return false;
    this.beforeWrite?.preserve(key);
    this.onTouch?.(key);
    this.data.delete(key);
    this.dirty++;
    return true;
  }

  getExpire(key: string): number | undefined {
    const e = this.data.find(key);
    return e < 0 ? undefined : this.data.expireAt(e);
  }

  /** Sets the TTL of an existing key (a missing key has none to set). */
  setExpire(key: string, atMs: number): void {
    const e = this.data.find(key);
    if (e < 0) return;
    this.beforeWrite?.preserve(key);
    this.onTouch?.(key);
    this.data.setExpireAt(e, atMs);
    this.dirty++;
  }

  persist(key: string): boolean {
    const e = this.data.find(key);
    if (e < 0 || this.data.expireAt(e) === undefined) return false;
    this.beforeWrite?.preserve(key);
    this.onTouch?.(key);
    this.data.setExpireAt(e, undefined);
    this.dirty++;
    return true;
  }

  /** FLUSHDB: every key goes. Returns how many there were. */
  flush(): number {
    this.onTouchAll?.(null);
    const n = this.table.size;
    this.dirty += n;
    if (this.beforeWrite !== null) {
      // A snapshot is reading this table: it keeps it, whole and no longer written, and the
      // database starts a new one. O(1), where preserving every key first was a copy of all.
      this.beforeWrite = null;
      letGo(this.table.offHeapBytes); // once the snapshot is done with it
      this.table = new KeyTable<Collection>();
    } else this.table.clear();
    this.sweep = null;
    this.avgTtl = 0;
    return n;
  }

  /** Loads a key without hooks or dirty accounting (RDB/AOF loading). */
  load(key: string, value: Value, expireAt?: number): void {
    const e = this.data.set(key, value);
    if (expireAt !== undefined) this.data.setExpireAt(e, expireAt);
  }

  /** Moves the index's incremental rehash along for up to `ms` (from the server's cron). */
  rehashFor(ms: number): void {
    this.data.rehashFor(ms);
  }

  /** True when the key was expired and has been deleted. */
  expireIfNeeded(key: string, now = Date.now()): boolean {
    if (!this.expireOnRead) return false;
    const at = this.getExpire(key);
    if (at === undefined || at > now) return false;
    this.expireNow(key);
    return true;
  }

  private expireNow(key: string): void {
    this.beforeWrite?.preserve(key);
    this.onTouch?.(key);
    this.data.delete(key);
    this.dirty++;
    this.expiredKeys++;
    this.onExpire?.(key);
  }

  /**
   * Active expiry, as Redis's activeExpireCycle: walk the keys with a TTL a sample at a
   * time, deleting what has expired, and keep going while more than a quarter of a sample
   * was expired and the time budget lasts. Keys without a TTL are passed over (at most
   * SCAN_PER_SAMPLE × sample of them per sample), so a few TTLs among millions of keys
   * are still reached in bounded time per call.
   */
  activeExpireCycle(budgetMs = 1, sample = 20): number {
    const t = this.data;
    if (t.expiresCount === 0) this.avgTtl = 0;
    if (t.expiresCount === 0 || !this.expireOnRead) return 0;
    const start = performance.now();
    const now = Date.now();
    let removed = 0;
    for (;;) {
      let seen = 0;
      let scanned = 0;
      let wrapped = false;
      let ttlSum = 0;
      let ttlSamples = 0;
      const due: string[] = [];
      while (seen < sample && scanned < SCAN_PER_SAMPLE * sample) {
        if (this.sweep === null) this.sweep = t.cursor();
        const e = this.sweep.next();
        if (e < 0) {
          this.sweep = null;
          wrapped = true;
          break;
        }
        scanned++;
        const at = t.expireAt(e);
        if (at === undefined) continue;
        seen++;
        if (at <= now) due.push(t.key(e));
        else {
          ttlSum += at - now;
          ttlSamples++;
        }
      }
      if (ttlSamples > 0) {
        // Redis's estimate: a moving average, each sample weighing 1/50 (integer ms).
        const avg = Math.floor(ttlSum / ttlSamples);
        if (this.avgTtl === 0) this.avgTtl = avg;
        this.avgTtl = Math.floor(this.avgTtl / 50) * 49 + Math.floor(avg / 50);
      }
      let expired = 0;
      for (const k of due) if (this.expireIfNeeded(k, now)) expired++;
      removed += expired;
      const more = expired * 4 > seen || (seen < sample && !wrapped);
      if (!more || wrapped || performance.now() - start > budgetMs) return removed;
    }
  }
}

/** Keys without a TTL the expiry sweep may pass per key sampled. */
const SCAN_PER_SAMPLE = 64;
