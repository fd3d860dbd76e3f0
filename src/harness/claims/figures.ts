/**
 * The figures claims are judged on, picked out of run and sweep results: completed trials of
 * one target, mode and fault; sweep points of one target by size (median when several
 * sweeps measured a size). Pure.
 */
import type { RunResult, TrialResult } from '../../shared/result.js';
import type { SweepPoint, SweepResult } from '../../shared/sweep-result.js';
import type { FaultKind, Mode, TargetKind } from '../../shared/types.js';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Trials that ran to a verdict (no error), of a target/mode and one of the faults. */
export function trialsOf(runs: readonly RunResult[], target: TargetKind, mode: Mode, faults: readonly FaultKind[]): TrialResult[] {
  return runs.flatMap((r) => r.trials).filter((t) => t.target === target && t.mode === mode && faults.includes(t.fault) && t.error === null);
}

/** The errors of the trials that did not complete (e.g. "skipped: strace not found"), distinct. */
export function trialErrors(runs: readonly RunResult[], target: TargetKind, faults: readonly FaultKind[]): string[] {
  const errs = runs.flatMap((r) => r.trials).filter((t) => t.target === target && faults.includes(t.fault) && t.error !== null);
  return [...new Set(errs.map((t) => t.error!))];
}

/** Measured sweep points of a target, one per size (ascending), figures merged by median. */
export function pointsOf(sweeps: readonly SweepResult[], target: TargetKind): SweepPoint[] {
  const bySize = new Map<number, SweepPoint[]>();
  for (const p of sweeps.flatMap((s) => s.points)) {
    if (p.target !== target || p.skipped !== null || p.error !== null) continue;
    bySize.set(p.keys, [...(bySize.get(p.keys) ?? []), p]);
  }
  return [...bySize.entries()].sort((a, b) => a[0] - b[0]).map(([, ps]) => (ps.length === 1 ? ps[0]! : mergePoints(ps)));
}

function mergePoints(ps: SweepPoint[]): SweepPoint {
  const med = (f: (p: SweepPoint) => number | null): number | null => {
    const xs = ps.map(f).filter((x): x is number => x !== null);
    return xs.length > 0 ? median(xs) : null;
  };
  return {
    ...ps[0]!,
    forkUsec: med((p) => p.forkUsec),
    snapshotMs: med((p) => p.snapshotMs),
    cowBytes: med((p) => p.cowBytes),
    snapshotWrites: med((p) => p.snapshotWrites),
    rdbBytes: med((p) => p.rdbBytes),
    aofBytes: med((p) => p.aofBytes),
    rssBytes: med((p) => p.rssBytes),
    rdbLoad: { recoveryMs: med((p) => p.rdbLoad.recoveryMs), loadMs: med((p) => p.rdbLoad.loadMs) },
    aofLoad: { recoveryMs: med((p) => p.aofLoad.recoveryMs), loadMs: med((p) => p.aofLoad.loadMs) },
  };
}

/** 100000 → 100k, 4000000 → 4M */
export function keysLabel(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`;
  return String(n);
}

export const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`);
export const fmtMB = (b: number): string => (b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} kB`);
export const fmtPct = (x: number): string => `${x >= 10 || x === 0 ? x.toFixed(0) : x.toFixed(1)}%`;
