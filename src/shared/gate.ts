// The parsed form of a gate expression (and its grammar): the types both the parser and
// gate-eval use, kept apart so neither depends on the other's internals.
import type { MetricName } from './metrics.js';
import type { Mode, TargetKind } from './types.js';

/**
 * Gate expressions, in the spirit of k6 thresholds. One gate is
 *
 *   gate     := ref op rhs
 *   ref      := metric '[' selector ']' '.' agg
 *   selector := mode | '*' | target ':' mode | target ':' '*'
 *   op       := '==' | '!=' | '<' | '<=' | '>' | '>='
 *   rhs      := factor [ '*' factor ]
 *   factor   := number | 'baseline' | ref
 *
 * - metric: a METRICS name (lost, loss_pct, recovery_ms, throughput, p99_ms, fork_usec, ...).
 * - mode: none | rdb | aof-always | aof-everysec | aof-no | rdb+aof; `*` = every mode in the
 *   run, each checked (and reported) on its own.
 * - target: builtin | redis. Without a target the gate is checked for every target in the
 *   run, each on its own; `*:` says the same explicitly.
 * - agg over the trials of that target/mode: median (alias p50), mean, min, max.
 * - number: decimal, optional exponent, `_` separators, optional k/M/G suffix (50k = 50000).
 * - `baseline`: the same metric/target/mode/agg in the baseline result (--baseline).
 * - a ref on the right compares modes side by side in one run; its mode must be concrete and
 *   its target defaults to the target being checked. At most one of baseline/ref per side.
 *
 * Examples:
 *   lost[aof-always].max == 0
 *   loss_pct[none].min >= 99
 *   recovery_ms[rdb].median < 2000
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

/** Canonical text of a ref; with `target` set, the target is always written. */
export function refText(r: MetricRef, target?: string): string {
  const t = target ?? (r.target === null ? null : r.target);
  return `${r.metric}[${t !== null ? `${t}:` : ''}${r.mode}].${r.agg}`;
}
