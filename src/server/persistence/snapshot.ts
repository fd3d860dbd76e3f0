import { hashKey } from '../store/key-hash.js';
import { type EntryCursor, KeyTable } from '../key-table.js';
import { untrackedBytes } from '../store/untracked.js';
import { cloneWithEncoding } from '../encoding.js';
import { type Collection, type Keyspace, valueBytes, type WriteHook } from '../keyspace.js';
import { OPEN, READING, TAKEN } from './entry-claims.js';

/**
 * A point-in-time view of the keyspace without fork, as Dragonfly and Valkey's forkless
 * save do it: starting is O(1) (note the table's high-water mark, install the write hook);
 * a step serializes a chunk of entries in number order, or hands a range of them to a
 * TableReader on its thread; before a write touches a key not yet read, its old value is
 * preserved for the snapshot — copy-on-write at key granularity. Keys created meanwhile are
 * numbered above the mark and never read. What comes out is exactly the dataset at the
 * instant of start().
 */
export interface EntrySink {
  /** Database `id` begins (SELECTDB, RESIZEDB with its keys and TTLs at the snapshot instant). */
  db(id: number, keys: number, expires: number): void;
  /** Entry `e` of `table` (the live one, or what copy-on-write kept): read from its bytes, no JS strings made. */
  stored(table: KeyTable<Collection>, e: number): void;
  /** Present when the sink reads string entries from the table's memory itself, on a thread of its own. */
  readonly reader?: TableReader;
}

/**
 * An encoder that reads a snapshot's string entries where the table keeps them, on its own
 * thread (rdb/thread-encoder.ts), as a forked child reads its parent's pages: the main
 * thread only hands out ranges of entry numbers.
 */
export interface TableReader {
  /**
   * Reading `table` begins: its entries numbered below `end` whose byte in `claims` is OPEN.
   * The reader claims each before reading it (entry-claims.ts: OPEN → READING → READ, by
   * Atomics.compareExchange); one a write took first (TAKEN) it skips.
   */
  attach(table: KeyTable<Collection>, end: number, claims: Uint8Array): void;
  /** Encode the OPEN string entries in [from, to) (done in the order given). */
  range(from: number, to: number): void;
  /** Ranges handed over and not yet done (their completion calls the save's progress event). */
  readonly pending: number;
  /** String entries it has encoded, every table of the save together. */
  readonly keysRead: number;
}

/** Entry numbers per range handed to a TableReader. */
const RANGE = 512;
/** Fewer strings than this before a collection are staged, not sent as a range. */
const MIN_RANGE = 32;
/** Ranges a TableReader may hold at once: enough that it never waits for the next. */
const MAX_RANGES = 3;
/** A write that waits this long for the reader gives up: the save fails, the write goes on. */
const READ_WAIT_LIMIT_MS = 2000;
/** What a write waiting on an entry being read sleeps on (nothing wakes it: a timed nap). */
const NAP = new Int32Array(new SharedArrayBuffer(4));

/**
 * What finished snapshots leave for the next ones: their copy-on-write tables, emptied with
 * their memory kept (KeyTable.reset), and their claims, zeroed. Allocated anew per snapshot
 * they were 5-10 MB of SharedArrayBuffers at 1M keys and 20k writes/s, each above malloc's
 * mmap threshold, that the next Mark-Compact freed: a munmap each, with the TLB flushes that
 * go with it, 2-7 ms of its pause on the 2-core VM (`finish.sweep_array_buffers` in
 * `--trace-gc-nvp`; perf: `cfree < SweepListFull < ArrayBufferSweeper` over `__munmap`).
 * One of each per database snapshotted at once; a table grown past SPARE_MAX_BYTES goes.
 */
const spareTables: KeyTable<Collection>[] = [];
const spareClaims: Buffer[] = [];
const SPARE_MAX = 4;
const SPARE_MAX_BYTES = 64 << 20;

/** Zeroed claims for `n` entries: a spare's if one is large enough. */
function takeClaims(n: number): Buffer {
  const i = spareClaims.findIndex((b) => b.length >= n);
  // Rounded up to whole int32s: a spare is zeroed through an Int32Array (4× a Uint8Array's fill on shared memory).
  return i < 0 ? untrackedBytes((n + 3) & ~3) : spareClaims.splice(i, 1)[0]!;
}

