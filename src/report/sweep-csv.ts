/**
 * `durabench sweep --csv`: one row per (size, target), a fixed header with units in the names,
 * empty cells for what was not measured (skipped sizes, failed points). The timeline is JSON only.
 */
import { stringify } from 'csv-stringify/sync';
import type { SweepPoint, SweepResult } from '../shared/sweep-result.js';
import { cellText } from './csv.js';

const COLUMNS = [
  ['keys', (p) => p.keys],
  ['target', (p) => p.target],
  ['value_bytes', (p) => p.valueBytes],
  ['fork_usec', (p) => p.forkUsec],
  ['snapshot_ms', (p) => p.snapshotMs],
  ['cow_bytes', (p) => p.cowBytes],
  ['snapshot_writes', (p) => p.snapshotWrites],
  ['baseline_p99_ms', (p) => p.baseline.p99Ms],
  ['baseline_p999_ms', (p) => p.baseline.p999Ms],
  ['baseline_max_ms', (p) => p.baseline.maxMs],
  ['snapshot_p99_ms', (p) => p.duringSnapshot.p99Ms],
  ['snapshot_p999_ms', (p) => p.duringSnapshot.p999Ms],
  ['snapshot_max_ms', (p) => p.duringSnapshot.maxMs],
  ['send_lag_max_ms', (p) => p.sendLagMaxMs],
  ['rdb_bytes', (p) => p.rdbBytes],
  ['aof_bytes', (p) => p.aofBytes],
  ['rdb_bytes_per_key', (p) => (p.rdbBytes === null || p.keys === 0 ? null : Math.round((p.rdbBytes / p.keys) * 1000) / 1000)],
  ['aof_bytes_per_key', (p) => (p.aofBytes === null || p.keys === 0 ? null : Math.round((p.aofBytes / p.keys) * 1000) / 1000)],
  ['rdb_load_ms', (p) => p.rdbLoad.loadMs],
  ['rdb_recovery_ms', (p) => p.rdbLoad.recoveryMs],
  ['aof_load_ms', (p) => p.aofLoad.loadMs],
  ['aof_recovery_ms', (p) => p.aofLoad.recoveryMs],
  ['rss_bytes', (p) => p.rssBytes],
  ['rss_bytes_per_key', (p) => (p.rssBytes === null || p.keys === 0 ? null : Math.round((p.rssBytes / p.keys) * 1000) / 1000)],
  ['fill_ms', (p) => p.fillMs],
  ['skipped', (p) => p.skipped],
  ['error', (p) => p.error],
] as const satisfies ReadonlyArray<readonly [string, (p: SweepPoint) => string | number | null]>;

export const SWEEP_CSV_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name);

export function renderSweepCsv(r: SweepResult): string {
  const rows = r.points.map((p) => COLUMNS.map(([, get]) => cellText(get(p))));
  return stringify(rows, { header: true, columns: [...SWEEP_CSV_COLUMNS], record_delimiter: 'unix' });
}
