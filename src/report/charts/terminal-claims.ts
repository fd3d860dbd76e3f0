import type { ClaimsResult } from '../../shared/claims.js';
import { fmtBytes, fmtDuration, fmtNum } from '../format.js';
import type { AsciiOptions } from './ascii.js';
import { claimSizeSeries } from './series.js';
import { sizeChart } from './terminal-sweep.js';

/**
 * `claims`' terminal charts: the figures a verdict was decided on that form a curve against
 * dataset size (fork pause, RDB vs AOF load), one chart per claim. The verdicts themselves
 * are the claims table's job.
 */
export function renderClaimsCharts(c: ClaimsResult, o: AsciiOptions): string {
  const curves = claimSizeSeries(c);
  if (curves.length === 0) return 'Claims charts: no claim has figures at several dataset sizes\n';
  const text = new Map(c.claims.map((x) => [x.id, x.text]));
  return (
    curves
      .map(({ id, points }) => sizeChart((text.get(id as never) ?? id).replace(/\.$/, ''), [points], figureFormat(points[0]!.series), o))
      .join('\n\n') + '\n'
  );
}

/** A figure's unit from its name, as claims name them (`fork_usec_…`, `rdb_load_ms_…`, `aof_bytes_…`). */
export function figureFormat(name: string): (v: number) => string {
  if (/_usec$/.test(name)) return (v) => fmtDuration(v / 1000);
  if (/_ms$/.test(name)) return fmtDuration;
  if (/_bytes$/.test(name)) return fmtBytes;
  return fmtNum;
}
