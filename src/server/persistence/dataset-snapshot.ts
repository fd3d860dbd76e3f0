import type { Databases } from '../databases.js';
import { CowSnapshot, type EntrySink } from './snapshot.js';

/**
 * A point-in-time view of every database: one CowSnapshot per database that has keys at
 * the instant of construction, emitted in id order, each introduced by sink.db() (SELECTDB
 * and RESIZEDB). What it emits is the whole dataset at that instant, whatever runs
 * meanwhile: a write preserves the old value (CowSnapshot), SWAPDB carries each snapshot's
 * table and hook to the other database while the snapshot still emits it under the id it
 * had, FLUSHDB/FLUSHALL leave the snapshot the old table and give the database a new one,
 * and a database empty (or never used) at the start is not part of it.
 */
export class DatasetSnapshot {
  readonly keysAtStart: number;
  readonly expiresAtStart: number;
  private readonly parts: Array<{ id: number; snap: CowSnapshot }> = [];
  private current = 0;
  private begun = false;

  constructor(dbs: Databases) {
    const holders = () => dbs.made();
    let keys = 0;
    let expires = 0;
    try {
      for (const ks of dbs.made()) {
        if (ks.size === 0) continue;
        const snap = new CowSnapshot(ks, holders);
        this.parts.push({ id: ks.id, snap });
        keys += snap.keysAtStart;
        expires += snap.expiresAtStart;
      }
    } catch (e) {
      this.release();
      throw e;
    }
    this.keysAtStart = keys;
    this.expiresAtStart = expires;
  }

  /** Bytes preserved because a write came first (rdb_last_cow_size). */
  get cowBytes(): number {
    let n = 0;
    for (const p of this.parts) n += p.snap.cowBytes;
    return n;
  }

  get keysWritten(): number {
    let n = 0;
    for (const p of this.parts) n += p.snap.keysWritten;
    return n;
  }

  /** The last step could do nothing more until the encoder's thread reports progress. */
  get waiting(): boolean {
    return this.parts[this.current]?.snap.waiting ?? false;
  }

  /** Emits up to `max` keys; true once every database has been emitted. */
  step(max: number, sink: EntrySink): boolean {
    while (this.current < this.parts.length) {
      const p = this.parts[this.current]!;
      if (!this.begun) {
        sink.db(p.id, p.snap.keysAtStart, p.snap.expiresAtStart);
        this.begun = true;
      }
      const before = p.snap.keysWritten;
      if (!p.snap.step(max, sink)) return false;
      max -= p.snap.keysWritten - before;
      this.current++;
      this.begun = false;
      if (max <= 0) return this.current >= this.parts.length;
    }
    return true;
  }

  /** Stops preserving, in every database (on completion or abort). */
  release(): void {
    for (const p of this.parts) p.snap.release();
  }
}