/** Takes back a finished snapshot's claims (zeroed) and copy-on-write table (emptied). */
function giveBack(claims: Buffer, kept: KeyTable<Collection>): void {
  if (spareClaims.length < SPARE_MAX) {
    new Int32Array(claims.buffer, claims.byteOffset, claims.length >> 2).fill(0);
    spareClaims.push(claims);
  }
  if (spareTables.length < SPARE_MAX && kept.offHeapBytes <= SPARE_MAX_BYTES) {
    kept.reset();
    spareTables.push(kept);
  }
}

export class CowSnapshot implements WriteHook {
  readonly startedAt = Date.now();
  /** Keys and expires at the snapshot instant (for RESIZEDB). */
  readonly keysAtStart: number;
  readonly expiresAtStart: number;
  /** Bytes preserved because a write arrived first (rdb_last_cow_size). */
  cowBytes = 0;
  keysWritten = 0;
  /** The last step can do nothing more until the TableReader reports progress. */
  waiting = false;
  /** The table as it was at start(): SWAPDB may move it to another database, FLUSHDB may leave it to us alone. */
  private readonly table: KeyTable<Collection>;
  /**
   * The table's high-water mark at the instant. The table numbers new entries above it
   * while the snapshot runs (holdNumbers), so every entry below it was there at the instant
   * (or is free), and every entry above it is not ours.
   */
  private readonly end: number;
  /** Entries below this have been emitted, or handed to the reader. */
  private pos = 0;
  /**
   * Per entry below `end`: OPEN until kept, emitted or read (entry-claims.ts; shared with the
   * reader). Entries emitted here before a reader attached stay OPEN: below `readerFrom`.
   */
  private readonly claims: Buffer;
  /** The first entry handed to the reader (Infinity while none is attached). */
  private readerFrom = Infinity;
  /*
   * What copy-on-write preserved lives off the JS heap too: at 4M keys and 20k writes/s a
   * snapshot preserves hundreds of thousands of values, and as a Map of strings they were
   * what every major GC during the snapshot traced (Mark-Compacts of 10-41 ms). Emitted last.
   */
  private kept = spareTables.pop() ?? new KeyTable<Collection>();
  private finished = false;
  /** After the cursor's end: the kept values still to emit. */
  private drain: EntryCursor | null = null;
  /** With a TableReader: its key count when it began. */
  private readerKeysBefore = 0;
  private stalled = false;

  /**
   * `holders`: where the table's write hook may be by the time the snapshot ends (every
   * database: SWAPDB moves the hook with the table); the one holding it is unhooked then.
   */
  constructor(
    ks: Keyspace,
    private readonly holders: () => Iterable<Keyspace> = () => [ks],
  ) {
    if (ks.beforeWrite !== null) throw new Error('a snapshot is already in progress');
    this.keysAtStart = ks.size;
    this.expiresAtStart = ks.expiresCount;
    this.table = ks.data;
    this.end = this.table.highWater;
    // 1 byte an entry: a finished snapshot's, zeroed when it finished, or zero pages from the OS.
    this.claims = takeClaims(this.end);
    this.table.holdNumbers = true;
    ks.beforeWrite = this;
  }

  /** The keyspace's write hook: `key` is about to change. */
  preserve(key: string): void {
    // Past the cursor's end every key of the snapshot is emitted or waiting in `kept`.
    if (this.drain !== null || this.finished) return;
    const t = this.table;
    const h = hashKey(key); // one hash for both tables: they share the process's key
    const at = t.find(key, h);
    // Absent (never there, or kept when it was deleted), or created since.
    if (at < 0 || at >= this.end) return;
    if (at < this.pos) {
      // Emitted here; or handed to the reader: take it back unless it has read it or is reading it.
      if (at < this.readerFrom) return;
      if (Atomics.compareExchange(this.claims, at, OPEN, TAKEN) !== OPEN) {
        this.awaitRead(at);
        return;
      }
    } else {
      if (this.claims[at] !== OPEN) return; // kept already
      this.claims[at] = TAKEN; // not handed out: the reader cannot be at it
    }
    const vlen = t.valueLength(at);
    const klen = t.keyLength(at);
    let k: number;
    if (vlen < 0) {
      const v = t.value(at);
      k = this.kept.set(key, cloneWithEncoding(v), 0, h);
      this.cowBytes += klen + valueBytes(v);
    } else {
      const buf = t.buffer(at);
      const off = t.keyOffset(at);
      k = this.kept.addBytes(buf, off, klen, buf, off + klen, vlen, h);
      this.cowBytes += klen + vlen;
    }
    this.kept.setExpireAt(k, t.expireAt(at));
  }

