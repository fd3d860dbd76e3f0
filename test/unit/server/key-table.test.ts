import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../../src/server/key-table.js';
import { idleSeconds, lru, tickLruClock } from '../../../src/server/lru-clock.js';

/** A collection stand-in: any object, kept by identity. */
class Obj {
  constructor(readonly n: number) {}
}
type V = string | Obj;

type Op =
  | { op: 'set'; key: string; value: V }
  | { op: 'delete'; key: string }
  | { op: 'deleteEntry'; key: string }
  | { op: 'expire'; key: string; at: number | undefined }
  | { op: 'clear' }
  | { op: 'reset' }
  | { op: 'reserve'; n: number }
  | { op: 'rehash'; slots: number }
  | { op: 'random' };

// A small alphabet of keys so that sets, overwrites and deletes of the same key are common;
// latin1 edge chars and the empty key included, and keys long enough to be big blocks.
const key = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `k${i}`), '', 'a\u00ff\u0000b') },
  { weight: 1, arbitrary: fc.constantFrom('L'.repeat(300), 'M'.repeat(17_000)) },
);
// Values of every arena size class: empty, tiny, class edges, mid, the largest small, big.
const len = fc.oneof(
  fc.integer({ min: 0, max: 24 }),
  fc.constantFrom(100, 104, 105, 120, 128, 129, 1000, 16_380, 16_384, 16_385),
  fc.integer({ min: 25, max: 3000 }),
  fc.integer({ min: 16_385, max: 40_000 }),
);
const value: fc.Arbitrary<V> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.integer({ min: 0, max: 255 }), len).map(([c, n]) => (String.fromCharCode(c) + 'v'.repeat(n)).slice(0, n)) },
  { weight: 1, arbitrary: fc.nat(1000).map((n) => new Obj(n)) },
);
const writes = [
  { weight: 8, arbitrary: fc.record({ op: fc.constant('set' as const), key, value }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), key }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('deleteEntry' as const), key }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('expire' as const), key, at: fc.option(fc.integer({ min: 1, max: 2e12 }), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reserve' as const), n: fc.integer({ min: 0, max: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rehash' as const), slots: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'random' as const }) },
];
const noClear: fc.Arbitrary<Op> = fc.oneof(...writes);
const op: fc.Arbitrary<Op> = fc.oneof(
  ...writes,
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'reset' as const }) },
);

interface Model {
  m: Map<string, V>;
  ttl: Map<string, number>;
}

function apply(t: KeyTable<Obj>, model: Model, o: Op): void {
  const { m, ttl } = model;
  switch (o.op) {
    case 'set':
      t.set(o.key, o.value);
      m.set(o.key, o.value);
      break;
    case 'delete':
      expect(t.delete(o.key)).toBe(m.delete(o.key));
      ttl.delete(o.key);
      break;
    case 'deleteEntry': {
      // by number, as the snapshot drops what it kept
      const e = t.find(o.key);
      if (e >= 0) t.deleteEntry(e);
      m.delete(o.key);
      ttl.delete(o.key);
      break;
    }
    case 'expire': {
      const e = t.find(o.key);
      if (e < 0) break;
      t.setExpireAt(e, o.at);
      if (o.at === undefined) ttl.delete(o.key);
      else ttl.set(o.key, o.at);
      break;
    }
    case 'clear':
    case 'reset':
      t[o.op]();
      m.clear();
      ttl.clear();
      break;
    case 'reserve':
      t.reserve(o.n);
      break;
    case 'rehash':
      t.rehashStep(o.slots);
      break;
    case 'random': {
      const e = t.randomEntry();
      if (m.size === 0) expect(e).toBe(-1);
      else expect(m.has(t.key(e))).toBe(true);
    }
  }
}

function check(t: KeyTable<Obj>, { m, ttl }: Model): void {
  expect(t.size).toBe(m.size);
  expect(t.expiresCount).toBe(ttl.size);
  expect(new Map(t.entries())).toEqual(m);
  for (const k of [...m.keys(), 'nope']) {
    expect(t.get(k)).toBe(m.get(k));
    const e = t.find(k);
    expect(e >= 0).toBe(m.has(k));
    if (e >= 0) {
      expect(t.expireAt(e)).toBe(ttl.get(k));
      // The byte view agrees with the strings.
      expect(t.buffer(e).latin1Slice(t.keyOffset(e), t.keyOffset(e) + t.keyLength(e))).toBe(k);
      expect(t.findBytes(Buffer.from(k, 'latin1'), 0, k.length)).toBe(e);
      const v = m.get(k)!;
      expect(t.valueLength(e)).toBe(typeof v === 'string' ? v.length : -1);
    }
  }
}

