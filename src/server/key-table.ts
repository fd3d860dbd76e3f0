import { Arena, copyBytes } from './store/arena.js';
import type { TableMemory } from './store/table-view.js';
import { hashBytes, hashKey } from './store/key-hash.js';
import { lru, SHARED, sharedInteger, sharedIntegerBytes } from './lru-clock.js';
import { FIELDS, HASH, KLEN, REF, SEG, SEG_BITS, SEG_MASK, STAMP, VLEN } from './store/entry-layout.js';
import { letGo, untrackedFloat64s, untrackedInt32s } from './store/untracked.js';

/**
 * The keyspace's table, kept out of the garbage collector's way: every key and every string
 * value lives as bytes in an Arena (one block per entry: key bytes then value bytes), the
 * per-entry numbers in typed arrays, and only collections (list, hash, set, zset) as JS
 * objects in a side map. A major GC then marks a few hundred buffers instead of two heap
 * strings per key (a 69 ms Mark-Compact at 630k keys before).
 *
 * Entries have stable numbers (positions): a deleted entry's number is reused by a later
 * insert, and nothing is ever moved, so a cursor is just a position. A cursor visits every
 * entry present from its start to its end exactly once; entries added meanwhile may or may
 * not be visited. After clear() a cursor goes on with what is added next.
 *
 * The index is open-addressed (linear probing) and grows
 * incrementally as Redis's dict rehashes: a larger index is allocated and its pages
 * faulted in a few inserts at a time (prepareNext), then every write moves REHASH_STEP
 * slots of the old one and the server's cron moves more for up to a millisecond; lookups
 * meanwhile probe both. Moved slots are left
 * as tombstones, so the old index's probe chains stay intact until it is dropped. A slot
 * is three int32s: the entry number + 1, the key's hash and the entry's arena block. With
 * the hash a probe passes other keys' slots without reading their entries (a cache miss
 * each: 15% of loading a 1M-key AOF) and a rehash reads no entries at all. With the block
 * a lookup knows both the entry's fields and the key's bytes from the slot, so their two
 * cache misses overlap where they came one after the other (slot → entry → block): with
 * 100k keys under redis-benchmark's SET -P 1 the lookup went from 17% to 14% of the
 * server's CPU (perf), for 4 more bytes a slot.
 *
 * One more per-entry field mirrors Redis's robj header: the access clock (robj->lru, see
 * lru-clock.ts), stamped when the entry is written and by touch(), with 2 bits saying how a
 * string value was made (0: by tryObjectEncoding, so it may be a shared integer, whose
 * clock it then uses; other values are the callers', see string-encoding.ts). It sits next
 * to the hash the probe reads, so a read's stamp costs no memory access of its own.
 */
const EMPTY = 0;
const DELETED = -1;
const MIN_SLOTS = 16;
/** Old-index slots moved per write while a rehash is in progress. */
const REHASH_STEP = 32;
/** Indexes of at least this many slots fault their successor in before growing (prepareNext). */
const PREPARE_FROM_SLOTS = 1 << 15;
/** Int32s in a 4 KB page: prepareNext writes one int32 in each. */
const PAGE_INT32S = 1024;
/** Inserts per page of the successor faulted in (prepareNext). */
const INSERTS_PER_TOUCH = 4;

/**
 * Entries the first segment starts with; it doubles up to SEG. A full segment is 1.8 MB:
 * the two small tables every snapshot makes (what copy-on-write kept or found absent) were
 * 3.6 MB allocated the instant BGSAVE began, as was any database's first key.
 */
const FIRST_SEG = 1024;
/** The STAMP field's string-encoding bits (above SHARED and the 24-bit clock). */
const ENC_SHIFT = 28;
const ENC_MASK = 3 << ENC_SHIFT;
const SHARED_INT_MASK = (1 << 14) - 1;

/** Int32s an index slot takes: entry + 1 (or EMPTY, DELETED), the key's hash, the entry's block. */
const SLOT = 3;
const S_HASH = 1;
const S_REF = 2;

/** An empty index of `n` slots (a power of two). */
function newIndex(n: number): Int32Array {
  return untrackedInt32s(SLOT * n);
}

/** The slot count of an index, less one (its slots are a power of two). */
function maskOf(index: Int32Array): number {
  return index.length / SLOT - 1;
}

function pow2AtLeast(n: number): number {
  let p = MIN_SLOTS;
  while (p < n) p *= 2;
  return p;
}