  /** Blocks while the reader is reading entry `at`: the encoding of one entry, unless its thread is descheduled mid-entry. */
  private awaitRead(at: number): void {
    let t0 = 0;
    for (let spins = 0; Atomics.load(this.claims, at) === READING; spins++) {
      if (spins < 2000) continue;
      if (t0 === 0) t0 = performance.now();
      Atomics.wait(NAP, 0, 0, 0.05);
      if (performance.now() - t0 > READ_WAIT_LIMIT_MS) {
        // A reader that stopped (its thread hung): this save is lost, the write is not.
        this.stalled = true;
        this.release();
        return;
      }
    }
  }

  /**
   * Looks at up to `max` entries (emitting at most that many keys); returns true when the
   * whole snapshot has been emitted. The values preserved by copy-on-write come last, also
   * at most `max` per call: at 1M keys and 20k writes/s a snapshot preserves hundreds of
   * thousands of them, and emitting them in one go was a stall of its own. With a
   * TableReader a call hands it one range instead (or finds it busy: `waiting`).
   */
  step(max: number, sink: EntrySink): boolean {
    if (this.stalled) throw new Error('the RDB encoding thread stopped reading the snapshot');
    if (this.finished) return true;
    this.waiting = false;
    if (this.drain === null && sink.reader !== undefined) return this.handOut(sink.reader, sink);
    const t = this.table;
    const claims = this.claims;
    let n = 0;
    // `max` bounds the entries looked at, not only those emitted: free entries are skipped.
    for (let work = 0; work < max; work++) {
      if (this.drain !== null) {
        const k = this.drain.next();
        if (k < 0) {
          this.keysWritten += n;
          const kept = this.kept;
          this.release();
          // Done with both: every range was read before the drain began (handOut).
          giveBack(this.claims, kept);
          return true;
        }
        sink.stored(this.kept, k);
        n++;
        continue;
      }
      if (this.pos >= this.end) {
        this.drain = this.kept.cursor();
        continue;
      }
      const e = this.pos++;
      if (claims[e] !== OPEN || t.keyLength(e) < 0) continue;
      sink.stored(t, e);
      n++;
    }
    this.keysWritten += n;
    return false;
  }

  /**
   * Hands the reader the next range, up to the next collection: collections (JS objects,
   * only this thread has them) are emitted here, in their place, so the file's bytes come
   * out in entry order as they do without a reader. A few strings between collections are
   * staged from here too rather than a message each.
   */
  private handOut(reader: TableReader, sink: EntrySink): boolean {
    const t = this.table;
    const claims = this.claims;
    if (this.readerFrom === Infinity) {
      // Entries below pos were emitted from here (before the reader was ready).
      this.readerFrom = this.pos;
      this.readerKeysBefore = reader.keysRead;
      reader.attach(t, this.end, claims);
    }
    if (this.pos < this.end) {
      if (reader.pending >= MAX_RANGES) {
        this.waiting = true;
        return false;
      }
      const from = this.pos;
      const limit = Math.min(this.end, from + RANGE);
      let e = from;
      while (e < limit && (claims[e] !== OPEN || t.keyLength(e) < 0 || t.valueLength(e) >= 0)) e++;
      if (e - from >= MIN_RANGE || (e === limit && e > from)) {
        this.pos = e;
        reader.range(from, e);
        return false;
      }
      // Strings too few for a range of their own, then the collection (if any) that ended it.
      const stop = Math.min(e + 1, limit);
      for (let i = from; i < stop; i++) {
        if (claims[i] !== OPEN || t.keyLength(i) < 0) continue;
        sink.stored(t, i);
        claims[i] = TAKEN;
        this.keysWritten++;
      }
      this.pos = stop;
      return false;
    }
    if (reader.pending > 0) {
      this.waiting = true;
      return false;
    }
    // Every range read: what copy-on-write kept comes last, from here.
    this.keysWritten += reader.keysRead - this.readerKeysBefore;
    this.drain = this.kept.cursor();
    return false;
  }

  /** Stops preserving (on completion or abort). */
  release(): void {
    if (this.finished) return;
    this.finished = true;
    this.table.holdNumbers = false;
    for (const ks of this.holders()) if (ks.beforeWrite === this) ks.beforeWrite = null;
    // dropped, not cleared: their pages go back with them
    this.kept = new KeyTable<Collection>();
    this.drain = null;
  }
}
