import type { Stat, SummaryRow, TrialResult } from '../shared/result.js';
import { METRICS, metricValue, type MetricName } from '../shared/metrics.js';
import { max, median, min } from './stats.js';

/**
 * Groups trials by (target, mode, fault) in first-seen order and summarises every METRICS
 * metric over the trials that measured it. Trials with an error count in `errors` and
 * `trials` but never in the statistics: a crashed trial's numbers are not a measurement.
 * A metric no successful trial measured is absent from `metrics` (never NaN).
 */
export function summarize(trials: readonly TrialResult[]): SummaryRow[] {
  const groups = new Map<string, TrialResult[]>();
  for (const t of trials) {
    const key = groupKey(t);
    const g = groups.get(key);
    if (g) g.push(t);
    else groups.set(key, [t]);
  }
  const rows: SummaryRow[] = [];
  for (const g of groups.values()) {
    const first = g[0]!;
    const ok = g.filter((t) => t.error === null);
    const metrics: Record<string, Stat> = {};
    for (const m of Object.keys(METRICS) as MetricName[]) {
      const s = statOf(ok, m);
      if (s) metrics[m] = s;
    }
    rows.push({
      target: first.target,
      mode: first.mode,
      fault: first.fault,
      trials: g.length,
      errors: g.length - ok.length,
      metrics,
    });
  }
  return rows;
}

/** The stat of one metric over trials (errors must already be excluded), or null. */
export function statOf(trials: readonly TrialResult[], m: MetricName): Stat | null {
  const xs: number[] = [];
  for (const t of trials) {
    const v = metricValue(t, m);
    if (v !== null) xs.push(v);
  }
  if (xs.length === 0) return null;
  return { median: median(xs), min: min(xs), max: max(xs), n: xs.length };
}

export function groupKey(t: { target: string; mode: string; fault: string }): string {
  return `${t.target}\u0000${t.mode}\u0000${t.fault}`;
}
