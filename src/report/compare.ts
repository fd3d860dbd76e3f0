// Baseline vs current: pure computation of per-metric verdicts. Rendering is compare-table.ts.
import type { RunResult, Stat, SummaryRow } from '../shared/result.js';
import { ConfigError } from '../shared/errors.js';
import { METRICS, type MetricName } from '../shared/metrics.js';
import type { FaultKind, Mode, TargetKind } from '../shared/types.js';
import { modeRank, targetRank } from './header.js';
import type { MicroResult } from './micro-result.js';
import { summarize } from './summarize.js';

/**
 * regression / improvement: the median moved more than the threshold in the bad / good
 *   direction (METRICS says which way is better), or left zero (lost 0 → 3 has no %).
 * same: within the threshold.
 * missing: present on one side only (a mode added or dropped); informational.
 * A target/mode whose trials started failing is a regression on the pseudo-metric `errors`.
 */
export type Verdict = 'regression' | 'improvement' | 'same' | 'missing';

export interface CompareRow {
  kind: 'run' | 'micro';
  /** run: "<target>:<mode>" (plus "@<fault>" when runs mix faults); micro: "micro" */
  group: string;
  target: TargetKind | null;
  mode: Mode | null;
  fault: FaultKind | null;
  /** METRICS name, "errors", or for micro results the benchmark name */
  metric: string;
  unit: string;
  better: 'lower' | 'higher';
  baseline: number | null;
  current: number | null;
  /** (current − baseline) / |baseline| × 100; null when the baseline is 0 or a side is missing */
  changePct: number | null;
  verdict: Verdict;
  note: string | null;
}

export interface CompareOptions {
  /** a change within ± this many percent is "same" */
  thresholdPct: number;
}

export function compareResults(
  baseline: RunResult | MicroResult,
  current: RunResult | MicroResult,
  opts: CompareOptions,
): CompareRow[] {
  if (!(opts.thresholdPct >= 0) || !Number.isFinite(opts.thresholdPct)) {
    throw new ConfigError(`threshold must be a finite percentage ≥ 0 (got ${opts.thresholdPct})`);
  }
  if (baseline.kind !== current.kind) {
    throw new ConfigError(`cannot compare a '${baseline.kind}' result with a '${current.kind}' result`);
  }
  if (baseline.kind === 'micro' && current.kind === 'micro') return compareMicro(baseline, current, opts);
  return compareRuns(baseline as RunResult, current as RunResult, opts);
}

function compareRuns(b: RunResult, c: RunResult, opts: CompareOptions): CompareRow[] {
  const bRows = rowsOf(b);
  const cRows = rowsOf(c);
  const faults = new Set([...bRows, ...cRows].map((r) => r.fault));
  const key = (r: SummaryRow) => `${r.target}\u0000${r.mode}\u0000${r.fault}`;
  const cByKey = new Map(cRows.map((r) => [key(r), r]));
  const bByKey = new Map(bRows.map((r) => [key(r), r]));
  const out: CompareRow[] = [];
  const groupName = (r: SummaryRow) => `${r.target}:${r.mode}${faults.size > 1 ? `@${r.fault}` : ''}`;
  const base = (r: SummaryRow) => ({
    kind: 'run' as const,
    group: groupName(r),
    target: r.target,
    mode: r.mode,
    fault: r.fault,
  });

  const all = [...bRows, ...cRows.filter((r) => !bByKey.has(key(r)))].sort(
    (x, y) => targetRank(x.target) - targetRank(y.target) || modeRank(x.mode) - modeRank(y.mode) ||
      x.fault.localeCompare(y.fault),
  );
  for (const r of all) {
    const br = bByKey.get(key(r));
    const cr = cByKey.get(key(r));
    if (!br || !cr) {
      out.push({
        ...base(r), metric: '*', unit: '', better: 'higher', baseline: null, current: null, changePct: null,
        verdict: 'missing', note: br ? 'not in the current result' : 'not in the baseline result',
      });
      continue;
    }
    // Failing trials first: a crashed target is the loudest regression there is.
    if (br.errors > 0 || cr.errors > 0) {
      const bRate = br.errors / Math.max(1, br.trials);
      const cRate = cr.errors / Math.max(1, cr.trials);
      out.push({
        ...base(r), metric: 'errors', unit: 'trials', better: 'lower', baseline: br.errors, current: cr.errors,
        changePct: br.errors === 0 ? null : pct(br.errors, cr.errors),
        verdict: cRate > bRate ? 'regression' : cRate < bRate ? 'improvement' : 'same',
        note: `failed trials: ${br.errors}/${br.trials} → ${cr.errors}/${cr.trials}`,
      });
    }
    for (const m of Object.keys(METRICS) as MetricName[]) {
      const bs: Stat | undefined = br.metrics[m];
      const cs: Stat | undefined = cr.metrics[m];
      if (bs === undefined && cs === undefined) continue;
      const def = METRICS[m];
      const row = {
        ...base(r), metric: m, unit: def.unit, better: def.better,
        baseline: bs?.median ?? null, current: cs?.median ?? null,
      };
      if (bs === undefined || cs === undefined) {
        out.push({ ...row, changePct: null, verdict: 'missing',
          note: bs === undefined ? 'not measured in the baseline' : 'not measured in the current result' });
        continue;
      }
      out.push({ ...row, ...judge(bs.median, cs.median, def.better, opts.thresholdPct) });
    }
  }
  return out;
}

