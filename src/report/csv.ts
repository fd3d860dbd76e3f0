import { stringify } from 'csv-stringify/sync';
import type { RunResult, Stat, TrialResult } from '../shared/result.js';
import { METRICS, metricValue, type MetricName } from '../shared/metrics.js';
import { modeRank, targetRank } from './header.js';
import { summarize } from './summarize.js';

/**
 * CSV column name of each metric: the METRICS name, which carries its unit (`_ms`, `_pct`,
 * `_bytes`, `_usec`...) except where a bare name would be ambiguous.
 */
const CSV_NAME: Partial<Record<MetricName, string>> = {
  throughput: 'throughput_ops_per_sec',
  space_amplification: 'space_amplification_ratio',
  write_amplification: 'write_amplification_ratio',
};

export function csvMetricColumn(m: MetricName): string {
  return CSV_NAME[m] ?? m;
}

const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

/** Trial fields that are not METRICS but belong in a per-trial export. */
const EXTRAS = [
  ['attempted', 'attempted'],
  ['failed', 'failed'],
  ['in_flight', 'inFlight'],
  ['load_mb_per_sec', 'loadMBPerSec'],
  ['send_lag_max_ms', 'sendLagMaxMs'],
  ['service_max_ms', 'serviceMaxMs'],
  ['unsent_due', 'unsentDue'],
  ['read_throughput_ops_per_sec', 'readThroughputOps'],
  ['read_p99_ms', 'readP99Ms'],
  ['write_ms', 'writeMs'],
] as const satisfies ReadonlyArray<readonly [string, keyof TrialResult]>;

/** The fixed header, in order. Never depends on the data. */
export const CSV_COLUMNS: readonly string[] = [
  'row_kind',
  'target',
  'mode',
  'fault',
  'trial',
  'seed',
  'trials',
  'errors',
  ...METRIC_NAMES.map(csvMetricColumn),
  ...EXTRAS.map(([name]) => name),
  'outcome',
  'outcome_detail',
  'traced',
  'fault_detail',
  'flags',
  'error',
];

type CellValue = string | number | null;
type Row = Record<string, CellValue>;

/**
 * One row per trial (`row_kind` trial) then per (target, mode, fault) three summary rows
 * (median, min, max over the trials that measured each metric, errors excluded).
 * Missing values are empty cells; text cells that a spreadsheet would run as a formula are
 * neutralised with a leading single quote. Numbers we emit stay numbers, negative or not.
 */
export function renderCsv(result: RunResult): string {
  const rows: Row[] = [];
  const trials = [...result.trials].sort(
    (a, b) =>
      targetRank(a.target) - targetRank(b.target) ||
      modeRank(a.mode) - modeRank(b.mode) ||
      a.fault.localeCompare(b.fault) ||
      a.trial - b.trial,
  );
  for (const t of trials) rows.push(trialRow(t));
  const summary = result.trials.length > 0 ? summarize(result.trials) : result.summary;
  for (const s of summary) {
    for (const kind of ['median', 'min', 'max'] as const) {
      const row: Row = {
        row_kind: kind,
        target: s.target,
        mode: s.mode,
        fault: s.fault,
        trial: null,
        seed: result.scenario.seed,
        trials: s.trials,
        errors: s.errors,
      };
      for (const m of METRIC_NAMES) {
        const st: Stat | undefined = s.metrics[m];
        row[csvMetricColumn(m)] = st === undefined ? null : st[kind];
      }
      rows.push(row);
    }
  }
  const records = rows.map((r) => CSV_COLUMNS.map((c) => cellText(r[c] ?? null)));
  return stringify(records, { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'unix' });
}

function trialRow(t: TrialResult): Row {
  const row: Row = {
    row_kind: 'trial',
    target: t.target,
    mode: t.mode,
    fault: t.fault,
    trial: t.trial,
    seed: t.seed,
    trials: null,
    errors: t.error === null ? 0 : 1,
    outcome: t.outcome ?? null,
    outcome_detail: t.outcomeDetail ?? null,
    traced: t.traced ? 1 : 0,
    fault_detail: t.faultDetail ? faultDetailText(t.faultDetail) : null,
    flags: t.flags.map((f) => (f === '' || /[\s"]/.test(f) ? JSON.stringify(f) : f)).join(' '),
    error: t.error,
  };
  for (const m of METRIC_NAMES) row[csvMetricColumn(m)] = metricValue(t, m);
  for (const [name, field] of EXTRAS) row[name] = finiteOrNull(t[field]);
  return row;
}

/** The fault's figures as compact JSON (keys in the fault's order; non-finite numbers → null). */
export function faultDetailText(d: Record<string, number | string | null>): string {
  return JSON.stringify(d, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

function finiteOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** null → empty; numbers verbatim (never NaN/Infinity); text neutralised. */
export function cellText(v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`internal: non-finite number ${v} reached the CSV writer`);
    return String(v);
  }
  return neutralise(v);
}

/**
 * CSV/formula injection (OWASP): a cell starting with = + - @ (or tab / CR, which some
 * spreadsheets strip first) is prefixed with a single quote so it is shown as text.
 */
export function neutralise(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
