import Table from 'cli-table3';
import { METRICS } from '../shared/metrics.js';
import { paint } from './color.js';
import type { GateOutcome } from './gate-eval.js';

export interface GateTableOptions {
  color?: boolean;
}

/**
 * The gate outcomes as a table: one header row per gate, one row per check under it
 * (target:mode, and @fault below it when the run has several faults; value, threshold or the
 * reason it could not be judged). At most 100 columns.
 */
export function renderGateTable(outcomes: readonly GateOutcome[], opts: GateTableOptions = {}): string {
  const color = opts.color ?? false;
  if (outcomes.length === 0) return 'No gates evaluated.';
  const faults = new Set(outcomes.map((o) => o.fault).filter((f) => f !== null));
  const t = new Table({
    head: ['result', 'target:mode', 'value', 'condition'],
    colWidths: [8, 24, 14, 49], // + 5 borders = 100
    colAligns: ['left', 'left', 'right', 'left'],
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
  });
  for (const [gate, checks] of byGate(outcomes)) {
    const ok = checks.every((c) => c.pass);
    t.push([{ colSpan: 4, content: paint(`${ok ? '✓' : '✗'} ${gate}`, ok ? 'bold' : ['bold', 'red'], color) }]);
    for (const c of checks) {
      const where =
        c.target === null ? '—' : `${c.target}:${c.mode}${faults.size > 1 && c.fault ? `\n@${c.fault}` : ''}`;
      const verdict = c.pass ? paint('PASS', 'green', color) : paint('FAIL', ['red', 'bold'], color);
      const value = c.value === null ? '—' : withUnit(fmtGateNum(c.value), METRICS[c.metric].unit);
      let cond: string;
      if (c.reason !== null) {
        cond = c.threshold === null ? c.reason : `${c.op} ${fmtGateNum(c.threshold)}: ${c.reason}`;
      } else {
        const t = fmtGateNum(c.threshold!);
        cond = `${c.op} ${t}${c.thresholdFrom !== '' && c.thresholdFrom !== t ? ` (${c.thresholdFrom})` : ''}`;
      }
      t.push([verdict, where, value, cond]);
    }
  }
  return `${t.toString()}\n${gateSummaryLine(outcomes)}`;
}

/** One line for logs and CI summaries. */
export function gateSummaryLine(outcomes: readonly GateOutcome[]): string {
  const gates = byGate(outcomes);
  const failedChecks = outcomes.filter((o) => !o.pass);
  if (failedChecks.length === 0) {
    return `Gates: PASSED — ${outcomes.length}/${outcomes.length} checks of ${gates.size} gate${gates.size === 1 ? '' : 's'}.`;
  }
  const failedGates = [...gates.values()].filter((cs) => cs.some((c) => !c.pass)).length;
  return (
    `Gates: FAILED — ${failedChecks.length} of ${outcomes.length} checks failed ` +
    `in ${failedGates} of ${gates.size} gate${gates.size === 1 ? '' : 's'}.`
  );
}

export function byGate(outcomes: readonly GateOutcome[]): Map<string, GateOutcome[]> {
  const m = new Map<string, GateOutcome[]>();
  for (const o of outcomes) {
    const l = m.get(o.gate);
    if (l) l.push(o);
    else m.set(o.gate, [o]);
  }
  return m;
}

/** Six significant digits: enough to see why an == failed, short enough for a table. */
export function fmtGateNum(x: number): string {
  return String(Number(x.toPrecision(6)));
}

function withUnit(v: string, unit: string): string {
  return unit === '%' || unit === 'x' ? `${v}${unit}` : `${v} ${unit}`;
}
