import { describe, expect, it } from 'vitest';
import { deriveSeed, Rng } from '../../../src/shared/prng.js';

describe('Rng (mulberry32)', () => {
  it('is deterministic for a seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 100 }, () => a.nextU32());
    const ys = Array.from({ length: 100 }, () => b.nextU32());
    expect(xs).toEqual(ys);
  });

  it('known first values: canonical mulberry32 (seed 1 → 0.6270739405881613)', () => {
    expect(new Rng(1).next()).toBe(0.6270739405881613);
    const r = new Rng(1);
    expect([r.nextU32(), r.nextU32(), r.nextU32()]).toEqual([2693262067, 11749833, 2265367787]);
  });

  it('differs between seeds', () => {
    expect(new Rng(1).nextU32()).not.toBe(new Rng(2).nextU32());
  });

  it('int and range stay in bounds', () => {
    const r = new Rng(7);
    for (let i = 0; i < 10_000; i++) {
      const x = r.int(10);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(10);
      const y = r.range(1500, 3500);
      expect(y).toBeGreaterThanOrEqual(1500);
      expect(y).toBeLessThanOrEqual(3500);
    }
  });

  it('covers the range roughly uniformly', () => {
    const r = new Rng(3);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[r.int(10)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('deriveSeed separates modes and trials and is stable', () => {
    expect(deriveSeed(42, 0, 0)).toBe(deriveSeed(42, 0, 0));
    const seeds = new Set<number>();
    for (let m = 0; m < 6; m++) for (let t = 0; t < 10; t++) seeds.add(deriveSeed(42, m, t));
    expect(seeds.size).toBe(60);
  });
});
