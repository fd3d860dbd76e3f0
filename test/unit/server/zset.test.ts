import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZSet } from '../../../src/server/zset.js';

/** The model: a Map sorted on demand by (score, member), as the old ZSet did. */
function modelOrder(m: Map<string, number>): string[] {
  return [...m.keys()].sort((a, b) => {
    const x = m.get(a)!;
    const y = m.get(b)!;
    if (x !== y) return x < y ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

const member = fc.string({ maxLength: 3, unit: fc.constantFrom('a', 'b', 'c', 'd', '\xff', '\x00') });
const score = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(Infinity, -Infinity, 0.5, -0));
const op = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), member, score }),
  fc.record({ kind: fc.constant('remove' as const), member }),
);

describe('ZSet skip list', () => {
  it('matches a sorted-Map model: order, ranks, rank lookups, score-range starts', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const z = new ZSet();
        const m = new Map<string, number>();
        for (const o of ops) {
          if (o.kind === 'add') {
            z.add(o.member, o.score);
            m.set(o.member, o.score);
          } else {
            expect(z.remove(o.member)).toBe(m.delete(o.member));
          }
        }
        const want = modelOrder(m);
        expect(z.size).toBe(m.size);
        expect(z.ordered()).toEqual(want);
        expect([...z.nodes()].map((n) => n.member).reverse()).toEqual([...want].reverse());
        // backward links
        const back: string[] = [];
        for (let n = z.last(); n !== null; n = n.prev) back.push(n.member);
        expect(back).toEqual([...want].reverse());
        want.forEach((mem, i) => {
          expect(z.rank(mem)).toBe(i);
          expect(z.at(i)?.member).toBe(mem);
        });
        expect(z.rank('zz-missing')).toBe(-1);
        expect(z.at(want.length)).toBe(null);
        for (const s of [-Infinity, -1, 0, 0.5, 2, Infinity]) {
          const first = want.find((k) => m.get(k)! >= s);
          expect(z.firstWhere((n) => n.score >= s)?.member).toBe(first);
          const lastLe = [...want].reverse().find((k) => m.get(k)! <= s);
          expect(z.lastWhere((n) => n.score <= s)?.member ?? undefined).toBe(lastLe);
        }
        const c = z.clone();
        expect(c.ordered()).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps 100k members ordered with O(log n) inserts', () => {
    const z = new ZSet();
    for (let i = 0; i < 100_000; i++) z.add('m' + i, (i * 7919) % 100_003);
    expect(z.size).toBe(100_000);
    let prev = -Infinity;
    let sorted = true;
    for (const n of z.nodes()) {
      if (n.score < prev) sorted = false;
      prev = n.score;
    }
    expect(sorted).toBe(true);
    expect(z.at(50_000)!.member).toBe(z.ordered()[50_000]);
  });
});
