import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../../src/server/key-table.js';

type Op =
  | { op: 'set'; key: string; value: number }
  | { op: 'delete'; key: string }
  | { op: 'clear' }
  | { op: 'reserve'; n: number }
  | { op: 'random' };

// A small alphabet of keys so that sets, overwrites and deletes of the same key are common.
const key = fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `k${i}`), '', 'a\u00ff\u0000b');
const writes = [
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), key, value: fc.integer() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reserve' as const), n: fc.integer({ min: 0, max: 300 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'random' as const }) },
];
const noClear: fc.Arbitrary<Op> = fc.oneof(...writes);
const op: fc.Arbitrary<Op> = fc.oneof(...writes, { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) });

function apply(t: KeyTable<number>, m: Map<string, number>, o: Op): void {
  switch (o.op) {
    case 'set':
      t.set(o.key, o.value);
      m.set(o.key, o.value);
      break;
    case 'delete':
      expect(t.delete(o.key)).toBe(m.delete(o.key));
      break;
    case 'clear':
      t.clear();
      m.clear();
      break;
    case 'reserve':
      t.reserve(o.n);
      break;
    case 'random': {
      const k = t.randomKey();
      if (m.size === 0) expect(k).toBeUndefined();
      else expect(m.has(k!)).toBe(true);
    }
  }
}

describe('KeyTable', () => {
  it('behaves as a Map: same answers, same size, same insertion order', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const t = new KeyTable<number>();
        const m = new Map<string, number>();
        for (const o of ops) {
          apply(t, m, o);
          expect(t.size).toBe(m.size);
          if ('key' in o) expect(t.get(o.key)).toBe(m.get(o.key));
        }
        expect([...t]).toEqual([...m]);
        for (const k of [...m.keys(), 'nope']) {
          expect(t.get(k)).toBe(m.get(k));
          expect(t.has(k)).toBe(m.has(k));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a cursor survives writes: every key present throughout is visited once, none deleted before its turn', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.array(noClear, { maxLength: 300 }), (before, during) => {
        const t = new KeyTable<number>();
        const m = new Map<string, number>();
        for (const o of before) apply(t, m, o);
        const atStart = new Set(m.keys());
        const c = t.cursor();
        const seen: string[] = [];
        const touched = new Set<string>();
        for (const o of during) {
          const e = c.next();
          if (e !== undefined) {
            seen.push(e[0]);
            expect(m.get(e[0])).toBe(e[1]); // the live value, never a stale one
          }
          if (o.op === 'set' || o.op === 'delete') touched.add(o.key);
          apply(t, m, o);
        }
        for (let e = c.next(); e !== undefined; e = c.next()) seen.push(e[0]);
        // No key comes twice unless it was deleted and set again meanwhile.
        const dup = seen.filter((k, i) => seen.indexOf(k) !== i);
        for (const k of dup) expect(touched.has(k)).toBe(true);
        for (const k of atStart) if (!touched.has(k)) expect(seen).toContain(k);
      }),
      { numRuns: 1000 },
    );
  });

  it('holes are squeezed out, so churn does not grow the table without bound', () => {
    const t = new KeyTable<number>();
    for (let i = 0; i < 100_000; i++) {
      t.set(`key:${i}`, i);
      if (i >= 10) t.delete(`key:${i - 10}`);
    }
    expect(t.size).toBe(10);
    expect([...t.keys()]).toEqual(Array.from({ length: 10 }, (_, i) => `key:${99_990 + i}`));
    // Internal sizes: the entry arrays hold live keys plus bounded slack, not 100k holes.
    expect((t as unknown as { used: number }).used).toBeLessThan(64);
  });

  it('reserve sizes the index once: loading n keys after reserve(n) never rebuilds', () => {
    const t = new KeyTable<number>();
    t.reserve(50_000);
    const slots = (t as unknown as { slots: Int32Array }).slots;
    for (let i = 0; i < 50_000; i++) t.set(`key:${i}`, i);
    expect((t as unknown as { slots: Int32Array }).slots).toBe(slots);
    expect(t.get('key:49999')).toBe(49_999);
  });

  it('an open cursor (the expiry sweep, a snapshot) does not stop holes being squeezed out, and keeps its place', () => {
    const t = new KeyTable<number>();
    for (let i = 0; i < 100; i++) t.set(`old:${i}`, i);
    const c = t.cursor();
    for (let i = 0; i < 50; i++) expect(c.next()?.[0]).toBe(`old:${i}`);
    for (let i = 0; i < 40; i++) t.delete(`old:${i}`); // holes behind the cursor: it must move back
    for (let i = 0; i < 100_000; i++) {
      t.set(`new:${i}`, i);
      if (i >= 10) t.delete(`new:${i - 10}`);
    }
    expect((t as unknown as { used: number }).used).toBeLessThan(400);
    const rest: string[] = [];
    for (let e = c.next(); e !== undefined; e = c.next()) rest.push(e[0]);
    // the unvisited old keys, then whatever new keys are still there, each once
    expect(rest.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => `old:${50 + i}`));
    expect(rest.slice(50)).toEqual(Array.from({ length: 10 }, (_, i) => `new:${99_990 + i}`));
  });
});
