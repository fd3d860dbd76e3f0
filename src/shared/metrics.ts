import type { RecoveryOutcome, TrialResult } from './result.js';

/**
 * The metrics gates, tables, CSV and compare speak of, with their unit and direction.
 * Names are the ones users write in gate expressions: `lost[aof-always].max == 0`.
 * A metric is a numeric trial field (`field`) or derived from the trial (`derive`, e.g. the
 * recovery outcome as a 0/1 count); either way null means "not measured".
 */
interface MetricBase {
  unit: string;
  better: 'lower' | 'higher';
  label: string;
}
export type MetricDef =
  | (MetricBase & { field: keyof TrialResult; derive?: never })
  | (MetricBase & { derive: (t: TrialResult) => number | null; field?: never });

/** 1 when the trial's outcome is `o`, 0 when it is another, null when the trial was not judged. */
const outcomeIs =
  (o: RecoveryOutcome) =>
  (t: TrialResult): number | null =>
    t.outcome === null || t.outcome === undefined ? null : t.outcome === o ? 1 : 0;

export const METRICS = {
  acked: { field: 'acked', unit: 'writes', better: 'higher', label: 'acked writes' },
  lost: { field: 'lost', unit: 'writes', better: 'lower', label: 'lost acked writes' },
  loss_pct: { field: 'lossPct', unit: '%', better: 'lower', label: 'loss' },
  loss_window_ms: { field: 'lossWindowMs', unit: 'ms', better: 'lower', label: 'loss window' },
  recovered: { field: 'recovered', unit: 'writes', better: 'higher', label: 'in-flight recovered' },
  unexpected: { field: 'unexpected', unit: 'values', better: 'lower', label: 'unexpected values' },
  duplicated: { field: 'duplicated', unit: 'elements', better: 'lower', label: 'duplicated' },
  reordered: { field: 'reordered', unit: 'elements', better: 'lower', label: 'reordered' },
  stale_reads: { field: 'staleReads', unit: 'reads', better: 'lower', label: 'stale reads' },
  partial_tx: { field: 'partialTx', unit: 'transactions', better: 'lower', label: 'partially applied transactions' },
  refused: { derive: outcomeIs('refused'), unit: 'trials', better: 'lower', label: 'restart refused' },
  wrong_data: { derive: outcomeIs('wrong-data'), unit: 'trials', better: 'lower', label: 'wrong data served' },
  recovery_ms: { field: 'recoveryMs', unit: 'ms', better: 'lower', label: 'recovery time' },
  load_ms: { field: 'loadMs', unit: 'ms', better: 'lower', label: 'dataset load time: listening → ready' },
  keys_recovered: { field: 'keysRecovered', unit: 'keys', better: 'higher', label: 'keys recovered' },
  load_keys_per_sec: { field: 'loadKeysPerSec', unit: 'keys/s', better: 'higher', label: 'load rate' },
  disk_bytes: { field: 'diskBytes', unit: 'B', better: 'lower', label: 'disk total' },
  rdb_bytes: { field: 'rdbBytes', unit: 'B', better: 'lower', label: 'RDB size' },
  aof_bytes: { field: 'aofBytes', unit: 'B', better: 'lower', label: 'AOF size' },
  bytes_per_key: { field: 'bytesPerKey', unit: 'B/key', better: 'lower', label: 'disk per key' },
  space_amplification: { field: 'spaceAmplification', unit: 'x', better: 'lower', label: 'disk bytes per logical byte acked' },
  bytes_written: { field: 'bytesWritten', unit: 'B', better: 'lower', label: 'bytes written to storage' },
  bytes_written_per_write: { field: 'bytesWrittenPerWrite', unit: 'B/write', better: 'lower', label: 'bytes written per acked write' },
  write_amplification: { field: 'writeAmplification', unit: 'x', better: 'lower', label: 'bytes written per logical byte acked' },
  fork_usec: { field: 'forkUsec', unit: 'us', better: 'lower', label: 'fork / snapshot start' },
  cow_bytes: { field: 'cowBytes', unit: 'B', better: 'lower', label: 'copy-on-write' },
  snapshot_max_latency_ms: { field: 'snapshotMaxLatencyMs', unit: 'ms', better: 'lower', label: 'max latency in snapshot' },
  throughput: { field: 'throughputOps', unit: 'ops/s', better: 'higher', label: 'throughput' },
  p50_ms: { field: 'p50Ms', unit: 'ms', better: 'lower', label: 'p50 latency' },
  p99_ms: { field: 'p99Ms', unit: 'ms', better: 'lower', label: 'p99 latency' },
  p999_ms: { field: 'p999Ms', unit: 'ms', better: 'lower', label: 'p99.9 latency' },
  max_ms: { field: 'maxMs', unit: 'ms', better: 'lower', label: 'max latency' },
  send_lag_p99_ms: { field: 'sendLagP99Ms', unit: 'ms', better: 'lower', label: 'load generator send lag p99 (open loop)' },
  service_p99_ms: { field: 'serviceP99Ms', unit: 'ms', better: 'lower', label: 'service time p99, send → reply (open loop)' },
} as const satisfies Record<string, MetricDef>;

export type MetricName = keyof typeof METRICS;

export function isMetricName(s: string): s is MetricName {
  return Object.prototype.hasOwnProperty.call(METRICS, s);
}

/** A trial's value for a metric, or null when the trial did not measure it. */
export function metricValue(t: TrialResult, m: MetricName): number | null {
  const def: MetricDef = METRICS[m];
  const v = def.derive ? def.derive(t) : t[def.field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
