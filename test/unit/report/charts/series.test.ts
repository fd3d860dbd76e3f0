import { describe, expect, it } from 'vitest';
import { claimSizeSeries, fmtKeys, perMode, runTimelines, sweepSeries } from '../../../../src/report/charts/series.js';
import { claimsFixture, realRun, runWithTimelines, sweepFixture } from '../../../helpers/chart-fixtures.js';

describe('chart series', () => {
  it('perMode: medians per target/mode/fault in table order, failed trials and nulls left out', () => {
    const r = realRun();
    const base = r.trials[0]!;
    r.trials = [
      { ...base, mode: 'rdb', trial: 1, lossPct: 10, forkUsec: 40 },
      { ...base, mode: 'rdb', trial: 2, lossPct: 30 },
      { ...base, mode: 'rdb', trial: 3, lossPct: 20 },
      { ...base, mode: 'rdb', trial: 4, lossPct: 99, error: 'crashed' },
      { ...base, mode: 'none', trial: 1, lossPct: 100, forkUsec: null },
    ];
    expect(perMode(r, 'lossPct')).toEqual([
      { target: 'builtin', mode: 'none', fault: 'sigkill', value: 100, trials: 1 },
      { target: 'builtin', mode: 'rdb', fault: 'sigkill', value: 20, trials: 3 },
    ]);
    expect(perMode(r, 'forkUsec').map((v) => v.mode)).toEqual(['rdb']);
  });

  it('runTimelines: the first trial of each group, limited, the rest counted', () => {
    const r = runWithTimelines();
    const all = runTimelines(r);
    expect(all.shown).toHaveLength(6);
    expect(all.shown.map((t) => t.mode)).toEqual(['none', 'rdb', 'aof-always', 'aof-everysec', 'aof-no', 'rdb+aof']);
    expect(runTimelines(r, 2)).toMatchObject({ omitted: 4 });
    expect(runTimelines(realRun()).shown).toEqual([]);
  });

  it('sweepSeries skips skipped sizes and nulls; claimSizeSeries groups figures named _<keys>', () => {
    const fork = sweepSeries(sweepFixture(), (p) => p.forkUsec);
    expect(fork.map((p) => `${p.target}@${p.keys}`)).toEqual([
      'builtin@100000', 'builtin@1000000', 'builtin@4000000', 'redis@100000', 'redis@1000000', 'redis@4000000',
    ]);
    const curves = claimSizeSeries(claimsFixture());
    expect(curves.map((c) => c.id)).toEqual(['fork-pause-grows', 'rdb-loads-faster']);
    expect(new Set(curves[1]!.points.map((p) => p.series))).toEqual(new Set(['builtin rdb_load_ms', 'builtin aof_load_ms', 'redis rdb_load_ms', 'redis aof_load_ms']));
  });

  it('fmtKeys', () => {
    expect([100_000, 1_000_000, 4_000_000, 2_500_000, 1234].map(fmtKeys)).toEqual(['100k', '1M', '4M', '2.5M', '1234']);
  });
});
