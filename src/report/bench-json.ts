import type { RunResult } from '../shared/result.js';
import { METRICS, type MetricName } from '../shared/metrics.js';
import { fmtNum } from './format.js';
import { modeRank, targetRank } from './header.js';
import { renderJson } from './json.js';
import type { MicroResult } from './micro-result.js';
import { summarize } from './summarize.js';

/**
 * github-action-benchmark "custom" format: `[{name, unit, value, range?, extra?}]`.
 * The action has two tools, and each file must hold one direction only:
 *   direction 'bigger'  → tool: customBiggerIsBetter  (throughput, acked, load rate, ...)
 *   direction 'smaller' → tool: customSmallerIsBetter (lost, loss_pct, recovery_ms, p99_ms, ...)
 * Run results give one entry per target/mode/metric, named like a gate reference
 * (`recovery_ms[builtin:rdb]`), value = median over trials, range = "± largest distance from
 * the median to min or max", extra = min/max/trials. Micro results give ops/s (bigger) or
 * mean ms (smaller) per benchmark, range = "± rme%".
 */
export type BenchDirection = 'bigger' | 'smaller';

export interface BenchEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

export function benchEntries(result: RunResult | MicroResult, direction: BenchDirection): BenchEntry[] {
  if (result.kind === 'micro') {
    return result.benchmarks.map((b) =>
      direction === 'bigger'
        ? { name: b.name, unit: 'ops/s', value: b.opsPerSec, range: `± ${round(b.rme)}%`, extra: `${b.samples} samples` }
        : { name: b.name, unit: 'ms', value: b.meanMs, range: `± ${round(b.rme)}%`, extra: `p99 ${b.p99Ms} ms; ${b.samples} samples` },
    );
  }
  const better = direction === 'bigger' ? 'higher' : 'lower';
  const rows = (result.trials.length > 0 ? summarize(result.trials) : result.summary).sort(
    (a, b) => targetRank(a.target) - targetRank(b.target) || modeRank(a.mode) - modeRank(b.mode),
  );
  const faults = new Set(rows.map((r) => r.fault));
  const out: BenchEntry[] = [];
  for (const m of Object.keys(METRICS) as MetricName[]) {
    if (METRICS[m].better !== better) continue;
    for (const r of rows) {
      const st = r.metrics[m];
      if (st === undefined) continue;
      const spread = Math.max(st.median - st.min, st.max - st.median);
      out.push({
        name: `${m}[${r.target}:${r.mode}]${faults.size > 1 ? `@${r.fault}` : ''}`,
        unit: METRICS[m].unit,
        value: st.median,
        range: `± ${round(spread)}`,
        extra:
          `median of ${st.n} trial${st.n === 1 ? '' : 's'} (min ${fmtNum(st.min)}, max ${fmtNum(st.max)})` +
          `${r.errors > 0 ? `; ${r.errors} of ${r.trials} trials FAILED` : ''}; seed ${result.scenario.seed}`,
      });
    }
  }
  return out;
}

export function renderBenchJson(result: RunResult | MicroResult, direction: BenchDirection): string {
  return renderJson(benchEntries(result, direction));
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}
