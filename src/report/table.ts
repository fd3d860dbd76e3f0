import type { RunResult, Stat, SummaryRow } from '../shared/result.js';
import { METRICS, type MetricName } from '../shared/metrics.js';
import { paint } from './color.js';
import { renderFitted, type Column } from './fit.js';
import { fmtBytes, fmtNum } from './format.js';
import { modeRank, renderModeFlags, renderRunHeader, targetRank, wrap } from './header.js';
import { renderFaultTables } from './fault-tables.js';
import { renderMatrix, wantsMatrix } from './matrix.js';
import { renderSanity, renderTrialErrors } from './sanity.js';
import { summarize } from './summarize.js';

export interface TableOptions {
  /** ANSI colour; the CLI decides (off in CI and when stdout is not a TTY). */
  color?: boolean;
  /** Maximum line width; 100 by default. */
  width?: number;
}

/** How a metric is shown in a terminal table: short head, display unit, formatter. */
interface ColumnSpec {
  metric: MetricName;
  head: string;
  unit: string;
  fmt: (x: number) => string;
}

const num = (x: number): string => fmtNum(x);
const col = (metric: MetricName, head: string, unit: string = METRICS[metric].unit, fmt = num): ColumnSpec => ({
  metric,
  head,
  unit,
  fmt,
});
const bytes = (metric: MetricName, head: string): ColumnSpec => col(metric, head, 'bytes', fmtBytes);

interface Concern {
  title: string;
  columns: ColumnSpec[];
  /** Columns shown only when some row measured a non-zero value. */
  optional?: MetricName[];
  /** Columns shown when some row measured them, zero included (a 0 there is the finding). */
  whenMeasured?: MetricName[];
  /** Hide rows (modes) that measured none of the columns, e.g. no snapshot in `none`. */
  hideEmptyRows?: boolean;
  /**
   * Timings a syscall tracer distorts: traced and untraced trials never share a cell (a
   * group with both gets two rows), and traced rows are marked.
   */
  splitTraced?: boolean;
  /** Printed instead of the table when no row measured anything. */
  empty: string;
}

const CONCERNS: Concern[] = [
  {
    title: 'Loss of acknowledged writes',
    columns: [
      col('acked', 'acked'),
      col('lost', 'lost'),
      col('loss_pct', 'loss'),
      col('loss_window_ms', 'loss window'),
      col('recovered', 'in-flight\nrecovered'),
      col('unexpected', 'unexpected'),
      col('duplicated', 'duplicated'),
      col('reordered', 'reordered'),
      col('stale_reads', 'stale\nreads'),
      col('partial_tx', 'partially\napplied', 'tx'),
    ],
    optional: ['duplicated', 'reordered', 'stale_reads'],
    whenMeasured: ['partial_tx'],
    empty: 'no loss measurements',
  },
  {
    title: 'Recovery',
    columns: [
      col('recovery_ms', 'recovery'),
      col('load_ms', 'load\n(listening→ready)'),
      col('keys_recovered', 'keys loaded'),
      col('load_keys_per_sec', 'load rate'),
    ],
    empty: 'no recovery measurements',
  },
  {
    title: 'Disk',
    columns: [
      bytes('disk_bytes', 'disk total'),
      bytes('rdb_bytes', 'RDB'),
      bytes('aof_bytes', 'AOF'),
      col('bytes_per_key', 'per key'),
      col('space_amplification', 'disk per\nlogical byte'),
    ],
    empty: 'no disk measurements',
  },
  {
    title: 'Bytes written to storage during the writes',
    columns: [
      bytes('bytes_written', 'written'),
      col('bytes_written_per_write', 'per acked\nwrite'),
      col('write_amplification', 'per logical\nbyte acked'),
    ],
    hideEmptyRows: true,
    empty: 'not measured (needs Linux /proc/<pid>/io of a server durabench spawns)',
  },
  {
    title: 'Fork / snapshot latency',
    columns: [
      col('fork_usec', 'fork / snapshot\nstart pause', 'ms', (x) => fmtNum(x / 1000)),
      bytes('cow_bytes', 'copy-on-write'),
      col('snapshot_max_latency_ms', 'max latency\nin snapshot'),
    ],
    hideEmptyRows: true,
    empty: 'no snapshot started during the write phase in any mode',
  },
  {
    title: 'Throughput & latency of acknowledged writes',
    columns: [
      col('throughput', 'throughput'),
      col('p50_ms', 'p50'),
      col('p99_ms', 'p99'),
      col('p999_ms', 'p99.9'),
      col('max_ms', 'max'),
      col('send_lag_p99_ms', 'send lag\np99'),
      col('service_p99_ms', 'p99 from\nsend'),
    ],
    splitTraced: true,
    empty: 'no throughput measurements',
  },
];

/**
 * The human report of a run: header, the durability matrix (when the run is about more than
 * a plain SIGKILL), mode flags, one table per concern (modes as rows), one table per fault
 * that reported figures of its own, failed trials, and the sanity verdicts.
 * Pure: result → string.
 */
