import { type Collection, Keyspace, type KeyspaceCounters } from './keyspace.js';

/**
 * The server's databases (Redis's server.db[], `databases` of them, 16 by default). Each is
 * a Keyspace made on first use, so an empty server holds one table, not sixteen, and
 * starting it costs nothing per database. They share the change counter (`dirty`); a
 * database keeps its number for life, and SWAPDB trades data, not databases.
 */
export class Databases {
  private readonly dbs: Array<Keyspace | undefined>;
  private readonly counters: KeyspaceCounters = { dirty: 0 };
  /** A key expired in database `db` (the server propagates a DEL, counts expired_keys). */
  onExpire: ((db: number, key: string) => void) | null = null;
  private expiring = true;
  /** Where the next active expiry cycle starts. */
  private nextExpireDb = 0;

  constructor(readonly count = 16) {
    if (!(Number.isInteger(count) && count >= 1)) throw new RangeError(`databases must be at least 1, got ${count}`);
    this.dbs = new Array<Keyspace | undefined>(count);
  }

  /** True for 0 ≤ id < count (selectDb's check). */
  inRange(id: number): boolean {
    return id >= 0 && id < this.count;
  }

  /** Database `id`, made now if it was never used. The caller checks inRange. */
  get(id: number): Keyspace {
    return this.dbs[id] ?? this.create(id);
  }

  /** Database `id` if it was ever used, without making it. */
  peek(id: number): Keyspace | undefined {
    return this.dbs[id];
  }

  private create(id: number): Keyspace {
    if (!this.inRange(id)) throw new RangeError(`database ${id} out of range 0..${this.count - 1}`);
    const ks = new Keyspace(id, this.counters);
    ks.expireOnRead = this.expiring;
    ks.onExpire = (key) => this.onExpire?.(id, key);
    this.dbs[id] = ks;
    return ks;
  }

  /** The databases made so far, in id order (some may be empty). */
  made(): Keyspace[] {
    const out: Keyspace[] = [];
    for (const ks of this.dbs) if (ks !== undefined) out.push(ks);
    return out;
  }

  /** Every collection (non-string value) of every database. */
  *collections(): IterableIterator<Collection> {
    for (const ks of this.dbs) {
      if (ks === undefined) continue;
      const t = ks.data;
      for (const e of t.entryNumbers()) if (!t.isString(e)) yield t.value(e) as Collection;
    }
  }

  /** Changes since the last successful save, over every database. */
  get dirty(): number {
    return this.counters.dirty;
  }

  set dirty(n: number) {
    this.counters.dirty = n;
  }

  /** Keys in every database. */
  get size(): number {
    let n = 0;
    for (const ks of this.dbs) if (ks !== undefined) n += ks.size;
    return n;
  }

  /** Keys with a TTL in every database. */
  get expiresCount(): number {
    let n = 0;
    for (const ks of this.dbs) if (ks !== undefined) n += ks.expiresCount;
    return n;
  }

  /** Keys removed because they expired, over every database. */
  get expiredKeys(): number {
    let n = 0;
    for (const ks of this.dbs) if (ks !== undefined) n += ks.expiredKeys;
    return n;
  }

  /** When false (while loading), reads expire nothing, in every database (and those made later). */
  set expireOnRead(on: boolean) {
    this.expiring = on;
    for (const ks of this.dbs) if (ks !== undefined) ks.expireOnRead = on;
  }

  get expireOnRead(): boolean {
    return this.expiring;
  }

  /** SWAPDB a b (dbSwapDatabases): the two databases' data trade places. Both must be in range. */
  swap(a: number, b: number): void {
    if (a === b) return;
    this.get(a).swapData(this.get(b));
  }

  /** FLUSHALL: every database emptied. Returns the keys removed. */
  flushAll(): number {
    let n = 0;
    for (const ks of this.dbs) if (ks !== undefined) n += ks.flush();
    return n;
  }

  /**
   * Active expiry over every database with keys that have a TTL, as Redis's
   * activeExpireCycle walks server.db[]: the time budget is shared, and the next call starts
   * at the database after the last one served, so a busy db 0 cannot starve the rest.
   */
  activeExpireCycle(budgetMs = 1): number {
    const start = performance.now();
    let removed = 0;
    const n = this.count;
    for (let i = 0; i < n; i++) {
      const id = (this.nextExpireDb + i) % n;
      const ks = this.dbs[id];
      if (ks === undefined) continue;
      const left = budgetMs - (performance.now() - start);
      if (left <= 0) {
        this.nextExpireDb = id;
        return removed;
      }
      removed += ks.activeExpireCycle(left);
    }
    return removed;
  }

  /** Moves every database's incremental rehash along for up to `ms` in all. */
  rehashFor(ms: number): void {
    for (const ks of this.dbs) if (ks !== undefined && ks.data.rehashing) ks.rehashFor(ms);
  }
}
