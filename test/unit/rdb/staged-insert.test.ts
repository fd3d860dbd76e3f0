/**
 * String records are staged and inserted a batch at a time (the collector in rdb/index.ts):
 * whatever the order of records, the load must be the file read one record after another.
 * The last record of a key wins, also when it comes in the same batch as an earlier one, in a
 * later batch, or after a collection of the same key (which flushes the batch); an expired
 * record is dropped and leaves an earlier one of its key alone; SELECTDB puts what follows in
 * its own database. The model below is that sequential reading.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Databases } from '../../../src/server/databases.js';
import { List, type Value } from '../../../src/server/keyspace.js';
import { RdbEncoder } from '../../../src/server/persistence/rdb/encoder.js';
import { loadRdbInto, loadRdbIntoAsync } from '../../../src/server/persistence/rdb/index.js';

interface Rec {
  db: number;
  key: string;
  value: Value;
  ttl: 'none' | 'future' | 'past';
}

const NOW = 1_800_000_000_000;
const expireOf = (r: Rec): number | undefined => (r.ttl === 'none' ? undefined : r.ttl === 'future' ? NOW + 60_000 : NOW - 1);

// few keys, so most records meet an earlier one of their key; long ones take the arena's copy path
const key = fc.oneof(
  fc.integer({ min: 0, max: 15 }).map((i) => `k${i}`),
  fc.integer({ min: 0, max: 3 }).map((i) => `long-${i}-${'x'.repeat(60)}`),
);
const value: fc.Arbitrary<Value> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 120 }).map((s) => Buffer.from(s, 'utf8').toString('latin1')) },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 4 }).map((items) => new List(items)) },
);
const rec: fc.Arbitrary<Rec> = fc.record({
  db: fc.constantFrom(0, 0, 0, 1, 2),
  key,
  value,
  ttl: fc.constantFrom('none', 'none', 'future', 'past') as fc.Arbitrary<Rec['ttl']>,
});

function file(recs: readonly Rec[]): Buffer {
  const chunks: Buffer[] = [];
  const enc = new RdbEncoder((c) => chunks.push(c));
  enc.header({});
  let db = -1;
  for (const r of recs) {
    if (r.db !== db) enc.selectDb((db = r.db), 0, 0);
    enc.entry(r.key, r.value, expireOf(r));
  }
  enc.footer();
  return Buffer.concat(chunks);
}

function model(recs: readonly Rec[]): Map<number, Map<string, { value: Value; expireAt: number | undefined }>> {
  const dbs = new Map<number, Map<string, { value: Value; expireAt: number | undefined }>>();
  for (const r of recs) {
    if (r.ttl === 'past') continue;
    if (!dbs.has(r.db)) dbs.set(r.db, new Map());
    dbs.get(r.db)!.set(r.key, { value: r.value, expireAt: expireOf(r) });
  }
  return dbs;
}

function expectLoaded(dbs: Databases, recs: readonly Rec[]): void {
  const want = model(recs);
  for (const id of [0, 1, 2]) {
    const ks = dbs.get(id);
    const m = want.get(id) ?? new Map();
    expect(ks.size, `db ${id} size`).toBe(m.size);
    for (const [k, { value: v, expireAt }] of m) {
      expect(ks.peek(k), `db ${id} ${k}`).toEqual(v);
      expect(ks.getExpire(k), `db ${id} ${k} expiry`).toBe(expireAt);
    }
  }
}

describe('staged string records', () => {
  it('load as the records read one by one: last wins, expired dropped, per database', () => {
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 400 }), (recs) => {
        const dbs = new Databases(3);
        const stats = loadRdbInto(file(recs), dbs, { now: NOW });
        expect(stats.expired).toBe(recs.filter((r) => r.ttl === 'past').length);
        expectLoaded(dbs, recs);
      }),
      { numRuns: 150 },
    );
  });

  it('the same through the async load, a few keys per turn', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rec, { minLength: 100, maxLength: 300 }), fc.integer({ min: 1, max: 100 }), async (recs, every) => {
        const dbs = new Databases(3);
        await loadRdbIntoAsync(file(recs), dbs, { now: NOW, yieldEvery: every });
        expectLoaded(dbs, recs);
      }),
      { numRuns: 40 },
    );
  });

  it('a key whose two records fall in one batch and in two batches', () => {
    const recs: Rec[] = [];
    for (let i = 0; i < 200; i++) recs.push({ db: 0, key: `a${i % 150}`, value: `v${i}`, ttl: i % 7 === 0 ? 'future' : 'none' });
    const dbs = new Databases(3);
    loadRdbInto(file(recs), dbs, { now: NOW });
    expectLoaded(dbs, recs);
    expect(dbs.get(0).peek('a10')).toBe('v160');
    expect(dbs.get(0).peek('a60')).toBe('v60');
  });
});
