import { KeyTable } from './key-table.js';

/**
 * The dataset: keys → values plus expiry times. No I/O. Strings are latin1 JS strings
 * (one char per byte). Every mutation goes through here so that two hooks see it first:
 * `beforeWrite` (copy-on-write snapshots preserve the old value) and `onExpire` (the server
 * propagates a DEL to the AOF, as Redis does).
 */
export class ZSet {
  readonly scores = new Map<string, number>();
  private sorted: string[] | null = null;

  add(member: string, score: number): void {
    this.scores.set(member, score);
    this.sorted = null;
  }

  remove(member: string): boolean {
    const had = this.scores.delete(member);
    if (had) this.sorted = null;
    return had;
  }

  get size(): number {
    return this.scores.size;
  }

  /** Members ordered by (score, member), as Redis orders them. */
  ordered(): string[] {
    if (this.sorted === null) {
      const s = this.scores;
      this.sorted = [...s.keys()].sort((a, b) => {
        // Compare, not subtract: inf - inf is NaN.
        const x = s.get(a)!;
        const y = s.get(b)!;
        if (x !== y) return x < y ? -1 : 1;
        return a < b ? -1 : a > b ? 1 : 0;
      });
    }
    return this.sorted;
  }

  clone(): ZSet {
    const z = new ZSet();
    for (const [m, s] of this.scores) z.scores.set(m, s);
    return z;
  }
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
export type Value = string | List | Hash | RSet | ZSet;
export type TypeName = 'string' | 'list' | 'hash' | 'set' | 'zset';

export function typeOf(v: Value): TypeName {
  if (typeof v === 'string') return 'string';
  if (v instanceof List) return 'list';
  if (v instanceof Map) return 'hash';
  if (v instanceof Set) return 'set';
  return 'zset';
}

/** Deep copy, for copy-on-write preservation of mutable collections. */
export function cloneValue(v: Value): Value {
  if (typeof v === 'string') return v;
  if (v instanceof List || v instanceof ZSet) return v.clone();
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
  else for (const m of v.scores.keys()) n += m.length + 16;
  return n;
}

export class Keyspace {
  readonly data = new KeyTable<Value>();
  /** key → absolute expiry in unix ms */
  readonly expires = new KeyTable<number>();
  /** Called before any change to `key` (value, TTL or existence). */
  beforeWrite: ((key: string) => void) | null = null;
  /** Called before any change to `key`, after beforeWrite: WATCH's registry (touchWatchedKey). */
  onTouch: ((key: string) => void) | null = null;
  /** Called after a key was removed because it expired. */
  onExpire: ((key: string) => void) | null = null;
  /** Changes since the last successful save (rdb_changes_since_last_save). */
  dirty = 0;
  /** When false (e.g. while loading), reads do not expire keys. */
  expireOnRead = true;
  expiredKeys = 0;
  private sweep: Iterator<[string, number]> | null = null;

  get size(): number {
    return this.data.size;
  }

  /** The live value, or undefined when missing or expired (which deletes it). */
  get(key: string): Value | undefined {
    const v = this.data.get(key);
    if (v === undefined) return undefined;
    if (this.expires.size > 0 && this.expireIfNeeded(key)) return undefined;
    return v;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Sets a value. Clears the TTL unless keepTtl (SET KEEPTTL, in-place ops). */
  set(key: string, value: Value, keepTtl = false): void {
    this.beforeWrite?.(key);
    this.onTouch?.(key);
    this.data.set(key, value);
    if (!keepTtl && this.expires.size > 0) this.expires.delete(key);
    this.dirty++;
  }

  /** Call before mutating a collection in place; returns it for chaining. */
  mutate<T extends Value>(key: string, value: T): T {
    this.beforeWrite?.(key);
    this.onTouch?.(key);
    this.dirty++;
    return value;
  }

  delete(key: string): boolean {
    if (!this.data.has(key)) return false;
    this.beforeWrite?.(key);
    this.onTouch?.(key);
    this.data.delete(key);
    this.expires.delete(key);
    this.dirty++;
    return true;
  }

  getExpire(key: string): number | undefined {
    return this.expires.get(key);
  }

  setExpire(key: string, atMs: number): void {
    this.beforeWrite?.(key);
    this.onTouch?.(key);
    this.expires.set(key, atMs);
    this.dirty++;
  }

  persist(key: string): boolean {
    if (!this.expires.has(key)) return false;
    this.beforeWrite?.(key);
    this.onTouch?.(key);
    this.expires.delete(key);
    this.dirty++;
    return true;
  }

  flush(): void {
    if (this.beforeWrite) for (const k of this.data.keys()) this.beforeWrite(k);
    if (this.onTouch) for (const k of this.data.keys()) this.onTouch(k);
    this.dirty += this.data.size;
    this.data.clear();
    this.expires.clear();
    // Close the sweep's cursor (its generator's finally), or the table keeps it registered.
    this.sweep?.return?.();
    this.sweep = null;
  }

  /** Loads a key without hooks or dirty accounting (RDB/AOF loading). */
  load(key: string, value: Value, expireAt?: number): void {
    this.data.set(key, value);
    if (expireAt !== undefined) this.expires.set(key, expireAt);
  }

  /** True when the key was expired and has been deleted. */
  expireIfNeeded(key: string, now = Date.now()): boolean {
    if (!this.expireOnRead) return false;
    const at = this.expires.get(key);
    if (at === undefined || at > now) return false;
    this.beforeWrite?.(key);
    this.onTouch?.(key);
    this.data.delete(key);
    this.expires.delete(key);
    this.dirty++;
    this.expiredKeys++;
    this.onExpire?.(key);
    return true;
  }

  /**
   * Active expiry, as Redis's activeExpireCycle: walk the expires table a sample at a time,
   * deleting what has expired, and keep going while more than a quarter of a sample was
   * expired and the time budget lasts.
   */
  activeExpireCycle(budgetMs = 1, sample = 20): number {
    if (this.expires.size === 0 || !this.expireOnRead) return 0;
    const start = performance.now();
    const now = Date.now();
    let removed = 0;
    for (;;) {
      let seen = 0;
      let expired = 0;
      const due: string[] = [];
      while (seen < sample) {
        if (this.sweep === null) this.sweep = this.expires.entries();
        const r = this.sweep.next();
        if (r.done) {
          this.sweep = null;
          break;
        }
        seen++;
        if (r.value[1] <= now) due.push(r.value[0]);
      }
      for (const k of due) if (this.expireIfNeeded(k, now)) expired++;
      removed += expired;
      if (seen === 0 || expired * 4 <= seen || performance.now() - start > budgetMs) return removed;
    }
  }
}
