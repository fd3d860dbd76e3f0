import type { ClaimsResult } from '../../shared/claims.js';
import type { RunResult, TrialResult } from '../../shared/result.js';
import type { SweepPoint, SweepResult } from '../../shared/sweep-result.js';
import type { Timeline } from '../../shared/timeline.js';
import { modeRank, targetRank } from '../header.js';
import { median } from '../stats.js';

/**
 * What the charts plot, taken out of the results once, so the terminal and the HTML charts
 * show the same numbers. Pure data: no drawing here. Medians over the trials that measured
 * a figure (a failed trial measured nothing); nulls are left out, never drawn as 0.
 */

export type ChartableResult = RunResult | SweepResult | ClaimsResult;

/** One bar: a figure's median for a target/mode(/fault), and the trials behind it. */
export interface ModeValue {
  target: string;
  mode: string;
  fault: string;
  value: number;
  trials: number;
}

type NumericField = {
  [K in keyof TrialResult]: TrialResult[K] extends number | null ? K : never;
}[keyof TrialResult];

/** Median of a trial figure per target × mode × fault, in table order; groups that measured nothing are absent. */
export function perMode(run: RunResult, field: NumericField, scale = 1, keep: (t: TrialResult) => boolean = () => true): ModeValue[] {
  const groups = new Map<string, { t: TrialResult; xs: number[] }>();
  for (const t of run.trials) {
    if (t.error !== null || !keep(t)) continue;
    const v = t[field];
    if (v === null || !Number.isFinite(v)) continue;
    const key = `${t.target}\0${t.mode}\0${t.fault}`;
    const g = groups.get(key) ?? { t, xs: [] };
    g.xs.push(v * scale);
    groups.set(key, g);
  }
  return sortModeValues(
    [...groups.values()].map(({ t, xs }) => ({ target: t.target, mode: t.mode, fault: t.fault, value: median(xs), trials: xs.length })),
    run,
  );
}

function sortModeValues(xs: ModeValue[], run: RunResult): ModeValue[] {
  const faultRank = (f: string) => {
    const i = run.scenario.faults.indexOf(f as never);
    return i < 0 ? 99 : i;
  };
  return xs.sort(
    (a, b) => targetRank(a.target) - targetRank(b.target) || modeRank(a.mode) - modeRank(b.mode) || faultRank(a.fault) - faultRank(b.fault),
  );
}

/** Targets, modes and faults present in the run, in table order. */
export function axes(run: RunResult): { targets: string[]; modes: string[]; faults: string[] } {
  const uniq = (xs: string[]) => [...new Set(xs)];
  const ts = [...run.trials].sort((a, b) => targetRank(a.target) - targetRank(b.target) || modeRank(a.mode) - modeRank(b.mode));
  const faults = uniq(run.trials.map((t) => t.fault));
  faults.sort((a, b) => run.scenario.faults.indexOf(a as never) - run.scenario.faults.indexOf(b as never));
  return { targets: uniq(ts.map((t) => t.target)), modes: uniq(ts.map((t) => t.mode)), faults };
}

/** A trial's timeline with the words that name it. */
export interface LabelledTimeline {
  target: string;
  mode: string;
  fault: string;
  trial: number;
  label: string;
  timeline: Timeline;
}

/**
 * The timelines worth a picture: the first recorded trial of each target × mode × fault (later
 * trials of the same group look alike and would only repeat), in table order, at most `limit`.
 */
export function runTimelines(run: RunResult, limit = Infinity): { shown: LabelledTimeline[]; omitted: number } {
  const seen = new Set<string>();
  const all: LabelledTimeline[] = [];
  const sorted = [...run.trials].sort(
    (a, b) => targetRank(a.target) - targetRank(b.target) || modeRank(a.mode) - modeRank(b.mode) || a.trial - b.trial,
  );
  for (const t of sorted) {
    if (!hasBuckets(t.timeline)) continue;
    const key = `${t.target}\0${t.mode}\0${t.fault}`;
    if (seen.has(key)) continue;
    seen.add(key);
    all.push({ target: t.target, mode: t.mode, fault: t.fault, trial: t.trial, label: `${t.target} · ${t.mode} · ${t.fault} · trial ${t.trial}`, timeline: t.timeline });
  }
  return { shown: all.slice(0, limit), omitted: Math.max(0, all.length - limit) };
}

export function hasBuckets(t: Timeline | null | undefined): t is Timeline {
  return t != null && t.buckets.some((b) => b.maxMs !== null || b.p99Ms !== null || b.ops > 0);
}

/** The measured points of a sweep (skipped sizes are not points on a chart), by target then size. */
export function sweepPoints(s: SweepResult): SweepPoint[] {
  return s.points.filter((p) => p.skipped === null).sort((a, b) => targetRank(a.target) - targetRank(b.target) || a.keys - b.keys);
}

/** One (x, y) of a named series; x is the dataset size in keys. */
export interface SizePoint {
  series: string;
  target: string;
  keys: number;
  value: number;
}

/** A figure of each sweep point against size, one series per target (and per `name` when given). */
export function sweepSeries(s: SweepResult, pick: (p: SweepPoint) => number | null, name = ''): SizePoint[] {
  const out: SizePoint[] = [];
  for (const p of sweepPoints(s)) {
    const v = pick(p);
    if (v === null || !Number.isFinite(v)) continue;
    out.push({ series: name ? `${p.target} ${name}` : p.target, target: p.target, keys: p.keys, value: v });
  }
  return out;
}

/**
 * A claim's figures that form a curve against dataset size: names ending in `_<keys>`
 * (`fork_usec_1000000`, `rdb_load_ms_100000`) grouped by their stem, one series per stem
 * and target, kept when they have two sizes or more.
 */
export function claimSizeSeries(c: ClaimsResult): { id: string; points: SizePoint[] }[] {
  const byClaim = new Map<string, SizePoint[]>();
  for (const v of c.verdicts) {
    for (const [name, value] of Object.entries(v.figures)) {
      const m = /^(.+)_(\d+)$/.exec(name);
      if (!m || value === null || !Number.isFinite(value)) continue;
      const pts = byClaim.get(v.id) ?? [];
      pts.push({ series: `${v.target} ${m[1]}`, target: v.target, keys: Number(m[2]), value });
      byClaim.set(v.id, pts);
    }
  }
  const out: { id: string; points: SizePoint[] }[] = [];
  for (const [id, pts] of byClaim) {
    const sizes = new Map<string, Set<number>>();
    for (const p of pts) sizes.set(p.series, (sizes.get(p.series) ?? new Set()).add(p.keys));
    const kept = pts.filter((p) => sizes.get(p.series)!.size >= 2).sort((a, b) => a.series.localeCompare(b.series) || a.keys - b.keys);
    if (kept.length > 0) out.push({ id, points: kept });
  }
  return out;
}

/** 100000 → "100k", 4000000 → "4M": dataset sizes on axes and in titles. */
export function fmtKeys(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`;
  return String(n);
}
