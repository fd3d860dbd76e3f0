// Renders compare rows (compare.ts) as a table plus a one-line summary; kept apart so the
// verdict logic stays free of cli-table3 and colour.
import Table from 'cli-table3';
import { paint } from './color.js';
import type { CompareRow, Verdict } from './compare.js';
import { fmtWithUnit } from './format.js';

export interface RenderCompareOptions {
  color?: boolean;
  /** show unchanged rows too (default: only regressions, improvements and missing) */
  all?: boolean;
  thresholdPct?: number;
}

/** Table of the rows that changed (or all), grouped by target:mode, plus a summary line. */
export function renderCompare(rows: readonly CompareRow[], opts: RenderCompareOptions = {}): string {
  const color = opts.color ?? false;
  const shown = opts.all ? rows : rows.filter((r) => r.verdict !== 'same');
  const parts: string[] = [];
  if (shown.length > 0) {
    const micro = shown.some((r) => r.kind === 'micro');
    const t = new Table({
      head: [micro ? 'benchmark' : 'metric', 'baseline', 'current', 'change', 'verdict'],
      colAligns: ['left', 'right', 'right', 'right', 'left'],
      style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    });
    let group = '';
    for (const r of shown) {
      if (r.group !== group) {
        group = r.group;
        t.push([{ colSpan: 5, content: paint(r.kind === 'micro' ? 'micro-benchmarks (ops/s, higher is better)' : r.group, 'bold', color) }]);
      }
      t.push([
        truncate(r.metric, 40),
        r.baseline === null ? '—' : fmtWithUnit(r.baseline, r.unit),
        r.current === null ? '—' : fmtWithUnit(r.current, r.unit),
        r.changePct === null ? (r.verdict === 'missing' ? '' : 'from 0') : signedPct(r.changePct),
        verdictCell(r, color),
      ]);
    }
    parts.push(t.toString());
  } else {
    parts.push('No metric moved beyond the threshold.');
  }
  parts.push(compareSummaryLine(rows, opts.thresholdPct));
  return parts.join('\n') + '\n';
}

export function compareSummaryLine(rows: readonly CompareRow[], thresholdPct?: number): string {
  const n = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
  const th = thresholdPct === undefined ? '' : ` (threshold ±${thresholdPct}%)`;
  const head = n('regression') > 0 ? 'Compare: REGRESSION —' : 'Compare: OK —';
  return `${head} ${n('regression')} regressed, ${n('improvement')} improved, ${n('same')} unchanged, ` +
    `${n('missing')} missing${th}.`;
}

function verdictCell(r: CompareRow, color: boolean): string {
  switch (r.verdict) {
    case 'regression':
      return paint('REGRESSION', ['red', 'bold'], color);
    case 'improvement':
      return paint('improved', 'green', color);
    case 'same':
      return 'same';
    case 'missing':
      return paint(`missing: ${r.note ?? ''}`.slice(0, 34), 'yellow', color);
  }
}

function signedPct(p: number): string {
  const s = Math.abs(p) >= 100 ? p.toFixed(0) : Math.abs(p) >= 10 ? p.toFixed(1) : p.toFixed(2);
  return `${p > 0 ? '+' : ''}${s}%`;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
