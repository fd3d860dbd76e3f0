import type { KeyCursor } from '../key-table.js';
import { cloneValue, type Keyspace, type Value, valueBytes } from '../keyspace.js';

/**
 * A point-in-time view of the keyspace without fork, as Dragonfly and Valkey's forkless
 * save do it: starting is O(1) (take a live iterator, install the write hook); a step
 * serializes a chunk of keys; before a write touches a key the iterator has not reached,
 * its old value (or its absence) is preserved for the snapshot — copy-on-write at key
 * granularity. What comes out is exactly the dataset at the instant of start().
 */
export type EntrySink = (key: string, value: Value, expireAt: number | undefined) => void;

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
  private readonly iter: KeyCursor<Value>;
  private readonly preserved = new Map<string, Preserved | typeof ABSENT>();
  private finished = false;
  /** After the cursor's end: the preserved values still to emit. */
  private drain: Iterator<[string, Preserved | typeof ABSENT]> | null = null;

  constructor(private readonly ks: Keyspace) {
    if (ks.beforeWrite !== null) throw new Error('a snapshot is already in progress');
    this.keysAtStart = ks.size;
    this.expiresAtStart = ks.expires.size;
    this.iter = ks.data.cursor();
    ks.beforeWrite = (key) => this.preserve(key);
  }

  private preserve(key: string): void {
    // Past the cursor's end every key of the snapshot is emitted or waiting in `preserved`.
    if (this.drain !== null || this.preserved.has(key)) return;
    const at = this.ks.data.positionOf(key);
    if (at < 0) {
      // Absent now: whatever is written here later is not part of the snapshot.
      this.preserved.set(key, ABSENT);
      return;
    }
    if (at < this.iter.position) return; // already emitted
    const v = this.ks.data.valueAt(at);
    this.preserved.set(key, { value: cloneValue(v), expireAt: this.ks.expires.get(key) });
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
          sink(key, p.value, p.expireAt);
          n++;
        }
        continue;
      }
      const r = this.iter.next();
      if (r === undefined) {
        this.drain = this.preserved.entries();
        continue;
      }
      const [key, value] = r;
      const p = this.preserved.get(key);
      if (p === undefined) sink(key, value, this.ks.expires.get(key));
      else {
        this.preserved.delete(key);
        if (p === ABSENT) continue;
        sink(key, p.value, p.expireAt);
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
    this.iter.close();
    if (this.ks.beforeWrite !== null) this.ks.beforeWrite = null;
    this.preserved.clear();
    this.drain = null;
  }
}
