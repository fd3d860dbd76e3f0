import { describe, expect, it } from 'vitest';
import { parseCount, parseSizes, parseSweepModes, sweepOptions } from '../../../src/cli/sweep-options.js';
import { doesNotFit, estimateBytes } from '../../../src/harness/sweep/memory-fit.js';

const base = { sizes: '100k,1M', 'value-size': 100, values: 'random', target: 'builtin,redis', modes: 'rdb,aof-everysec', rate: 5000, clients: 16, window: '2s', seed: 1 };

describe('sweep flags', () => {
  it('sizes as users type them, sorted and distinct', () => {
    expect(parseCount('100k')).toBe(100_000);
    expect(parseCount('1.5M')).toBe(1_500_000);
    expect(parseCount('2500')).toBe(2500);
    expect(parseCount('1.00001k')).toBeNull();
    expect(parseSizes('4M,100k,100000')).toEqual([100_000, 4_000_000]);
  });

  it('bad input is one line naming the flag', () => {
    expect(() => parseSizes('0')).toThrow(/--sizes: '0'/);
    expect(() => parseSizes(',')).toThrow(/at least one/);
    expect(() => parseSweepModes('none')).toThrow(/--modes: .*'none' is not one/);
    expect(() => parseSweepModes('aof-always,aof-no')).toThrow(/at most one AOF mode/);
    expect(() => sweepOptions({ ...base, target: 'redsi' })).toThrow(/--target: unknown target 'redsi'/);
    expect(() => sweepOptions({ ...base, values: 'zeros' })).toThrow(/--values/);
    expect(() => sweepOptions({ ...base, window: 'soon' })).toThrow(/--window/);
    expect(() => sweepOptions({ ...base, rate: 0 })).toThrow(/--rate/);
  });

  it('good flags become options', () => {
    expect(sweepOptions(base)).toMatchObject({ sizes: [100_000, 1_000_000], targets: ['builtin', 'redis'], modes: ['rdb', 'aof-everysec'], windowMs: 2000 });
  });
});

describe('memory fit', () => {
  it('a size that does not fit is skipped with a reason; measured RSS per key replaces the default', () => {
    const need = estimateBytes(4_000_000, 100, ['builtin', 'redis'], {});
    expect(need).toBeGreaterThan(4_000_000 * 750 * 2);
    expect(doesNotFit(4_000_000, need, need - 1, 0, null)).toMatch(/needs ~.* GB of memory .* free/);
    expect(doesNotFit(4_000_000, need, need + 1, 10, 5)).toMatch(/of disk/);
    expect(doesNotFit(4_000_000, need, need + 1, 10, 50)).toBeNull();
    expect(estimateBytes(1e6, 100, ['redis'], { redis: 1000 })).toBeGreaterThan(estimateBytes(1e6, 100, ['redis'], {}));
  });
});
