import { hashKey } from '../store/key-hash.js';
import { type EntryCursor, KeyTable } from '../key-table.js';
import { untrackedBytes } from '../store/untracked.js';
import { cloneWithEncoding } from '../encoding.js';
import { type Collection, type Keyspace, valueBytes, type WriteHook } from '../keyspace.js';

/**
 * A point-in-time view of the keyspace without fork, as Dragonfly and Valkey's forkless
 * save do it: starting is O(1) (take a live iterator, install the write hook); a step
 * serializes a chunk of keys; before a write touches a key the iterator has not reached,
 * its old value (or its absence) is preserved for the snapshot — copy-on-write at key
 * granularity. What comes out is exactly the dataset at the instant of start().
 */
export interface EntrySink {
  /** Database `id` begins (SELECTDB, RESIZEDB with its keys and TTLs at the snapshot instant). */
  db(id: number, keys: number, expires: number): void;
  /** Entry `e` of `table` (the live one, or what copy-on-write kept): read from its bytes, no JS strings made. */
  stored(table: KeyTable<Collection>, e: number): void;
}

/** Bits in the filter of preserved key hashes (1 MB): a false positive costs two lookups. */
const FILTER_BITS = 1 << 23;

export class CowSnapshot implements WriteHook {
  readonly startedAt = Date.now();
  /** Keys and expires at the snapshot instant (for RESIZEDB). */
  readonly keysAtStart: number;
  readonly expiresAtStart: number;
  /** Bytes preserved because a write arrived first (rdb_last_cow_size). */
  cowBytes = 0;
  keysWritten = 0;
  private readonly iter: EntryCursor;
  /** The table as it was at start(): SWAPDB may move it to another database, FLUSHDB may leave it to us alone. */
  private readonly table: KeyTable<Collection>;
  /*
   * What copy-on-write preserved lives off the JS heap too: at 4M keys and 20k writes/s a
   * snapshot preserves hundreds of thousands of values, and as a Map of strings they were
   * what every major GC during the snapshot traced (Mark-Compacts of 10-41 ms).
   *   kept:   old values of keys written before the cursor reached them, as table entries
   *   absent: keys that did not exist at the instant (what is written there later is not ours)
   *   filter: bits of their key hashes, so the cursor looks only those two up
   */
  private kept = new KeyTable<Collection>();
  private absent = new KeyTable<Collection>();
  private filter: Uint8Array | null = null;
  private finished = false;
  /** After the cursor's end: the kept values still to emit. */
  private drain: EntryCursor | null = null;

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
    this.iter = this.table.cursor();
    ks.beforeWrite = this;
  }

  /** The keyspace's write hook: `key` is about to change. */
  preserve(key: string): void {
    // Past the cursor's end every key of the snapshot is emitted or waiting in `kept`.
    if (this.drain !== null) return;
    const t = this.table;
    const h = hashKey(key); // one hash for every table below: they share the process's key
    const at = t.find(key, h);
    if (at >= 0 && at < this.iter.position) return; // already emitted
    if (this.mayHold(h) && (this.kept.find(key, h) >= 0 || this.absent.find(key, h) >= 0)) return; // preserved already
    this.mark(h);
    if (at < 0) {
      // Absent now: whatever is written here later is not part of the snapshot.
      this.absent.set(key, '', 0, h);
      return;
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

  private mayHold(h: number): boolean {
    const f = this.filter;
    const b = h & (FILTER_BITS - 1);
    return f !== null && (f[b >>> 3]! & (1 << (b & 7))) !== 0;
  }

  private mark(h: number): void {
    this.filter ??= untrackedBytes(FILTER_BITS >>> 3);
    const b = h & (FILTER_BITS - 1);
    this.filter[b >>> 3]! |= 1 << (b & 7);
  }

  /**
   * Looks at up to `max` entries (emitting at most that many keys); returns true when the
   * whole snapshot has been emitted. The values preserved by copy-on-write come last, also
   * at most `max` per call: at 1M keys and 20k writes/s a snapshot preserves hundreds of
   * thousands of them, and emitting them in one go was a stall of its own.
   */
  step(max: number, sink: EntrySink): boolean {
    if (this.finished) return true;
    const t = this.table;
    const kept = this.kept;
    let n = 0;
    // `max` bounds the entries looked at, not only those emitted: the keys created during the
    // snapshot sit at the end of the table and are each skipped (absent), and at 4M keys and
    // 40k SET/s the last call skipped thousands of them in one go, a 20-30 ms stall.
    for (let work = 0; work < max; work++) {
      if (this.drain !== null) {
        const k = this.drain.next();
        if (k < 0) {
          this.keysWritten += n;
          this.release();
          return true;
        }
        sink.stored(kept, k);
        n++;
        continue;
      }
      const e = this.iter.next();
      if (e < 0) {
        this.drain = kept.cursor();
        continue;
      }
      // Only keys written since start() can be kept or absent, and their hashes are in the
      // filter: every other entry goes out as bytes, looked up nowhere.
      const h = t.hashAt(e);
      if (!this.mayHold(h)) {
        sink.stored(t, e);
        n++;
        continue;
      }
      const buf = t.buffer(e);
      const off = t.keyOffset(e);
      const klen = t.keyLength(e);
      const a = this.absent.findBytes(buf, off, klen, h);
      if (a >= 0) {
        // Created after the instant (its number reused ahead of the cursor): not ours.
        // Forgotten now: a later write finds it behind the cursor.
        this.absent.deleteEntry(a);
        continue;
      }
      const k = kept.findBytes(buf, off, klen, h);
      if (k < 0) sink.stored(t, e);
      else {
        // Emitted now, so the drain must not emit it again.
        sink.stored(kept, k);
        kept.deleteEntry(k);
      }
      n++;
    }
    this.keysWritten += n;
    return false;
  }

  /** Stops preserving (on completion or abort). */
  release(): void {
    if (this.finished) return;
    this.finished = true;
    for (const ks of this.holders()) if (ks.beforeWrite === this) ks.beforeWrite = null;
    // dropped, not cleared: their pages go back with them
    this.kept = new KeyTable<Collection>();
    this.absent = new KeyTable<Collection>();
    this.filter = null;
    this.drain = null;
  }
}
