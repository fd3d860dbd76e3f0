import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/report/summarize.js';
import { max, mean, median, min } from '../../../src/report/stats.js';
import { trial } from './fixtures.js';

describe('stats', () => {
  it('median of odd and even counts, unsorted input untouched', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(min([3, -1, 2])).toBe(-1);
    expect(max([3, -1, 2])).toBe(3);
    expect(mean([1, 2, 3, 6])).toBe(3);
  });
});

describe('summarize', () => {
  it('groups by target, mode and fault in first-seen order', () => {
    const rows = summarize([
      trial({ mode: 'none', trial: 1 }),
      trial({ mode: 'aof-always', trial: 1 }),
      trial({ mode: 'none', trial: 2 }),
      trial({ mode: 'none', target: 'redis', trial: 1 }),
      trial({ mode: 'none', fault: 'sigterm', trial: 1 }),
    ]);
    expect(rows.map((r) => `${r.target}/${r.mode}/${r.fault}/${r.trials}`)).toEqual([
      'builtin/none/sigkill/2',
      'builtin/aof-always/sigkill/1',
      'redis/none/sigkill/1',
      'builtin/none/sigterm/1',
    ]);
  });

  it('median/min/max/n per metric over the trials that measured it', () => {
    const [row] = summarize([
      trial({ trial: 1, lost: 10, recoveryMs: 30, forkUsec: null }),
      trial({ trial: 2, lost: 30, recoveryMs: null, forkUsec: null }),
      trial({ trial: 3, lost: 20, recoveryMs: 50, forkUsec: 4000 }),
    ]);
    expect(row!.metrics.lost).toEqual({ median: 20, min: 10, max: 30, n: 3 });
    expect(row!.metrics.recovery_ms).toEqual({ median: 40, min: 30, max: 50, n: 2 });
    expect(row!.metrics.fork_usec).toEqual({ median: 4000, min: 4000, max: 4000, n: 1 });
    expect(row!.metrics.cow_bytes).toBeUndefined();
    expect(row!.errors).toBe(0);
  });

  it('excludes error trials from the statistics but counts them', () => {
    const [row] = summarize([
      trial({ trial: 1, lost: 0 }),
      trial({ trial: 2, lost: 999_999, error: 'target crashed' }),
    ]);
    expect(row!.trials).toBe(2);
    expect(row!.errors).toBe(1);
    expect(row!.metrics.lost).toEqual({ median: 0, min: 0, max: 0, n: 1 });
  });

  it('a group of only failed trials has no metrics, never NaN', () => {
    const [row] = summarize([trial({ error: 'boom' })]);
    expect(row!.metrics).toEqual({});
    expect(JSON.stringify(row)).not.toMatch(/NaN|Infinity/);
  });

  it('ignores non-finite values that slipped into a trial', () => {
    const [row] = summarize([trial({ trial: 1, recoveryMs: NaN }), trial({ trial: 2, recoveryMs: 7 })]);
    expect(row!.metrics.recovery_ms).toEqual({ median: 7, min: 7, max: 7, n: 1 });
  });
});
