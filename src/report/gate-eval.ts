import type { RunResult, TrialResult } from '../shared/result.js';
import { metricValue, type MetricName } from '../shared/metrics.js';
import type { FaultKind, Mode, TargetKind } from '../shared/types.js';
import { fmtNum } from './format.js';
import { modeRank, targetRank } from './header.js';
import { parseGate } from '../shared/gate-parse.js';
import { refText, type Agg, type Gate, type MetricRef, type Op } from '../shared/gate.js';
import { max, mean, median, min } from './stats.js';

/** One check of one gate on one target/mode/fault. Numbers are finite or null (JSON-safe). */
export interface GateOutcome {
  /** the gate as written */
  gate: string;
  /** the check with the target, mode and fault filled in: lost[builtin:aof-always@sigkill].max == 0 */
  check: string;
  target: TargetKind | null;
  mode: Mode | null;
  fault: FaultKind | null;
  metric: MetricName;
  agg: Agg;
  op: Op;
  value: number | null;
  threshold: number | null;
  /** where the threshold came from, e.g. "0.5 × throughput[builtin:none].median (107k)" */
  thresholdFrom: string;
  pass: boolean;
  /** why it failed when it is not simply the comparison, or null */
  reason: string | null;
}

interface Group {
  target: TargetKind;
  mode: Mode;
  fault: FaultKind;
  trials: TrialResult[];
}

/**
 * Evaluates gates (text or parsed) against a run, and optionally a baseline run. A gate on
 * `*`, without a target or without a fault yields one outcome per target/mode/fault present.
 * Fails closed: a check
 * whose trials include an error, whose metric was not measured, whose mode is absent, or
 * whose baseline is missing does not pass. Throws ConfigError for unparsable gate text.
 */
export function evaluateGates(
  gates: ReadonlyArray<string | Gate>,
  result: RunResult,
  baseline?: RunResult,
): GateOutcome[] {
  const parsed = gates.map((g) => (typeof g === 'string' ? parseGate(g) : g));
  const groups = groupTrials(result.trials);
  const baseGroups = baseline ? groupTrials(baseline.trials) : null;
  const out: GateOutcome[] = [];
  for (const g of parsed) out.push(...evaluateGate(g, groups, baseGroups));
  return out;
}

function evaluateGate(g: Gate, groups: Group[], baseGroups: Group[] | null): GateOutcome[] {
  const { lhs } = g;
  const selected = groups.filter(
    (x) =>
      (lhs.target === null || lhs.target === '*' || x.target === lhs.target) &&
      (lhs.mode === '*' || x.mode === lhs.mode) &&
      (lhs.fault === null || lhs.fault === '*' || x.fault === lhs.fault),
  );
  if (selected.length === 0) {
    const where =
      `${lhs.target !== null && lhs.target !== '*' ? `${lhs.target}:` : ''}${lhs.mode}` +
      `${lhs.fault !== null && lhs.fault !== '*' ? `@${lhs.fault}` : ''}`;
    return [
      failed(g, refCheck(g, null), null, null, null, `no trials for ${where} in this result`),
    ];
  }
  return selected.map((grp) => {
    const check = refCheck(g, grp);
    const base = { target: grp.target, mode: grp.mode, fault: grp.fault };
    const errs = grp.trials.filter((t) => t.error !== null);
    if (errs.length > 0) {
      return failed(g, check, base, null, null,
        `${errs.length} of ${grp.trials.length} trials failed (${firstLine(errs[0]!.error!)})`);
    }
    const value = aggregate(grp.trials, lhs.metric, lhs.agg);
    if (value === null) return failed(g, check, base, null, null, `${lhs.metric} was not measured`);

    let threshold: number;
    let from: string;
    const rhs = g.rhs;
    if (rhs.kind === 'number') {
      threshold = rhs.value;
      from = fmtExact(rhs.value);
    } else if (rhs.kind === 'baseline') {
      if (baseGroups === null) return failed(g, check, base, value, null, 'needs a baseline result (--baseline)');
      const bg = baseGroups.find((x) => x.target === grp.target && x.mode === grp.mode && x.fault === grp.fault);
      const okTrials = bg?.trials.filter((t) => t.error === null) ?? [];
      const bv = okTrials.length > 0 ? aggregate(okTrials, lhs.metric, lhs.agg) : null;
      if (bv === null) {
        const where = `${grp.target}:${grp.mode}@${grp.fault}`;
        return failed(g, check, base, value, null,
          bg ? `baseline has no ${lhs.metric} for ${where}` : `baseline has no trials for ${where}`);
      }
      threshold = rhs.factor * bv;
      from = `${rhs.factor === 1 ? '' : `${fmtExact(rhs.factor)} × `}baseline ${fmtNum(bv)}`;
    } else {
      const ref: MetricRef = rhs.ref;
      const target = ref.target === null || ref.target === '*' ? grp.target : ref.target;
      const fault = ref.fault === null || ref.fault === '*' ? grp.fault : ref.fault;
      const rg = groups.find((x) => x.target === target && x.mode === ref.mode && x.fault === fault);
      const refName = refText(ref, target, fault);
      if (!rg) return failed(g, check, base, value, null, `no trials for ${target}:${ref.mode}@${fault} (needed by ${refName})`);
      const rerrs = rg.trials.filter((t) => t.error !== null);
      if (rerrs.length > 0) {
        return failed(g, check, base, value, null,
          `${refName}: ${rerrs.length} of ${rg.trials.length} trials failed (${firstLine(rerrs[0]!.error!)})`);
      }
      const rv = aggregate(rg.trials, ref.metric, ref.agg);
      if (rv === null) return failed(g, check, base, value, null, `${refName} was not measured`);
      threshold = rhs.factor * rv;
      from = `${rhs.factor === 1 ? '' : `${fmtExact(rhs.factor)} × `}${refName} ${fmtNum(rv)}`;
    }
    if (!Number.isFinite(threshold)) return failed(g, check, base, value, null, 'threshold is not a finite number');
    const pass = compare(value, g.op, threshold);
    return {
      gate: g.text,
      check: `${check} ${g.op} ${rhsText(g)}`,
      ...base,
      metric: lhs.metric,
      agg: lhs.agg,
      op: g.op,
      value,
      threshold,
      thresholdFrom: from,
      pass,
      reason: null,
    };
  });
}

