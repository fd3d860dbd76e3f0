import type { ClaimsResult } from '../../shared/claims.js';
import type { RunResult } from '../../shared/result.js';
import type { SweepResult } from '../../shared/sweep-result.js';
import { fmtKeys } from '../charts/series.js';
import { fmtBytes, fmtDuration, fmtNum } from '../format.js';
import { renderTables } from '../table.js';
import { esc, htmlTable, type Cell } from './html-table.js';

/**
 * The tables of each report. A run's are the terminal's own (renderTables, no colour) in a
 * <pre>: the same text a terminal shows, so the two never disagree. Sweep and claims results
 * get HTML tables of every figure.
 */
export function runTables(r: RunResult): string {
  return `<pre class="tables">${esc(renderTables(r, { color: false, width: 120 }))}</pre>`;
}

const n = (x: number | null, f: (v: number) => string = fmtNum): Cell => ({ text: x === null ? '—' : f(x), num: true });
const ms = (x: number | null) => n(x, fmtDuration);
const b = (x: number | null) => n(x, fmtBytes);

export function sweepTables(s: SweepResult): string {
  const pts = [...s.points].sort((a, b2) => a.target.localeCompare(b2.target) || a.keys - b2.keys);
  const measured = pts.filter((p) => p.skipped === null);
  const skipped = pts.filter((p) => p.skipped !== null);
  const perKey = (x: number | null, keys: number) => n(x === null ? null : x / keys, (v) => `${fmtNum(v)} B`);
  const main = htmlTable(
    `Snapshot, disk and restart at each size (${s.valueBytes} B ${s.values} values; steady load ${fmtNum(s.rate)} writes/s)`,
    ['target', 'keys', 'start pause', 'snapshot', 'COW', 'RDB', 'AOF', 'RDB/key', 'AOF/key', 'RDB load', 'AOF load', 'RDB recovery', 'AOF recovery', 'RSS', 'RSS/key'],
    measured.map((p) => [
      p.target,
      { text: fmtKeys(p.keys), num: true },
      n(p.forkUsec === null ? null : p.forkUsec / 1000, fmtDuration),
      ms(p.snapshotMs),
      b(p.cowBytes),
      b(p.rdbBytes),
      b(p.aofBytes),
      perKey(p.rdbBytes, p.keys),
      perKey(p.aofBytes, p.keys),
      ms(p.rdbLoad.loadMs),
      ms(p.aofLoad.loadMs),
      ms(p.rdbLoad.recoveryMs),
      ms(p.aofLoad.recoveryMs),
      b(p.rssBytes),
      perKey(p.rssBytes, p.keys),
    ]),
  );
  const latency = htmlTable(
    'Client-seen write latency of the steady load, without a snapshot and during one',
    ['target', 'keys', 'p99', 'p99.9', 'max', 'p99 (snapshot)', 'p99.9 (snapshot)', 'max (snapshot)'],
    measured.map((p) => [
      p.target,
      { text: fmtKeys(p.keys), num: true },
      ms(p.baseline.p99Ms),
      ms(p.baseline.p999Ms),
      ms(p.baseline.maxMs),
      ms(p.duringSnapshot.p99Ms),
      ms(p.duringSnapshot.p999Ms),
      ms(p.duringSnapshot.maxMs),
    ]),
  );
  const skip =
    skipped.length === 0
      ? ''
      : htmlTable('Sizes skipped', ['target', 'keys', 'why'], skipped.map((p) => [p.target, { text: fmtKeys(p.keys), num: true }, p.skipped!]));
  return [main, latency, skip].filter(Boolean).join('\n');
}

export function claimsTables(c: ClaimsResult): string {
  const order = new Map(c.claims.map((x, i) => [x.id, i]));
  const text = new Map(c.claims.map((x) => [x.id, x.text]));
  const verdicts = [...c.verdicts].sort((a, b2) => (order.get(a.id) ?? 99) - (order.get(b2.id) ?? 99) || a.target.localeCompare(b2.target));
  const table = htmlTable(
    'Verdicts, with the rule that decided each and the figures it was applied to',
    ['#', 'claim', 'target', 'verdict', 'rule', 'figures'],
    verdicts.map((v) => [
      { text: String((order.get(v.id) ?? -1) + 1), num: true },
      text.get(v.id) ?? v.id,
      v.target,
      { text: v.verdict, cls: `verdict ${v.verdict.replace(/ /g, '-')}` },
      v.rule,
      v.evidence,
    ]),
  );
  const sources = `<p class="sources">Figures from: ${c.sources.map((s) => `<code>${esc(s)}</code>`).join(', ') || 'nothing recorded'}</p>`;
  return table + '\n' + sources;
}