/** A position in a KeyTable; see KeyTable.cursor(). */
export interface EntryCursor {
  /** The next live entry's number, or -1 at the end. */
  next(): number;
  /** Entries at numbers below this have been passed (or were not live when passed); 0 again after clear(). */
  readonly position: number;
}

/** What a collection entry holds (any JS object but a string). */
export type Collection = object;

export class KeyTable<C extends Collection = Collection> {
  private readonly arena = new Arena();
  /** Segments of SEG entries × FIELDS int32s (the first may be smaller while it grows). */
  private meta: Int32Array[] = [];
  /** Segments of SEG expiry times (unix ms), NaN when none. */
  private exp: Float64Array[] = [];
  private objs = new Map<number, C>();
  /** Entry numbers below this have been handed out. */
  private used = 0;
  private live = 0;
  private expiring = 0;
  /** Free entry numbers (a stack). */
  private free = untrackedInt32s(64);
  private freeCount = 0;
  /** The index: slot i is [SLOT·i] = entry + 1 (or EMPTY, DELETED), then its hash and its block. */
  private slots = newIndex(MIN_SLOTS);
  /** Non-empty slots of `slots` (live + tombstones). */
  private filled = 0;
  /** The index being moved out of during an incremental rehash. */
  private old: Int32Array | null = null;
  private oldPos = 0;
  /** The index the next growth moves into, faulted in a page at a time before it (prepareNext). */
  private next: Int32Array | null = null;
  /** The next int32 of `next` to write; inserts since the last write. */
  private nextTouched = 0;
  private insertsSinceTouch = 0;
  /** Bumped by clear(): cursors from before start again at 0. */
  private epoch = 0;
  /**
   * While true, new entries are numbered from the high-water mark up, never with a freed
   * number: a snapshot then knows every entry below its start's high-water mark was there
   * at the start (snapshot.ts), and an encoding thread reading them sees no new key appear.
   */
  holdNumbers = false;

  get size(): number {
    return this.live;
  }

  /** Entries with an expiry time. */
  get expiresCount(): number {
    return this.expiring;
  }

  /** True while an incremental rehash is in progress. */
  get rehashing(): boolean {
    return this.old !== null;
  }

  /** Off-heap bytes held by keys and string values (pages), plus the index and entry arrays. */
  get offHeapBytes(): number {
    let segs = 0;
    for (let i = 0; i < this.meta.length; i++) segs += this.meta[i]!.byteLength + this.exp[i]!.byteLength;
    return this.arena.reservedBytes + this.slots.byteLength + (this.old?.byteLength ?? 0) + (this.next?.byteLength ?? 0) + segs;
  }

  /** The entry arrays and arena as they are now, for the RDB encoding thread (table-view.ts). */
  memory(): TableMemory {
    return { meta: [...this.meta], exp: [...this.exp], arena: this.arena.memory() };
  }

  /** Sizes the index for `n` more keys at once (an RDB's RESIZEDB hint), so loading never rehashes. */
  reserve(n: number): void {
    const want = pow2AtLeast(2 * (this.live + n) + 2);
    if (want > maskOf(this.slots) + 1) this.rebuild(want);
  }

  // ---- lookups ----

  /** The entry number of `key`, or -1. `h`: its hashKey, when the caller has it. */
  find(key: string, h = hashKey(key)): number {
    return this.findHashed(key, h);
  }

  /**
   * The entry number of the key held in buf[off, off + len), or -1. `h`: the key's hashBytes,
   * when the caller has it (an addBytes may follow with the same).
   */
  findBytes(buf: Buffer, off: number, len: number, h = hashBytes(buf, off, len)): number {
    const e = this.probeBytes(this.slots, buf, off, len, h);
    return e >= 0 || this.old === null ? e : this.probeBytes(this.old, buf, off, len, h);
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  /** The value of entry `e`: a string (latin1, materialized now) or the collection. */
  value(e: number): string | C {
    const m = this.meta[e >>> SEG_BITS]!;
    const i = (e & SEG_MASK) * FIELDS;
    const vlen = m[i + VLEN]!;
    if (vlen < 0) return this.objs.get(e)!;
    const ref = m[i + REF]!;
    const start = this.arena.offset(ref) + m[i + KLEN]!;
    return this.arena.buffer(ref).latin1Slice(start, start + vlen);
  }

  /** The string value of `key`, or the collection, or undefined. */
  get(key: string): string | C | undefined {
    const e = this.find(key);
    return e < 0 ? undefined : this.value(e);
  }

  key(e: number): string {
    const m = this.meta[e >>> SEG_BITS]!;
    const i = (e & SEG_MASK) * FIELDS;
    const ref = m[i + REF]!;
    const start = this.arena.offset(ref);
    return this.arena.buffer(ref).latin1Slice(start, start + m[i + KLEN]!);
  }

  /** Whether entry `e` holds a string (its bytes are at valueOffset) rather than a collection. */
  isString(e: number): boolean {
    return this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + VLEN]! >= 0;
  }

