import type { SweepResult } from '../../shared/sweep-result.js';
import { fmtDuration } from '../format.js';
import { barChart, type AsciiOptions } from './ascii.js';
import { fmtKeys, sweepPoints, sweepSeries, type SizePoint } from './series.js';

/** `sweep`'s terminal charts: snapshot start pause, load time and tail latency against dataset size. */
export function renderSweepCharts(s: SweepResult, o: AsciiOptions): string {
  if (sweepPoints(s).length === 0) return 'Sweep charts: no size was measured\n';
  const charts = [
    sizeChart('Snapshot start pause (latest_fork_usec)', [sweepSeries(s, (p) => usToMs(p.forkUsec))], fmtDuration, o),
    sizeChart(
      'Load time (listening → ready) from the RDB and from the AOF',
      [sweepSeries(s, (p) => p.rdbLoad.loadMs, 'rdb'), sweepSeries(s, (p) => p.aofLoad.loadMs, 'aof')],
      fmtDuration,
      o,
    ),
    sizeChart(
      'Worst write latency under a steady load, without and during a snapshot',
      [sweepSeries(s, (p) => p.baseline.maxMs, 'no snapshot'), sweepSeries(s, (p) => p.duringSnapshot.maxMs, 'snapshot')],
      fmtDuration,
      o,
    ),
  ];
  return charts.join('\n\n') + '\n';
}

const usToMs = (us: number | null) => (us === null ? null : us / 1000);

/**
 * One figure against dataset size: a group of bars per size, a bar per series. Bars, not
 * lines: a sweep has a handful of sizes growing by factors (100k, 1M, 4M), and the
 * library's stepped lines would draw each value flat until the next size.
 */
export function sizeChart(title: string, groups: SizePoint[][], fmtY: (v: number) => string, o: AsciiOptions): string {
  const all = groups.flat();
  if (all.length === 0) return `${title}: not measured`;
  const names = [...new Set(all.map((p) => p.series))];
  const sizes = [...new Set(all.map((p) => p.keys))].sort((a, b) => a - b);
  const series = names.map((name) => ({
    name,
    values: sizes.map((k) => all.find((p) => p.series === name && p.keys === k)?.value ?? null),
  }));
  return barChart(`${title}, by keys in the dataset`, sizes.map(fmtKeys), series, (v) => (v === 0 ? '0' : fmtY(v)), o);
}
