import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Arena, blockSize, MAX_SMALL, PAGE_SIZE } from '../../../../src/server/store/arena.js';

// Sizes from every class: tiny, class edges, the largest small size, and big blocks.
const size = fc.oneof(
  fc.integer({ min: 0, max: 130 }),
  fc.constantFrom(128, 129, 160, 161, 1024, 1025, 4096, MAX_SMALL - 1, MAX_SMALL),
  fc.integer({ min: 131, max: MAX_SMALL }),
  fc.integer({ min: MAX_SMALL + 1, max: 70_000 }),
);

describe('Arena', () => {
  it('blocks never overlap and keep their bytes across allocs and frees of any class', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ n: size, free: fc.boolean() }), { maxLength: 120 }), (ops) => {
        const a = new Arena();
        const live: { ref: number; n: number; tag: number }[] = [];
        let tag = 1;
        for (const o of ops) {
          if (o.free && live.length > 0) {
            const b = live.splice(tag % live.length, 1)[0]!;
            a.free(b.ref, b.n);
            continue;
          }
          const ref = a.alloc(o.n);
          const t = tag++ & 0xff;
          a.buffer(ref).fill(t, a.offset(ref), a.offset(ref) + o.n);
          live.push({ ref, n: o.n, tag: t });
        }
        for (const b of live) {
          const buf = a.buffer(b.ref);
          const off = a.offset(b.ref);
          for (let i = 0; i < b.n; i++) if (buf[off + i] !== b.tag) expect.fail(`block ${b.ref} byte ${i} overwritten`);
        }
        let used = 0;
        for (const b of live) used += blockSize(b.n);
        expect(a.usedBytes).toBe(used);
      }),
      { numRuns: 300 },
    );
  });

  it('a freed block is reused by the next allocation of its class, so churn does not grow the arena', () => {
    const a = new Arena();
    const keep = Array.from({ length: 1000 }, () => a.alloc(100));
    const reserved = a.reservedBytes;
    for (let i = 0; i < 100_000; i++) {
      const j = i % keep.length;
      a.free(keep[j]!, 100);
      keep[j] = a.alloc(104); // same 104-byte class
    }
    expect(a.reservedBytes).toBe(reserved);
    expect(reserved).toBe(PAGE_SIZE);
  });

  it('reset() frees every block and the next allocations take its pages, in their old order, before any new one', () => {
    const a = new Arena();
    const first = Array.from({ length: 30_000 }, () => a.alloc(100)); // 3 pages
    const pages = first.map((r) => a.buffer(r));
    a.reset();
    expect(a.usedBytes).toBe(0);
    expect(a.reservedBytes).toBe(3 * PAGE_SIZE);
    const again = Array.from({ length: 30_000 }, () => a.alloc(100));
    expect(again).toEqual(first);
    expect(again.every((r, i) => a.buffer(r) === pages[i])).toBe(true); // the same pages, not copies
    expect(a.reservedBytes).toBe(3 * PAGE_SIZE);
    a.alloc(100_000); // a big block is its own, as before
    a.reset();
    expect(a.reservedBytes).toBe(3 * PAGE_SIZE);
  });

  it('fits: in place within a size class, a big block only while it stays over half used', () => {
    const a = new Arena();
    const r = a.alloc(100);
    expect(a.fits(r, 100, 104)).toBe(true);
    expect(a.fits(r, 100, 105)).toBe(false);
    const big = a.alloc(40_000);
    expect(a.fits(big, 40_000, 30_000)).toBe(true);
    expect(a.fits(big, 40_000, 10_000)).toBe(false);
    expect(a.fits(big, 40_000, 40_001)).toBe(false);
  });
});