  // Byte access for the persistence paths (no JS string made): the key is at
  // buffer(e)[keyOffset(e), + keyLength(e)), a string value right after it.
  buffer(e: number): Buffer {
    return this.arena.buffer(this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + REF]!);
  }

  keyOffset(e: number): number {
    return this.arena.offset(this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + REF]!);
  }

  keyLength(e: number): number {
    return this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + KLEN]!;
  }

  /** Length of the string value, or -1 for a collection. */
  valueLength(e: number): number {
    return this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + VLEN]!;
  }

  /** Expiry time (unix ms) of entry `e`, or undefined. */
  expireAt(e: number): number | undefined {
    const t = this.exp[e >>> SEG_BITS]![e & SEG_MASK]!;
    return t === t ? t : undefined;
  }

  /** Entry `e`'s access stamp: a clock value or SHARED | an integer (lru-clock.ts: idleSeconds). */
  stampOf(e: number): number {
    return this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + STAMP]! & ~ENC_MASK;
  }

  /** How entry `e`'s string value was made (what set was given; 0 for addBytes). */
  encodingOf(e: number): number {
    return (this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + STAMP]! & ENC_MASK) >>> ENC_SHIFT;
  }

  /** lookupKey's `val->lru = LRU_CLOCK()`: stamps entry `e`, or the shared integer it holds. */
  touch(e: number): void {
    this.setClock(e, lru.now);
  }

  /** Sets entry `e`'s stamp as stampOf gave it (RENAME and MOVE carry the object, clock included). */
  setStamp(e: number, stamp: number): void {
    const m = this.meta[e >>> SEG_BITS]!;
    const i = (e & SEG_MASK) * FIELDS + STAMP;
    m[i] = (m[i]! & ENC_MASK) | stamp;
  }

  /** Sets the clock entry `e` reads (its own, or its shared integer's): RESTORE ... IDLETIME. */
  setClock(e: number, clock: number): void {
    const m = this.meta[e >>> SEG_BITS]!;
    const i = (e & SEG_MASK) * FIELDS + STAMP;
    const t = m[i]!;
    if (t & SHARED) lru.shared[t & SHARED_INT_MASK] = clock;
    else m[i] = (t & ENC_MASK) | clock;
  }

  // ---- writes ----

  /**
   * Sets `key`'s value (overwriting in place when the block's size class fits); returns its
   * entry. The value is new: it gets the clock now, unless `enc` is 0 and it is a shared
   * integer. An old value that was a shared integer stamps that integer's clock first
   * (setKey's lookupKeyWrite).
   */
  set(key: string, value: string | C, enc = 0, h = hashKey(key)): number {
    const e = this.findHashed(key, h);
    if (this.old !== null) this.rehashStep(REHASH_STEP);
    if (e >= 0) {
      // setKey's lookupKeyWrite stamps the old value: only a shared integer's clock outlives it.
      const t = this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + STAMP]!;
      if (t & SHARED) lru.shared[t & SHARED_INT_MASK] = lru.now;
      if (typeof value === 'string') this.assignString(e, value);
      else this.assignObject(e, value);
      this.stamp(e, value, enc);
      return e;
    }
    const klen = key.length;
    const isStr = typeof value === 'string';
    const vlen = isStr ? value.length : 0;
    const ref = this.arena.alloc(klen + vlen);
    const buf = this.arena.buffer(ref);
    const off = this.arena.offset(ref);
    buf.latin1Write(key, off, klen);
    if (isStr) buf.latin1Write(value, off + klen, vlen);
    const n = this.insert(h, ref, klen, isStr ? vlen : -1);
    if (!isStr) this.objs.set(n, value);
    this.stamp(n, value, enc);
    return n;
  }

  /**
   * Adds a key given as bytes with its string value (a snapshot's preserved value, without
   * making JS strings); returns its entry, or -1 when the table holds the key already
   * (nothing changed). One probe finds both: where the key would be and whether it is there.
   */
  addBytes(kbuf: Buffer, koff: number, klen: number, vbuf: Buffer, voff: number, vlen: number, h = hashBytes(kbuf, koff, klen)): number {
    const ref = this.stage(kbuf, koff, klen, vbuf, voff, vlen);
    const e = this.addStaged(h, ref, klen, vlen);
    if (e < 0) this.arena.free(ref, klen + vlen);
    return e;
  }

  /**
   * Copies a key and its string value into the arena (the key first) for addStaged: a load
   * stages a batch of records, then inserts them (see the RDB collector). Returns the block.
   */
  stage(kbuf: Buffer, koff: number, klen: number, vbuf: Buffer, voff: number, vlen: number): number {
    const ref = this.arena.alloc(klen + vlen);
    const buf = this.arena.buffer(ref);
    const off = this.arena.offset(ref);
    copyBytes(kbuf, koff, klen, buf, off);
    copyBytes(vbuf, voff, vlen, buf, off + klen);
    return ref;
  }

  /**
   * The index slot a key of hash `h` probes first. A batch of inserts reads each of
   * theirs before inserting any: the reads miss the cache (the index is many MB), and
   * independent misses overlap, where each insert on its own waited for its miss.
   */
  firstSlot(h: number): number {
    return this.slots[SLOT * (h & maskOf(this.slots))]!;
  }

  /**
   * addBytes of a record `stage` copied to `ref`. Returns its entry, or -1 when the table holds
   * the key already: nothing changed, `ref` is still the caller's (replaceStaged).
   */
  addStaged(h: number, ref: number, klen: number, vlen: number): number {
    const kbuf = this.arena.buffer(ref);
    const koff = this.arena.offset(ref);
    this.beforeInsert();
    if (this.old !== null) {
      this.rehashStep(REHASH_STEP);
      if (this.old !== null && this.probeBytes(this.old, kbuf, koff, klen, h) >= 0) return -1;
    }
    const slots = this.slots;
    const at = this.slotForBytes(slots, kbuf, koff, klen, h);
    if (at < 0) return -1;
    const e = this.newEntry(h, ref, klen, vlen);
    if (slots[SLOT * at] === EMPTY) this.filled++;
    slots[SLOT * at] = e + 1;
    slots[SLOT * at + S_HASH] = h;
    slots[SLOT * at + S_REF] = ref;
    const n = sharedIntegerBytes(kbuf, koff + klen, vlen);
    this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + STAMP] = n < 0 ? lru.now : SHARED | n;
    return e;
  }

  /** A staged record whose key the table holds: its value replaces the key's (set), the block is freed. */
  replaceStaged(ref: number, klen: number, vlen: number): number {
    const buf = this.arena.buffer(ref);
    const off = this.arena.offset(ref);
    const key = buf.latin1Slice(off, off + klen);
    const value = buf.latin1Slice(off + klen, off + klen + vlen);
    this.arena.free(ref, klen + vlen);
    return this.set(key, value);
  }

  setExpireAt(e: number, at: number | undefined): void {
    const s = this.exp[e >>> SEG_BITS]!;
    const i = e & SEG_MASK;
    const had = s[i] === s[i];
    const has = at !== undefined;
    s[i] = has ? at : NaN;
    this.expiring += (has ? 1 : 0) - (had ? 1 : 0);
  }

  delete(key: string): boolean {
    const h = hashKey(key);
    let e = this.unlinkHashed(this.slots, key, h);
    if (e < 0 && this.old !== null) e = this.unlinkHashed(this.old, key, h);
    if (e < 0) return false;
    this.release(e);
    if (this.old !== null) this.rehashStep(REHASH_STEP);
    return true;
  }

  /** Removes entry `e`, found by its number rather than its key (no key string made). */
  deleteEntry(e: number): void {
    const h = this.hashOf(e);
    if (!this.unlinkEntry(this.slots, e, h) && this.old !== null) this.unlinkEntry(this.old, e, h);
    this.release(e);
  }

  clear(): void {
    letGo(this.offHeapBytes);
    this.arena.clear();
    this.meta = [];
    this.exp = [];
    this.objs = new Map();
    this.used = 0;
    this.live = 0;
    this.expiring = 0;
    this.free = untrackedInt32s(64);
    this.freeCount = 0;
    this.slots = newIndex(MIN_SLOTS);
    this.filled = 0;
    this.old = null;
    this.oldPos = 0;
    this.next = null;
    this.epoch++;
  }

  /**
   * Empties the table as clear() does but keeps its memory (arena pages, entry segments, the
   * index) for what is added next. For a table refilled again and again, as each snapshot's
   * copy-on-write table is (snapshot.ts): made anew each time, its pages, segments and index
   * doublings, 5-10 MB at 1M keys, were freed by the next Mark-Compact, a munmap each, and
   * that was most of its pause. Costs a fill of the index and of the expiry segments.
   */
  reset(): void {
    this.arena.reset();
    for (const x of this.exp) x.fill(NaN);
    this.objs.clear();
    this.used = 0;
    this.live = 0;
    this.expiring = 0;
    this.freeCount = 0;
    // Mid-rehash, `slots` is the larger index: the old one goes.
    this.old = null;
    this.oldPos = 0;
    this.slots.fill(EMPTY);
    this.filled = 0;
    this.epoch++;
  }

  // ---- iteration ----

  /** A uniformly random live entry (RANDOMKEY), or -1 when empty. */
  randomEntry(random: () => number = Math.random): number {
    if (this.live === 0) return -1;
    for (let tries = 0; tries < 64; tries++) {
      const e = Math.floor(random() * this.used);
      if (this.keyLength(e) >= 0) return e;
    }
    // Mostly holes (many deletes since the high-water mark): walk from a random start.
    const start = Math.floor(random() * this.used);
    for (let k = 0; k < this.used; k++) {
      const e = (start + k) % this.used;
      if (this.keyLength(e) >= 0) return e;
    }
    return -1;
  }

  /** A cursor over the live entries by number; it needs no closing (nothing is registered). */
  cursor(): EntryCursor {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    let pos = 0;
    let epoch = this.epoch;
    return {
      next: () => {
        if (epoch !== this.epoch) {
          epoch = this.epoch;
          pos = 0;
        }
        while (pos < this.used) {
          const e = pos++;
          if (this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + KLEN]! >= 0) return e;
        }
        return -1;
      },
      get position() {
        return epoch === self.epoch ? pos : 0;
      },
    };
  }

  /**
   * Entry numbers handed out so far: every live entry is numbered below this (SCAN's end).
   * A key keeps its number for life (no compaction; rehashing moves index slots only).
   */
  get highWater(): number {
    return this.used;
  }

  /** Whether entry number `e` holds a live key. */
  isLive(e: number): boolean {
    return e < this.used && this.keyLength(e) >= 0;
  }

  /** Live entry numbers, for whole-table walks (KEYS, synchronous saves). */
  *entryNumbers(): IterableIterator<number> {
    const c = this.cursor();
    for (let e = c.next(); e >= 0; e = c.next()) yield e;
  }

  *keys(): IterableIterator<string> {
    for (const e of this.entryNumbers()) yield this.key(e);
  }

  *entries(): IterableIterator<[string, string | C]> {
    for (const e of this.entryNumbers()) yield [this.key(e), this.value(e)];
  }

  [Symbol.iterator](): IterableIterator<[string, string | C]> {
    return this.entries();
  }

  /**
   * Moves up to `slots` slots of the old index into the new one; returns true when no
   * rehash is left. The cron calls it with a time budget (rehashFor).
   */
  rehashStep(slots: number): boolean {
    const old = this.old;
    if (old === null) return true;
    const n = maskOf(old) + 1;
    const end = Math.min(n, this.oldPos + slots);
    for (let i = this.oldPos; i < end; i++) {
      const s = old[SLOT * i]!;
      if (s > 0) {
        old[SLOT * i] = DELETED;
        this.place(old[SLOT * i + S_HASH]!, s - 1, old[SLOT * i + S_REF]!);
      }
    }
    this.oldPos = end;
    if (end < n) return false;
    this.old = null;
    return true;
  }

  /** Rehashes for up to `ms` milliseconds (Redis's incrementallyRehash from serverCron). */
  rehashFor(ms: number): void {
    if (this.old === null) return;
    const t0 = performance.now();
    while (!this.rehashStep(4096) && performance.now() - t0 < ms);
  }

  // ---- internals ----

  /** The key hash of entry `e` (hashKey of its key). */
  hashAt(e: number): number {
    return this.hashOf(e);
  }

  private hashOf(e: number): number {
    return this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + HASH]!;
  }

  private findHashed(key: string, h: number): number {
    const e = this.probe(this.slots, key, h);
    return e >= 0 || this.old === null ? e : this.probe(this.old, key, h);
  }

  /** Whether entry `e`, whose block is `ref` (from its slot), holds `key`. */
  private keyEquals(e: number, ref: number, key: string): boolean {
    const n = key.length;
    // Predicted equal: the block's bytes load while this one does (both addresses from the slot).
    if (this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + KLEN] !== n) return false;
    const buf = this.arena.buffer(ref);
    const off = this.arena.offset(ref);
    for (let j = 0; j < n; j++) if (buf[off + j] !== key.charCodeAt(j)) return false;
    return true;
  }

  /** keyEquals for a key given as bytes, kbuf[koff, koff + klen) (a file being loaded). */
  private keyEqualsBytes(e: number, ref: number, kbuf: Buffer, koff: number, klen: number): boolean {
    if (this.keyLength(e) !== klen) return false;
    const buf = this.arena.buffer(ref);
    const off = this.arena.offset(ref);
    for (let j = 0; j < klen; j++) if (buf[off + j] !== kbuf[koff + j]) return false;
    return true;
  }

  private probe(slots: Int32Array, key: string, h: number): number {
    const mask = maskOf(slots);
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = slots[SLOT * i]!;
      if (s === EMPTY) return -1;
      if (s > 0 && slots[SLOT * i + S_HASH] === h && this.keyEquals(s - 1, slots[SLOT * i + S_REF]!, key)) return s - 1;
    }
  }

  private probeBytes(slots: Int32Array, kbuf: Buffer, koff: number, klen: number, h: number): number {
    const mask = maskOf(slots);
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = slots[SLOT * i]!;
      if (s === EMPTY) return -1;
      if (s > 0 && slots[SLOT * i + S_HASH] === h && this.keyEqualsBytes(s - 1, slots[SLOT * i + S_REF]!, kbuf, koff, klen)) return s - 1;
    }
  }

  /** Where the key in kbuf[koff, +klen) goes in `slots` (the probe's first free slot), or -1 when it is there. */
  private slotForBytes(slots: Int32Array, kbuf: Buffer, koff: number, klen: number, h: number): number {
    const mask = maskOf(slots);
    let free = -1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = slots[SLOT * i]!;
      if (s === EMPTY) return free < 0 ? i : free;
      if (s === DELETED) {
        if (free < 0) free = i;
      } else if (slots[SLOT * i + S_HASH] === h && this.keyEqualsBytes(s - 1, slots[SLOT * i + S_REF]!, kbuf, koff, klen)) {
        return -1;
      }
    }
  }

  /** Finds `key` in `slots`, turns its slot into a tombstone; returns its entry or -1. */
  private unlinkHashed(slots: Int32Array, key: string, h: number): number {
    const mask = maskOf(slots);
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = slots[SLOT * i]!;
      if (s === EMPTY) return -1;
      if (s > 0 && slots[SLOT * i + S_HASH] === h && this.keyEquals(s - 1, slots[SLOT * i + S_REF]!, key)) {
        slots[SLOT * i] = DELETED;
        return s - 1;
      }
    }
  }

  /** The slot of entry `e` (hash `h`) in `slots`, or -1. */
  private slotOf(slots: Int32Array, e: number, h: number): number {
    const mask = maskOf(slots);
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = slots[SLOT * i]!;
      if (s === EMPTY) return -1;
      if (s === e + 1) return i;
    }
  }

  private unlinkEntry(slots: Int32Array, e: number, h: number): boolean {
    const i = this.slotOf(slots, e, h);
    if (i >= 0) slots[SLOT * i] = DELETED;
    return i >= 0;
  }

  /** Entry `e` moved to block `ref`: its slot (in the index, or the old one mid-rehash) says so too. */
  private moved(e: number, ref: number): void {
    this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + REF] = ref;
    const h = this.hashOf(e);
    let i = this.slotOf(this.slots, e, h);
    if (i >= 0) this.slots[SLOT * i + S_REF] = ref;
    else if (this.old !== null && (i = this.slotOf(this.old, e, h)) >= 0) this.old[SLOT * i + S_REF] = ref;
  }

  /** A new value's stamp and encoding bits. */
  private stamp(e: number, value: string | C, enc: number): void {
    // Only strings of up to 4 chars can be a shared integer: most values skip the call.
    const n = enc === 0 && typeof value === 'string' && value.length <= 4 ? sharedInteger(value) : -1;
    this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + STAMP] = (enc << ENC_SHIFT) | (n < 0 ? lru.now : SHARED | n);
  }

  private assignString(e: number, value: string): void {
    const m = this.meta[e >>> SEG_BITS]!;
    const i = (e & SEG_MASK) * FIELDS;
    const klen = m[i + KLEN]!;
    const had = m[i + VLEN]!;
    const vlen = value.length;
    let ref = m[i + REF]!;
    if (had < 0) this.objs.delete(e);
    const arena = this.arena;
    if (!arena.fits(ref, klen + Math.max(had, 0), klen + vlen)) {
      const moved = arena.alloc(klen + vlen);
      const from = arena.offset(ref);
      copyBytes(arena.buffer(ref), from, klen, arena.buffer(moved), arena.offset(moved));
      arena.free(ref, klen + Math.max(had, 0));
      ref = moved;
      this.moved(e, ref);
    }
    arena.buffer(ref).latin1Write(value, arena.offset(ref) + klen, vlen);
    m[i + VLEN] = vlen;
  }

  private assignObject(e: number, value: C): void {
    const m = this.meta[e >>> SEG_BITS]!;
    const i = (e & SEG_MASK) * FIELDS;
    const had = m[i + VLEN]!;
    if (had > 0) {
      // The block shrinks to the key alone.
      const klen = m[i + KLEN]!;
      const arena = this.arena;
      const ref = m[i + REF]!;
      const moved = arena.alloc(klen);
      const from = arena.offset(ref);
      copyBytes(arena.buffer(ref), from, klen, arena.buffer(moved), arena.offset(moved));
      arena.free(ref, klen + had);
      this.moved(e, moved);
    }
    m[i + VLEN] = -1;
    this.objs.set(e, value);
  }

  /** Takes an entry number and indexes it. */
  private insert(h: number, ref: number, klen: number, vlen: number): number {
    const e = this.newEntry(h, ref, klen, vlen);
    this.beforeInsert();
    this.place(h, e, ref);
    return e;
  }

  /** Takes an entry number (a freed one first) and fills it in; the caller indexes it. */
  private newEntry(h: number, ref: number, klen: number, vlen: number): number {
    let e: number;
    if (this.freeCount > 0 && !this.holdNumbers) e = this.free[--this.freeCount]!;
    else {
      e = this.used++;
      const seg = e >>> SEG_BITS;
      if (seg === this.meta.length) this.addSegment(seg === 0 ? FIRST_SEG : SEG);
      else if ((e & SEG_MASK) === this.exp[seg]!.length) this.growSegment(seg);
    }
    const m = this.meta[e >>> SEG_BITS]!;
    const i = (e & SEG_MASK) * FIELDS;
    m[i + HASH] = h;
    m[i + REF] = ref;
    m[i + KLEN] = klen;
    m[i + VLEN] = vlen;
    this.live++;
    return e;
  }

  private addSegment(entries: number): void {
    this.meta.push(untrackedInt32s(entries * FIELDS));
    this.exp.push(untrackedFloat64s(entries).fill(NaN));
  }

  /** Doubles a segment that is not full-size yet (only the first starts small). */
  private growSegment(seg: number): void {
    const n = Math.min(SEG, this.exp[seg]!.length * 2);
    const m = untrackedInt32s(n * FIELDS);
    m.set(this.meta[seg]!);
    const x = untrackedFloat64s(n).fill(NaN);
    x.set(this.exp[seg]!);
    this.meta[seg] = m;
    this.exp[seg] = x;
  }

  /** Frees entry `e` (already unlinked from the index). */
  private release(e: number): void {
    const m = this.meta[e >>> SEG_BITS]!;
    const i = (e & SEG_MASK) * FIELDS;
    const vlen = m[i + VLEN]!;
    if (vlen < 0) this.objs.delete(e);
    this.arena.free(m[i + REF]!, m[i + KLEN]! + Math.max(vlen, 0));
    m[i + KLEN] = -1;
    this.setExpireAt(e, undefined);
    this.live--;
    if (this.freeCount === this.free.length) {
      const f = untrackedInt32s(this.free.length * 2);
      f.set(this.free);
      this.free = f;
    }
    this.free[this.freeCount++] = e;
  }

  private place(h: number, e: number, ref: number): void {
    const slots = this.slots;
    const mask = maskOf(slots);
    let i = h & mask;
    while (slots[SLOT * i]! > 0) i = (i + 1) & mask;
    if (slots[SLOT * i] === EMPTY) this.filled++;
    slots[SLOT * i] = e + 1;
    slots[SLOT * i + S_HASH] = h;
    slots[SLOT * i + S_REF] = ref;
  }

  /**
   * The index is half full (live + tombstones) and its successor faulted in (prepareNext),
   * or five eighths full: start moving into the smallest one the live
   * keys fill at most a third of. With no deletes that is a doubling (a quarter full after),
   * so the next growth is a doubling of the keys away. (It was 4 × (live + 1), which at
   * half full is just over a doubling, so every growth quadrupled: at 1M keys 4M slots of
   * 12 bytes, 50 B a key, where redis-server's dict takes 8 B a bucket and 24 B an entry.)
   * It shrinks to at most a quarter at once (after mass deletes, live can be a few keys
   * in an index of millions of slots): a much smaller one filled up before the per-write
   * steps (REHASH_STEP slots each) had emptied the old one, and the next growth moved the
   * rest of it in one write. With a quarter, the new index has room for more writes than
   * the old one needs (1/32 of its slots), whatever the live count; a rehash still running
   * at a growth is finished first all the same.
   */
  private grow(): void {
    if (this.old !== null) this.rehashStep(Infinity);
    const size = this.nextSize(this.live);
    const next = this.next;
    this.next = null;
    this.old = this.slots;
    this.oldPos = 0;
    // A prepared index sized before deletes (or many more inserts) is not used.
    this.slots = next !== null && next.length >= SLOT * size && next.length <= 2 * SLOT * size ? next : newIndex(size);
    this.filled = 0;
    letGo(this.old.byteLength + (next !== null && next !== this.slots ? next.byteLength : 0)); // once moved out of
  }

  /** The size grow() moves into when `live` keys are left (see grow). */
  private nextSize(live: number): number {
    return Math.max(pow2AtLeast(3 * (live + 1)), (maskOf(this.slots) + 1) / 4);
  }

  /** Before an insert: past half full, the index grows (once its successor is faulted in: prepareNext). */
  private beforeInsert(): void {
    const n = maskOf(this.slots) + 1;
    if (2 * (this.filled + 1) <= n) return;
    if (n < PREPARE_FROM_SLOTS || 8 * (this.filled + 1) > 5 * n || this.prepareNext()) this.grow();
  }

  /**
   * Past half full, a large index makes its successor and writes one int32 in a page of it
   * every INSERTS_PER_TOUCH inserts; it grows into it when every page has been written
   * (true), or at five eighths full whatever is left (linear probing is still short there).
   * A new index is zero pages the kernel maps at first write, and the rehash writes them in
   * random order, so the growth's first few thousand writes each faulted pages in: at 1M keys
   * 48 MB, 12k pages. On a VM where a fault costs 10-15 µs (`durabench doctor`) that was
   * 150 ms of faults crowded into the growth's first moments, and 16 clients adding 20k keys/s
   * during a BGSAVE waited 40-150 ms as the table passed 1,048,576 keys. Faulted in one page per
   * four inserts, the same cost is spread over 49k inserts. Not earlier than half full: the
   * pages would be resident (RSS) a growth ahead of need.
   */
  private prepareNext(): boolean {
    let next = this.next;
    if (next === null) {
      next = this.next = newIndex(this.nextSize(this.live));
      this.nextTouched = 0;
      this.insertsSinceTouch = 0;
    }
    if (++this.insertsSinceTouch >= INSERTS_PER_TOUCH) {
      this.insertsSinceTouch = 0;
      next[this.nextTouched] = 0;
      this.nextTouched += PAGE_INT32S;
    }
    return this.nextTouched >= next.length;
  }

  /** A synchronous rebuild (reserve: before loading, when nothing is waiting on us). */
  private rebuild(size: number): void {
    if (this.old !== null) this.rehashStep(Infinity);
    letGo(this.slots.byteLength + (this.next?.byteLength ?? 0));
    this.next = null;
    this.old = this.slots;
    this.oldPos = 0;
    this.slots = newIndex(size);
    this.filled = 0;
    this.rehashStep(Infinity);
  }
}
