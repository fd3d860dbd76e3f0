import { hashKey } from '../store/key-hash.js';
import type { EntryCursor, KeyTable } from '../key-table.js';
import { cloneWithEncoding } from '../encoding.js';
import { type Collection, type Keyspace, type Value, valueBytes } from '../keyspace.js';

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
  /** An entry as values (what copy-on-write preserved). */
  entry(key: string, value: Value, expireAt: number | undefined): void;
  /** An entry still in the table: read its bytes from there (no JS strings made). */
  stored(table: KeyTable<Collection>, e: number): void;
}

const ABSENT = Symbol('absent');
interface Preserved {
  value: Value;
  expireAt: number | undefined;
}

export class CowSnapshot {
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
  private readonly hook = (key: string): void => this.preserve(key);
  private readonly preserved = new Map<string, Preserved | typeof ABSENT>();
  /** Hashes of the keys ever put in `preserved` (never removed: a stale one costs a lookup). */
  private readonly preservedHashes = new Set<number>();
  private finished = false;
  /** After the cursor's end: the preserved values still to emit. */
  private drain: Iterator<[string, Preserved | typeof ABSENT]> | null = null;

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
    ks.beforeWrite = this.hook;
  }

  private preserve(key: string): void {
    // Past the cursor's end every key of the snapshot is emitted or waiting in `preserved`.
    if (this.drain !== null || this.preserved.has(key)) return;
    const t = this.table;
    const at = t.find(key);
    if (at < 0) {
      // Absent now: whatever is written here later is not part of the snapshot.
      this.preserved.set(key, ABSENT);
      this.preservedHashes.add(hashKey(key));
      return;
    }
    if (at < this.iter.position) return; // already emitted
    this.preservedHashes.add(t.hashAt(at));
    const v = t.value(at);
    this.preserved.set(key, { value: cloneWithEncoding(v), expireAt: t.expireAt(at) });
    this.cowBytes += key.length + valueBytes(v);
  }

  /**
   * Emits up to `max` keys; returns true when the whole snapshot has been emitted. The
   * values preserved by copy-on-write come last, also at most `max` per call: at 1M keys
   * and 20k writes/s a snapshot preserves hundreds of thousands of them, and emitting them
   * in one go was a stall of its own.
   */
  step(max: number, sink: EntrySink): boolean {
    if (this.finished) return true;
    const t = this.table;
    let n = 0;
    while (n < max) {
      if (this.drain !== null) {
        const d = this.drain.next();
        if (d.done) {
          this.keysWritten += n;
          this.release();
          return true;
        }
        const [key, p] = d.value;
        // Emitted now: a later write to it must not preserve it again (it is past the cursor).
        this.preserved.delete(key);
        if (p !== ABSENT) {
          sink.entry(key, p.value, p.expireAt);
          n++;
        }
        continue;
      }
      const e = this.iter.next();
      if (e < 0) {
        this.drain = this.preserved.entries();
        continue;
      }
      // Only keys written since start() can be in `preserved`, and their hashes are in
      // preservedHashes: every other entry goes out as bytes, no key string made.
      let key = '';
      let p: Preserved | typeof ABSENT | undefined;
      if (this.preservedHashes.has(t.hashAt(e))) {
        key = t.key(e);
        p = this.preserved.get(key);
      }
      if (p === undefined) sink.stored(t, e);
      else {
        this.preserved.delete(key);
        if (p === ABSENT) continue;
        sink.entry(key, p.value, p.expireAt);
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
    for (const ks of this.holders()) if (ks.beforeWrite === this.hook) ks.beforeWrite = null;
    this.preserved.clear();
    this.preservedHashes.clear();
    this.drain = null;
  }
}
