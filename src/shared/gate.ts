// The parsed form of a gate expression (and its grammar): the types both the parser and
// gate-eval use, kept apart so neither depends on the other's internals.
import type { MetricName } from './metrics.js';
import type { FaultKind, Mode, TargetKind } from './types.js';

/**
 * Gate expressions, in the spirit of k6 thresholds. One gate is
 *
 *   gate     := ref op rhs
 *   ref      := metric '[' selector ']' '.' agg
 *   selector := modes [ '@' fault ]
 *   modes    := mode | '*' | target ':' mode | target ':' '*'
 *   fault    := a fault kind | '*'
 *   op       := '==' | '!=' | '<' | '<=' | '>' | '>='
 *   rhs      := factor [ '*' factor ]
 *   factor   := number | 'baseline' | ref
 *
 * - metric: a METRICS name (lost, loss_pct, refused, wrong_data, recovery_ms, throughput, ...).
 * - mode: none | rdb | aof-always | aof-everysec | aof-no | rdb+aof; `*` = every mode in the
 *   run, each checked (and reported) on its own.
 * - target: builtin | redis. Without a target the gate is checked for every target in the
 *   run, each on its own; `*:` says the same explicitly.
 * - fault: a FAULTS kind (sigkill, power-loss, ...). Without one (or with `@*`) the gate is
 *   checked for every fault in the run, each on its own, like targets.
 * - agg over the trials of that target/mode/fault: median (alias p50), mean, min, max.
 * - number: decimal, optional exponent, `_` separators, optional k/M/G suffix (50k = 50000).
 * - `baseline`: the same metric/target/mode/fault/agg in the baseline result (--baseline).
 * - a ref on the right compares modes (or faults) side by side in one run; its mode must be
 *   concrete, and its target and fault default to the ones being checked. At most one of
 *   baseline/ref per side.
 *
 * Examples:
 *   lost[aof-always].max == 0
 *   lost[aof-always@power-loss].max == 0
 *   loss_window_ms[redis:aof-everysec@power-loss].max <= 2500
 *   wrong_data[*].max == 0
 *   loss_pct[none].min >= 99
 *   throughput[redis:aof-always].median >= 0.5 * throughput[redis:none].median
 *   p99_ms[*].median <= 1.2 * baseline
 */
export const AGGS = ['median', 'p50', 'mean', 'min', 'max'] as const;
export type Agg = (typeof AGGS)[number];
export const OPS = ['==', '!=', '<', '<=', '>', '>='] as const;
export type Op = (typeof OPS)[number];

export interface MetricRef {
  metric: MetricName;
  /** null: not written (every target on the left; the checked target on the right) */
  target: TargetKind | '*' | null;
  mode: Mode | '*';
  /** null: not written (every fault on the left; the checked fault on the right) */
  fault: FaultKind | '*' | null;
  agg: Agg;
}

export type Rhs =
  | { kind: 'number'; value: number }
  | { kind: 'baseline'; factor: number }
  | { kind: 'ref'; factor: number; ref: MetricRef };

export interface Gate {
  /** the text as written, trimmed */
  text: string;
  lhs: MetricRef;
  op: Op;
  rhs: Rhs;
}

/** Canonical text of a ref; with `target` / `fault` set, they are always written. */
export function refText(r: MetricRef, target?: string, fault?: string): string {
  const t = target ?? (r.target === null ? null : r.target);
  const f = fault ?? (r.fault === null ? null : r.fault);
  return `${r.metric}[${t !== null ? `${t}:` : ''}${r.mode}${f !== null ? `@${f}` : ''}].${r.agg}`;
}
