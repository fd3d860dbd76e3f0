import { describe, expect, it } from 'vitest';
import { max, mean, median, min } from '../../../src/report/stats.js';

describe('stats', () => {
  it('median of an odd and an even sample', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mean([1, 2, 3])).toBeCloseTo(2, 12);
  });

  it('median and mean of values near Number.MAX_VALUE stay finite (no overflow in a + b)', () => {
    const big = Number.MAX_VALUE;
    expect(median([big, big])).toBe(big);
    expect(mean([big, big, big])).toBe(big);
  });

  it('empty samples give NaN, which callers check for', () => {
    expect(median([])).toBeNaN();
    expect(min([])).toBeNaN();
    expect(max([])).toBeNaN();
    expect(mean([])).toBeNaN();
  });
});
