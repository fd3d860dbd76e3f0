/**
 * The keyspace's hash table: string keys → values, a compact dict as CPython's (entries in
 * insertion order in dense arrays, an open-addressed index of entry numbers beside them).
 *
 * Why not a JS Map: loading millions of keys from an RDB spends most of its time in
 * Map.set (cache misses walking V8's bucket chains to compare keys, plus rehashing as it
 * doubles) — 500 ns a key at 4M keys, where this table, sized up front from RESIZEDB as
 * Redis sizes its dict, takes about 110 ns. Lookups compare a stored 32-bit hash before
 * touching a key, so a probe rarely dereferences a string.
 *
 * Iteration is by entry position, so it survives writes as a Map iterator does: entries
 * appended during it are visited, deleted ones skipped, and after clear() it goes on with
 * what is added next. Deleting leaves a hole; holes are squeezed out when the index is
 * rebuilt, and open cursors (the copy-on-write snapshot and the expiry sweep hold one across
 * event-loop turns) are moved to the same place in the squeezed order.
 */
const EMPTY = 0;
const DELETED = -1;
const MIN_SLOTS = 16;

/** A per-process seed, so that colliding keys are hard to choose in advance (hash flooding). */
const SEED = (Math.random() * 0x100000000) | 0;

/** FNV-1a over the key's char codes (latin1: one per byte) with a murmur3 finaliser. */
export function hashKey(s: string): number {
  let h = 0x811c9dc5 ^ SEED;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function pow2AtLeast(n: number): number {
  let p = MIN_SLOTS;
  while (p < n) p *= 2;
  return p;
}

/** A position in a KeyTable's entry order; see KeyTable.cursor(). */
export interface KeyCursor<V> {
  /** The next live entry, or undefined at the end (which also closes the cursor). */
  next(): [string, V] | undefined;
  close(): void;
  /** Entries at positionOf() below this have been returned (or were deleted when passed). */
  readonly position: number;
}

export class KeyTable<V> {
  private keyAt: (string | undefined)[] = [];
  private valAt: (V | undefined)[] = [];
  private hashAt = new Int32Array(MIN_SLOTS);
  /** Entry number + 1, EMPTY or DELETED. Never more than half full. */
  private slots = new Int32Array(MIN_SLOTS * 2);
  private used = 0;
  private live = 0;
  /** Positions of open cursors, moved along when holes are squeezed out. */
  private readonly cursors = new Set<{ pos: number }>();

  get size(): number {
    return this.live;
  }

  /** Sizes the table for `n` keys up front (an RDB's RESIZEDB hint), so loading never rehashes. */
  reserve(n: number): void {
    if (n > this.hashAt.length || 2 * (n + 1) > this.slots.length) this.rebuild(n);
  }

  get(key: string): V | undefined {
    const e = this.find(key, hashKey(key));
    return e < 0 ? undefined : this.valAt[e];
  }

  has(key: string): boolean {
    return this.find(key, hashKey(key)) >= 0;
  }

  set(key: string, value: V): this {
    const h = hashKey(key);
    const e = this.find(key, h);
    if (e >= 0) {
      this.valAt[e] = value;
      return this;
    }
    if (2 * (this.used + 1) > this.slots.length || this.used === this.hashAt.length) this.rebuild(this.live + 1);
    const n = this.used++;
    this.keyAt[n] = key;
    this.valAt[n] = value;
    this.hashAt[n] = h;
    this.live++;
    this.place(h, n);
    return this;
  }

  delete(key: string): boolean {
    const h = hashKey(key);
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i]!;
      if (s === EMPTY) return false;
      if (s > 0 && this.hashAt[s - 1] === h && this.keyAt[s - 1] === key) {
        this.slots[i] = DELETED;
        this.keyAt[s - 1] = undefined;
        this.valAt[s - 1] = undefined;
        this.live--;
        return true;
      }
    }
  }

  clear(): void {
    this.keyAt = [];
    this.valAt = [];
    this.hashAt = new Int32Array(MIN_SLOTS);
    this.slots = new Int32Array(MIN_SLOTS * 2);
    this.used = 0;
    this.live = 0;
    for (const c of this.cursors) c.pos = 0;
  }

  /** A uniformly random key (RANDOMKEY), or undefined when empty. */
  randomKey(random: () => number = Math.random): string | undefined {
    if (this.live === 0) return undefined;
    // Sparse after many deletes: squeeze the holes out first so sampling stays O(1) expected.
    if (this.live * 4 < this.used) this.rebuild(this.live);
    for (;;) {
      const k = this.keyAt[Math.floor(random() * this.used)];
      if (k !== undefined) return k;
    }
  }

  /**
   * A cursor over the entries in insertion order that stays valid across writes (entries
   * added meanwhile are visited; deleted ones skipped). Close it when abandoning it early,
   * or it stays registered (and is moved along at every squeeze) for the table's lifetime.
   */
  cursor(): KeyCursor<V> {
    const at = { pos: 0 };
    this.cursors.add(at);
    let open = true;
    const close = (): void => {
      open = false;
      this.cursors.delete(at);
    };
    return {
      next: () => {
        while (open && at.pos < this.used) {
          const i = at.pos++;
          const k = this.keyAt[i];
          if (k !== undefined) return [k, this.valAt[i] as V];
        }
        close();
        return undefined;
      },
      close,
      get position() {
        return at.pos;
      },
    };
  }

  /** Where `key` is in iteration order (compare with a cursor's position), or -1. */
  positionOf(key: string): number {
    return this.find(key, hashKey(key));
  }

  /** The value at a position positionOf() just returned (no second lookup). */
  valueAt(position: number): V {
    return this.valAt[position] as V;
  }

  *entries(): IterableIterator<[string, V]> {
    const c = this.cursor();
    try {
      for (let e = c.next(); e !== undefined; e = c.next()) yield e;
    } finally {
      c.close();
    }
  }

  *keys(): IterableIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  /** The entry number of `key`, or -1. */
  private find(key: string, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = slots[i]!;
      if (s === EMPTY) return -1;
      if (s > 0 && this.hashAt[s - 1] === h && this.keyAt[s - 1] === key) return s - 1;
    }
  }

  private place(h: number, n: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = h & mask;
    while (slots[i] !== EMPTY) i = (i + 1) & mask;
    slots[i] = n + 1;
  }

  /** Rebuilds the index for at least `want` live keys, squeezing holes out when allowed. */
  private rebuild(want: number): void {
    if (this.live < this.used) this.compact();
    const entries = Math.max(want, this.used + 1);
    // Grow when over 3/4 full even after compacting, so a rebuild is amortised over many sets.
    if (this.hashAt.length < entries || this.used * 4 > this.hashAt.length * 3) {
      const grown = new Int32Array(Math.max(entries, this.hashAt.length * 2));
      grown.set(this.hashAt.subarray(0, this.used));
      this.hashAt = grown;
    }
    this.slots = new Int32Array(pow2AtLeast(2 * Math.max(entries, this.hashAt.length)));
    for (let n = 0; n < this.used; n++) if (this.keyAt[n] !== undefined) this.place(this.hashAt[n]!, n);
  }

  private compact(): void {
    const keys: string[] = new Array(this.live);
    const vals: V[] = new Array(this.live);
    // A cursor at p moves to the number of live entries before p: the same place in order.
    const moving = [...this.cursors].sort((a, b) => a.pos - b.pos);
    let c = 0;
    let j = 0;
    for (let n = 0; n < this.used; n++) {
      while (c < moving.length && moving[c]!.pos <= n) moving[c++]!.pos = j;
      const k = this.keyAt[n];
      if (k === undefined) continue;
      keys[j] = k;
      vals[j] = this.valAt[n] as V;
      this.hashAt[j] = this.hashAt[n]!;
      j++;
    }
    while (c < moving.length) moving[c++]!.pos = j;
    this.keyAt = keys;
    this.valAt = vals;
    this.used = j;
  }
}
