import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Databases } from '../../../src/server/databases.js';
import { cloneValue, List, type Value } from '../../../src/server/keyspace.js';
import { DatasetSnapshot } from '../../../src/server/persistence/dataset-snapshot.js';
import type { EntrySink } from '../../../src/server/persistence/snapshot.js';

/** Writes as the commands make them, over 4 databases (db, k: small ints). */
type Op =
  | { t: 'set'; db: number; k: number; v: string }
  | { t: 'del'; db: number; k: number }
  | { t: 'push'; db: number; k: number; v: string }
  | { t: 'expire'; db: number; k: number; at: number }
  | { t: 'move'; db: number; k: number; to: number }
  | { t: 'swapdb'; db: number; to: number }
  | { t: 'flushdb'; db: number }
  | { t: 'flushall' }
  | { t: 'step'; n: number };

const DBS = 4;
const key = (k: number) => `k${k}`;

function apply(dbs: Databases, op: Op): void {
  if (op.t === 'step') return;
  if (op.t === 'flushall') return void dbs.flushAll();
  const ks = dbs.get(op.db);
  switch (op.t) {
    case 'set':
      return ks.set(key(op.k), op.v);
    case 'del':
      return void ks.delete(key(op.k));
    case 'push': {
      const cur = ks.get(key(op.k));
      if (cur instanceof List) ks.mutate(key(op.k), cur).items.push(op.v);
      else if (cur === undefined) ks.set(key(op.k), new List([op.v]));
      return;
    }
    case 'expire':
      if (ks.has(key(op.k))) ks.setExpire(key(op.k), op.at);
      return;
    case 'move': {
      // as MOVE does it: delete here, add there, with the TTL
      const dst = dbs.get(op.to);
      const v = ks.get(key(op.k));
      if (op.to === op.db || v === undefined || dst.get(key(op.k)) !== undefined) return;
      const at = ks.getExpire(key(op.k));
      ks.delete(key(op.k));
      dst.set(key(op.k), v);
      if (at !== undefined) dst.setExpire(key(op.k), at);
      return;
    }
    case 'swapdb':
      return dbs.swap(op.db, op.to);
    case 'flushdb':
      return void ks.flush();
  }
}

type Dataset = Map<number, Map<string, [Value, number | undefined]>>;

function datasetOf(dbs: Databases): Dataset {
  const out: Dataset = new Map();
  for (const ks of dbs.made()) {
    if (ks.size === 0) continue;
    const m = new Map<string, [Value, number | undefined]>();
    for (const [k, v] of ks.data) m.set(k, [cloneValue(v), ks.getExpire(k)]);
    out.set(ks.id, m);
  }
  return out;
}

const db = fc.nat(DBS - 1);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('set' as const), db, k: fc.nat(12), v: fc.oneof(fc.string({ maxLength: 4 }), fc.nat(300).map((n) => 'v'.repeat(n))) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('del' as const), db, k: fc.nat(12) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('push' as const), db, k: fc.nat(12), v: fc.string({ maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('expire' as const), db, k: fc.nat(12), at: fc.integer({ min: 1e12, max: 2e12 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('move' as const), db, k: fc.nat(12), to: db }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('swapdb' as const), db, to: db }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('flushdb' as const), db }) },
  { weight: 1, arbitrary: fc.constant({ t: 'flushall' as const }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('step' as const), n: fc.integer({ min: 1, max: 5 }) }) },
);

describe('DatasetSnapshot', () => {
  it('emits exactly every database at the start instant, whatever SWAPDB, MOVE, FLUSHDB, FLUSHALL and writes do meanwhile', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.array(opArb, { maxLength: 80 }), (setup, during) => {
        const dbs = new Databases(DBS);
        dbs.expireOnRead = false;
        for (const op of setup) apply(dbs, op);
        const expected = datasetOf(dbs);
        const got: Dataset = new Map();
        let cur: Map<string, [Value, number | undefined]> | null = null;
        const emit = (k: string, v: Value, e: number | undefined) => {
          expect(cur).not.toBeNull();
          expect(cur!.has(k)).toBe(false); // each key once per database
          cur!.set(k, [cloneValue(v), e]);
        };
        const sink: EntrySink = {
          db: (id, keys, expires) => {
            expect(got.has(id)).toBe(false); // each database once, in id order
            expect([...got.keys()].every((d) => d < id)).toBe(true);
            expect(keys).toBe(expected.get(id)?.size); // RESIZEDB: its size at the start
            expect(expires).toBe([...expected.get(id)!.values()].filter(([, at]) => at !== undefined).length);
            cur = new Map();
            got.set(id, cur);
          },
          stored: (t, e) => emit(t.key(e), t.value(e), t.expireAt(e)),
        };
        const snap = new DatasetSnapshot(dbs);
        let finished = false;
        for (const op of during) {
          if (op.t === 'step' && !finished) finished = snap.step(op.n, sink);
          else apply(dbs, op);
        }
        while (!finished) finished = snap.step(3, sink);
        expect(got).toEqual(expected);
        for (const ks of dbs.made()) expect(ks.beforeWrite).toBeNull(); // every hook gone, wherever SWAPDB put it
      }),
      { numRuns: 400 },
    );
  });

  it('takes O(1) to start and holds no hook on databases empty at the start', () => {
    const dbs = new Databases(16);
    dbs.get(3).set('a', '1');
    dbs.get(5); // made, empty
    const snap = new DatasetSnapshot(dbs);
    expect(snap.keysAtStart).toBe(1);
    expect(dbs.get(3).beforeWrite).not.toBeNull();
    expect(dbs.get(5).beforeWrite).toBeNull();
    expect(dbs.peek(0)).toBeUndefined(); // nothing made to look at it
    snap.release();
    expect(dbs.get(3).beforeWrite).toBeNull();
  });

  it('FLUSHALL during a snapshot copies nothing: the snapshot keeps the old tables', () => {
    const dbs = new Databases(2);
    for (let i = 0; i < 1000; i++) dbs.get(i % 2).set(`k${i}`, 'v'.repeat(100));
    const snap = new DatasetSnapshot(dbs);
    dbs.flushAll();
    expect(snap.cowBytes).toBe(0);
    let n = 0;
    const sink: EntrySink = { db: () => {}, stored: () => n++ };
    while (!snap.step(100, sink));
    expect(n).toBe(1000);
    expect(dbs.size).toBe(0);
  });
});