function failed(
  g: Gate,
  check: string,
  where: { target: TargetKind; mode: Mode; fault: FaultKind } | null,
  value: number | null,
  threshold: number | null,
  reason: string,
): GateOutcome {
  return {
    gate: g.text,
    check: `${check} ${g.op} ${rhsText(g)}`,
    target: where?.target ?? null,
    mode: where?.mode ?? null,
    fault: where?.fault ?? null,
    metric: g.lhs.metric,
    agg: g.lhs.agg,
    op: g.op,
    value,
    threshold,
    thresholdFrom: '',
    pass: false,
    reason,
  };
}

/** The checked ref with its target, mode and fault filled in: lost[builtin:aof-always@sigkill].max */
function refCheck(g: Gate, grp: Group | null): string {
  if (grp === null) return refText(g.lhs);
  return refText({ ...g.lhs, mode: grp.mode }, grp.target, grp.fault);
}

function rhsText(g: Gate): string {
  const r = g.rhs;
  const f = (x: number) => (x === 1 ? '' : `${fmtExact(x)} * `);
  if (r.kind === 'number') return fmtExact(r.value);
  if (r.kind === 'baseline') return `${f(r.factor)}baseline`;
  return `${f(r.factor)}${refText(r.ref)}`;
}

export function compare(v: number, op: Op, t: number): boolean {
  switch (op) {
    case '==':
      return v === t;
    case '!=':
      return v !== t;
    case '<':
      return v < t;
    case '<=':
      return v <= t;
    case '>':
      return v > t;
    case '>=':
      return v >= t;
  }
}

/** The aggregate of a metric over trials (errors must be excluded by the caller), or null. */
export function aggregate(trials: readonly TrialResult[], m: MetricName, agg: Agg): number | null {
  const xs: number[] = [];
  for (const t of trials) {
    const v = metricValue(t, m);
    if (v !== null) xs.push(v);
  }
  if (xs.length === 0) return null;
  switch (agg) {
    case 'median':
    case 'p50':
      return median(xs);
    case 'mean':
      return mean(xs);
    case 'min':
      return min(xs);
    case 'max':
      return max(xs);
  }
}

function groupTrials(trials: readonly TrialResult[]): Group[] {
  const map = new Map<string, Group>();
  for (const t of trials) {
    const k = `${t.target}\u0000${t.mode}\u0000${t.fault}`;
    let g = map.get(k);
    if (!g) {
      g = { target: t.target, mode: t.mode, fault: t.fault, trials: [] };
      map.set(k, g);
    }
    g.trials.push(t);
  }
  return [...map.values()].sort(
    (a, b) => targetRank(a.target) - targetRank(b.target) || modeRank(a.mode) - modeRank(b.mode) ||
      a.fault.localeCompare(b.fault),
  );
}

function firstLine(s: string): string {
  const l = s.split('\n')[0] ?? '';
  return l.length > 120 ? `${l.slice(0, 119)}…` : l;
}

/** Numbers as the user wrote them: no SI rounding for thresholds. */
function fmtExact(x: number): string {
  return String(Number(x.toPrecision(12)));
}