describe('KeyTable', () => {
  it('behaves as a Map (with TTLs): same answers and size, values of every size class, through rehashes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const t = new KeyTable<Obj>();
        const model: Model = { m: new Map(), ttl: new Map() };
        for (const o of ops) {
          apply(t, model, o);
          expect(t.size).toBe(model.m.size);
          if ('key' in o) expect(t.get(o.key)).toBe(model.m.get(o.key));
        }
        check(t, model);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every entry and TTL as its first segment grows and later segments are added (70k keys)', () => {
    const t = new KeyTable<Obj>();
    const n = 70_000; // past the small first segment's doublings and a full 65,536-entry segment
    for (let i = 0; i < n; i++) t.setExpireAt(t.set(`k${i}`, `v${i}`), i % 3 === 0 ? 1e12 + i : undefined);
    expect(t.size).toBe(n);
    for (let i = 0; i < n; i += 97) {
      const e = t.find(`k${i}`);
      expect(t.get(`k${i}`)).toBe(`v${i}`);
      expect(t.expireAt(e)).toBe(i % 3 === 0 ? 1e12 + i : undefined);
    }
    expect(t.expiresCount).toBe(Math.ceil(n / 3));
  });

  it('a cursor survives writes: every key present throughout is visited once, none deleted before its turn', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.array(noClear, { maxLength: 300 }), (before, during) => {
        const t = new KeyTable<Obj>();
        const model: Model = { m: new Map(), ttl: new Map() };
        for (const o of before) apply(t, model, o);
        const atStart = new Set(model.m.keys());
        const c = t.cursor();
        const seen: string[] = [];
        const touched = new Set<string>();
        for (const o of during) {
          const e = c.next();
          if (e >= 0) {
            const k = t.key(e);
            seen.push(k);
            expect(t.value(e)).toBe(model.m.get(k)); // the live value, never a stale one
            expect(e).toBeLessThan(c.position);
          }
          if (o.op === 'set' || o.op === 'delete' || o.op === 'deleteEntry') touched.add(o.key);
          apply(t, model, o);
        }
        for (let e = c.next(); e >= 0; e = c.next()) seen.push(t.key(e));
        // No key comes twice unless it was deleted and set again meanwhile.
        const dup = seen.filter((k, i) => seen.indexOf(k) !== i);
        for (const k of dup) expect(touched.has(k)).toBe(true);
        for (const k of atStart) if (!touched.has(k)) expect(seen).toContain(k);
        // An entry's number is its place: a key present throughout keeps it.
        for (const k of atStart) if (!touched.has(k)) expect(t.find(k)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it('reset() empties the table and refilling it takes the memory it kept, nothing new', () => {
    const t = new KeyTable<Obj>();
    const fill = (tag: string) => {
      for (let i = 0; i < 50_000; i++) t.set(`${tag}${i}`, 'v'.repeat(i % 200));
      for (let i = 0; i < 50_000; i += 7) t.setExpireAt(t.find(`${tag}${i}`), 1e12 + i);
    };
    fill('a');
    const held = t.offHeapBytes;
    t.reset();
    expect(t.size).toBe(0);
    expect(t.expiresCount).toBe(0);
    expect(t.find('a1')).toBe(-1);
    expect(t.offHeapBytes).toBe(held);
    fill('b');
    expect(t.offHeapBytes).toBe(held);
    expect(t.size).toBe(50_000);
    expect(t.get('b49999')).toBe('v'.repeat(49_999 % 200));
    expect(t.expireAt(t.find('b8'))).toBeUndefined();
    expect(t.expireAt(t.find('b7'))).toBe(1e12 + 7);
    expect(t.find('a7')).toBe(-1);
  });

  it('after clear() a cursor goes on with what is added next', () => {
    const t = new KeyTable<Obj>();
    for (let i = 0; i < 10; i++) t.set(`a${i}`, 'x');
    const c = t.cursor();
    for (let i = 0; i < 5; i++) c.next();
    t.clear();
    expect(c.position).toBe(0);
    t.set('b', 'y');
    expect(t.key(c.next())).toBe('b');
    expect(c.next()).toBe(-1);
  });

  it('deleted entries and their bytes are reused, so churn does not grow the table', () => {
    const t = new KeyTable<Obj>();
    for (let i = 0; i < 100_000; i++) {
      t.set(`key:${i}`, 'v'.repeat(i % 200));
      if (i >= 10) t.delete(`key:${i - 10}`);
    }
    expect(t.size).toBe(10);
    expect(new Set(t.keys())).toEqual(new Set(Array.from({ length: 10 }, (_, i) => `key:${99_990 + i}`)));
    expect((t as unknown as { used: number }).used).toBeLessThan(64);
    expect(t.offHeapBytes).toBeLessThan(4 << 20);
  });

  it('after mass deletes, re-growth never moves more than one step of the old index in one write', () => {
    const t = new KeyTable<Obj>();
    const internals = t as unknown as { old: Int32Array | null; oldPos: number; slots: Int32Array; filled: number };
    // Filled to just under half of a 2^19-slot index (the next insert grows it), then all but 10 deleted.
    let n = 0;
    while (internals.slots.length / 3 < 1 << 19 || 2 * (internals.filled + 2) <= internals.slots.length / 3) {
      t.set(`k${n++}`, 'v');
      t.rehashFor(1000);
    }
    for (let i = 10; i < n; i++) t.delete(`k${i}`);
    for (let i = 0; i < 100_000; i++) {
      const old = internals.old;
      const pos = internals.oldPos;
      t.set(`n${i}`, 'v');
      if (old === null) continue;
      // 32 slots a write (REHASH_STEP); a rehash that ends ends within a step of its end
      if (internals.old === old) expect(internals.oldPos - pos).toBeLessThanOrEqual(32);
      else expect(old.length / 3 - pos).toBeLessThanOrEqual(32);
    }
    for (let i = 0; i < 10; i++) expect(t.get(`k${i}`)).toBe('v');
    expect(t.size).toBe(100_010);
  });

  it('a large index faults its successor in before growing into it, and grows into that one', () => {
    // Past half full, one int32 of a page of the successor is written every 4 inserts; the
    // growth waits for the last page (or five eighths full) and then moves into that array.
    const t = new KeyTable<Obj>();
    const internals = t as unknown as { old: Int32Array | null; slots: Int32Array; filled: number; next: Int32Array | null; nextTouched: number };
    let n = 0;
    const add = (): void => {
      t.set(`k${n++}`, 'v');
    };
    while (internals.slots.length / 3 < 1 << 16) {
      add();
      t.rehashFor(1000);
    }
    const slots = internals.slots.length / 3;
    while (2 * (internals.filled + 1) <= slots) add();
    expect(internals.next).toBeNull();
    add(); // past half: the successor exists, the index has not grown
    const next = internals.next!;
    expect(next.length / 3).toBe(2 * slots);
    expect(internals.slots.length / 3).toBe(slots);
    const pages = Math.ceil(next.length / 1024);
    let inserts = 1;
    while (internals.slots.length / 3 === slots) {
      add();
      inserts++;
    }
    expect(internals.slots).toBe(next);
    expect(internals.old).not.toBeNull();
    expect(inserts).toBe(4 * pages);
    expect(internals.filled * 8).toBeLessThan(5 * 2 * slots);
    for (let i = 0; i < n; i += 997) expect(t.get(`k${i}`)).toBe('v');
    expect(t.size).toBe(n);
  });

  it('a block that moves mid-rehash is found through whichever index holds its slot', () => {
    // A slot carries its entry's block: a move must update the slot, in the old index too.
    const t = new KeyTable<Obj>();
    let i = 0;
    // A growth big enough that 100 writes (32 slots moved each) leave most slots in the old index.
    while (!(t.rehashing && i > 10_000)) {
      t.set(`k${i++}`, 'a');
      if (i <= 10_000) t.rehashFor(1000);
    }
    const moved = (j: number): V => (j % 3 === 0 ? new Obj(j) : 'b'.repeat(200 + j));
    for (let j = 0; j < 100; j++) t.set(`k${j * 97}`, moved(j));
    expect(t.rehashing).toBe(true);
    for (let j = 0; j < 100; j++) expect(t.get(`k${j * 97}`)).toEqual(moved(j));
    t.rehashFor(1000);
    for (let j = 0; j < 100; j++) expect(t.get(`k${j * 97}`)).toEqual(moved(j));
  });
  it('overwrites in place when the size class fits, moves the block when it does not', () => {
    const t = new KeyTable<Obj>();
    const e = t.set('k', 'a'.repeat(100));
    const off = t.keyOffset(e);
    t.set('k', 'b'.repeat(103)); // 104-byte class either way
    expect(t.keyOffset(e)).toBe(off);
    t.set('k', 'c'.repeat(500));
    expect(t.find('k')).toBe(e); // same entry, another block
    expect(t.get('k')).toBe('c'.repeat(500));
  });

  it('grows incrementally: a write moves a bounded number of slots, lookups see both indexes meanwhile', () => {
    const t = new KeyTable<Obj>();
    let i = 0;
    while (!t.rehashing) t.set(`k${i++}`, String(i));
    // Right after growth starts the old index is still there, and every key is found.
    const oldSlots = (t as unknown as { old: Int32Array }).old.length / 3; // three int32s a slot
    for (let j = 0; j < i; j++) expect(t.get(`k${j}`)).toBe(String(j + 1));
    let writes = 0;
    while (t.rehashing) {
      t.set(`n${writes}`, 'x');
      writes++;
      for (let j = 0; j < i; j += 97) expect(t.get(`k${j}`)).toBe(String(j + 1));
    }
    expect(writes).toBeGreaterThan(oldSlots / 32); // REHASH_STEP slots a write
    expect(t.size).toBe(i + writes);
  });

  it('rehashFor moves the rest within a time budget; reserve sizes the index once for loading', () => {
    const t = new KeyTable<Obj>();
    for (let i = 0; t.size < 5000 || !t.rehashing; i++) t.set(`k${i}`, 'v');
    t.rehashFor(50);
    expect(t.rehashing).toBe(false);
    const r = new KeyTable<Obj>();
    r.reserve(50_000);
    const slots = (r as unknown as { slots: Int32Array }).slots;
    for (let i = 0; i < 50_000; i++) r.set(`key:${i}`, String(i));
    expect((r as unknown as { slots: Int32Array }).slots).toBe(slots);
    expect(r.rehashing).toBe(false);
    expect(r.get('key:49999')).toBe('49999');
  });

  it('stamps each entry with the LRU clock: on a write and on touch(), a shared integer through its own clock', () => {
    const t = new KeyTable<Obj>();
    const base = Date.UTC(2030, 0, 1);
    tickLruClock(base);
    const a = t.set('a', 'hello');
    const n = t.set('n', '42');
    const m = t.set('m', '42');
    const own = t.set('o', '42', 1); // made otherwise: not the shared object
    const big = t.set('big', '10000');
    const obj = t.set('obj', new Obj(1));
    // A SET of a shared integer does not stamp it (the object exists already): reading does.
    t.touch(n);
    lru.shared[43] = lru.now;
    tickLruClock(base + 5000);
    const idle = (e: number): number => idleSeconds(t.stampOf(e));
    expect([idle(a), idle(n), idle(m), idle(own), idle(big), idle(obj)]).toEqual([5, 5, 5, 5, 5, 5]);
    t.touch(a);
    t.touch(n); // the integer 42's clock: every key holding it reads it
    expect([idle(a), idle(n), idle(m), idle(own), idle(big), idle(obj)]).toEqual([0, 0, 0, 5, 5, 5]);
    expect([t.encodingOf(own), t.encodingOf(a), t.encodingOf(n)]).toEqual([1, 0, 0]);
    const raw = t.set('raw', 'x', 3);
    t.setStamp(raw, t.stampOf(a)); // a moved value keeps its encoding bits
    expect([t.encodingOf(raw), idle(raw)]).toEqual([3, 0]);
    tickLruClock(base + 7000);
    // An overwrite touches the old value (setKey's lookup), then the new one is new: its clock is now.
    t.set('big', 'x');
    expect(idle(big)).toBe(0);
    t.set('n', '43');
    expect([idle(n), idle(m)]).toEqual([7, 0]); // 43 untouched since the start; 42 was touched by the overwrite
    t.setClock(m, lru.now - 100); // RESTORE ... IDLETIME on a shared integer sets the integer's clock
    expect(idle(m)).toBe(100);
    // A loaded string record is tryObjectEncoding's too.
    const k = Buffer.from('kb');
    const loaded = t.addBytes(k, 0, 2, Buffer.from('42'), 0, 2);
    expect(idle(loaded)).toBe(100);
    // A deleted entry's number is reused with a fresh stamp.
    t.delete('obj');
    expect(t.set('again', new Obj(2))).toBe(obj);
    expect(idle(obj)).toBe(0);
    tickLruClock();
  });
});