export function renderTables(result: RunResult, opts: TableOptions = {}): string {
  const color = opts.color ?? false;
  const width = opts.width ?? 100;
  const rows = sortRows(result.trials.length > 0 ? summarize(result.trials) : result.summary);
  const targets = [...new Set(rows.map((r) => r.target))];
  const faults = [...new Set(rows.map((r) => r.fault))];
  const showTarget = targets.length > 1;
  const showFault = faults.length > 1;
  const context = `${targets.join(' vs ') || 'no target'} · ${faultContext(faults.length > 0 ? faults : result.scenario.faults)} · seed ${result.scenario.seed}`;

  const parts: string[] = [renderRunHeader(result, width)];
  if (wantsMatrix(result)) {
    const matrix = renderMatrix(result, { color, width });
    if (matrix) parts.push(matrix);
  }
  const flags = renderModeFlags(result.trials, width);
  if (flags) parts.push(flags);
  if (rows.length === 0) {
    parts.push('No trials in this result.');
  } else {
    const traced = result.trials.filter((t) => t.traced);
    for (const c of CONCERNS) {
      // room for " (continued)" when renderFitted splits the table
      const title = paint(wrap(`${c.title} — ${context}`, width - 12), 'bold', color);
      const split = c.splitTraced === true && traced.length > 0;
      const concernRows = split ? splitByTraced(result.trials) : rows;
      let text = renderConcern(c, concernRows, title, { showTarget, showFault, color, width });
      if (split) {
        const kinds = [...new Set(traced.map((t) => t.fault))].join(', ');
        const note = `* traced: throughput of traced trials (${kinds}) is not comparable with untraced ones.`;
        text += `\n${paint(wrap(note, width), 'dim', color)}`;
      }
      parts.push(text);
    }
    const faultTables = renderFaultTables(result, { color, width, context });
    if (faultTables) parts.push(faultTables);
  }
  const errors = renderTrialErrors(result.trials, color, width);
  if (errors) parts.push(errors);
  parts.push(renderSanity(result.sanity, color, width));
  return parts.join('\n\n') + '\n';
}

/** "fault sigkill", "faults sigkill, power-loss", or "9 faults" when the list would crowd the title. */
export function faultContext(faults: readonly string[]): string {
  if (faults.length <= 1) return `fault ${faults[0] ?? '?'}`;
  const list = `faults ${faults.join(', ')}`;
  return list.length <= 32 ? list : `${faults.length} faults`;
}

interface Layout {
  showTarget: boolean;
  showFault: boolean;
  color: boolean;
  width: number;
}

type Row = SummaryRow & { traced?: boolean };

/** Summary rows with traced and untraced trials of one group apart; traced rows flagged. */
function splitByTraced(trials: RunResult['trials']): Row[] {
  const plain: Row[] = summarize(trials.filter((t) => !t.traced));
  const traced: Row[] = summarize(trials.filter((t) => t.traced)).map((r) => ({ ...r, traced: true }));
  return sortRows([...plain, ...traced]);
}

function renderConcern(c: Concern, allRows: Row[], title: string, l: Layout): string {
  const specs = c.columns.filter((s) => {
    const measured = allRows.some((r) => r.metrics[s.metric] !== undefined);
    if (!measured) return false;
    if (c.optional?.includes(s.metric)) return allRows.some((r) => (r.metrics[s.metric]?.max ?? 0) !== 0);
    if (c.whenMeasured?.includes(s.metric)) return allRows.some((r) => r.metrics[s.metric] !== undefined);
    return true;
  });
  const rows = c.hideEmptyRows
    ? allRows.filter((r) => r.errors > 0 || specs.some((s) => r.metrics[s.metric] !== undefined))
    : allRows;
  if (specs.length === 0 || rows.length === 0) return `${title}\n  (${c.empty})`;

  const keys: Column[] = [
    {
      head: 'mode',
      align: 'left',
      cells: rows.map((r) => {
        const mode = r.traced ? `${r.mode} *` : r.mode;
        return r.errors > 0 ? `${mode}\n${paint(`${r.errors}/${r.trials} failed`, 'red', l.color)}` : mode;
      }),
    },
  ];
  if (l.showTarget) keys.push({ head: 'target', align: 'left', cells: rows.map((r) => r.target) });
  if (l.showFault) keys.push({ head: 'fault', align: 'left', cells: rows.map((r) => r.fault) });
  const values: Column[] = specs.map((s) => ({
    head: `${s.head}\n(${s.unit})`,
    align: 'right',
    cells: rows.map((r) => cell(r, r.metrics[s.metric], s.fmt)),
  }));
  return renderFitted(title, keys, values, { color: l.color, maxWidth: l.width });
}

function cell(row: SummaryRow, st: Stat | undefined, fmt: (x: number) => string): string {
  if (st === undefined) return row.errors === row.trials ? 'error' : '—';
  const med = fmt(st.median);
  const lo = fmt(st.min);
  const hi = fmt(st.max);
  // A range that rounds to one value says nothing the median did not.
  if (st.n <= 1 || lo === hi) return med;
  return `${med}\n${lo}–${hi}`;
}

function sortRows<R extends Row>(rows: readonly R[]): R[] {
  return [...rows].sort(
    (a, b) =>
      modeRank(a.mode) - modeRank(b.mode) ||
      targetRank(a.target) - targetRank(b.target) ||
      a.fault.localeCompare(b.fault) ||
      Number(a.traced ?? false) - Number(b.traced ?? false),
  );
}