function compareMicro(b: MicroResult, c: MicroResult, opts: CompareOptions): CompareRow[] {
  const cBy = new Map(c.benchmarks.map((x) => [x.name, x]));
  const bBy = new Map(b.benchmarks.map((x) => [x.name, x]));
  const names = [...b.benchmarks.map((x) => x.name), ...c.benchmarks.map((x) => x.name).filter((n) => !bBy.has(n))];
  return names.map((name): CompareRow => {
    const bb = bBy.get(name);
    const cb = cBy.get(name);
    const row = {
      kind: 'micro' as const, group: 'micro', target: null, mode: null, fault: null,
      metric: name, unit: 'ops/s', better: 'higher' as const,
      baseline: bb?.opsPerSec ?? null, current: cb?.opsPerSec ?? null,
    };
    if (!bb || !cb) {
      return { ...row, changePct: null, verdict: 'missing',
        note: bb ? 'not in the current result' : 'not in the baseline result' };
    }
    const j = judge(bb.opsPerSec, cb.opsPerSec, 'higher', opts.thresholdPct);
    return { ...row, ...j, note: j.note ?? `rme ± ${bb.rme.toFixed(1)}% → ± ${cb.rme.toFixed(1)}%` };
  });
}

function judge(
  b: number,
  c: number,
  better: 'lower' | 'higher',
  thresholdPct: number,
): { changePct: number | null; verdict: Verdict; note: string | null } {
  if (b === c) return { changePct: 0, verdict: 'same', note: null };
  const worse = better === 'lower' ? c > b : c < b;
  if (b === 0) {
    // No percentage from zero: any move away from 0 is judged by direction alone.
    return { changePct: null, verdict: worse ? 'regression' : 'improvement', note: 'baseline was 0' };
  }
  const p = pct(b, c);
  if (Math.abs(p) <= thresholdPct) return { changePct: p, verdict: 'same', note: null };
  return { changePct: p, verdict: worse ? 'regression' : 'improvement', note: null };
}

function pct(b: number, c: number): number {
  return ((c - b) / Math.abs(b)) * 100;
}

function rowsOf(r: RunResult): SummaryRow[] {
  return r.trials.length > 0 ? summarize(r.trials) : r.summary;
}

/**
 * Scenario settings that make two runs incomparable as like for like (the seed is not one:
 * a different seed is exactly what a re-run should survive). Empty when they match.
 */
export function scenarioDifferences(a: RunResult | MicroResult, b: RunResult | MicroResult): string[] {
  if (a.kind !== 'run' || b.kind !== 'run') return [];
  const keys = ['workload', 'faults', 'durationMs', 'clients', 'pipeline', 'rate', 'valueSize', 'keys', 'preload', 'savePoints'] as const;
  const out: string[] = [];
  for (const k of keys) {
    const x = JSON.stringify(a.scenario[k]);
    const y = JSON.stringify(b.scenario[k]);
    if (x !== y) out.push(`${k} ${x} vs ${y}`);
  }
  return out;
}

export function hasRegression(rows: readonly CompareRow[]): boolean {
  return rows.some((r) => r.verdict === 'regression');
}
