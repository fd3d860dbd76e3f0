/**
 * `durabench claims` as a terminal table, pure (result → string): per claim, its text, then
 * one row per target with the verdict and the figures that decided it, and the rule below,
 * so a reader can disagree with the threshold, not with the data.
 */
import Table from 'cli-table3';
import type { ClaimsResult, Verdict } from '../shared/claims.js';
import { paint, type Paint } from './color.js';

const STYLE: Record<Verdict, Paint[]> = { held: ['green'], 'did not hold': ['red', 'bold'], 'not measured': ['yellow'] };

export function renderClaimsTable(r: ClaimsResult, opts: { color?: boolean; width?: number } = {}): string {
  const color = opts.color ?? false;
  const width = Math.max(80, opts.width ?? 100);
  const targets = [...new Set(r.verdicts.map((v) => v.target))];
  const e = r.environment;
  const head = [
    `durabench ${r.tool.version} claims — the Redis persistence documentation, checked on this machine`,
    `targets: ${targets.map((t) => `${t} (${e.targetVersions[t] ?? '?'})`).join(', ')} · ${e.cores} × ${e.cpu}`,
    `from: ${r.sources.join(', ') || '—'}`,
  ];
  const t = new Table({
    head: ['claim', 'target', 'verdict', 'figures (rule below)'],
    colWidths: [26, 9, 14, width - 26 - 9 - 14 - 5],
    wordWrap: true,
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
  });
  r.claims.forEach((c, i) => {
    const vs = r.verdicts.filter((v) => v.id === c.id);
    vs.forEach((v, k) => {
      const first = k === 0;
      const last = k === vs.length - 1;
      t.push([
        first ? `${i + 1}. ${c.text}` : '',
        v.target,
        paint(v.verdict, STYLE[v.verdict], color),
        last ? `${v.evidence}\nrule — ${v.rule}` : v.evidence,
      ]);
    });
  });
  const counts = (['held', 'did not hold', 'not measured'] as const).map((k) => `${r.verdicts.filter((v) => v.verdict === k).length} ${k}`).join(', ');
  return `${head.join('\n')}\n${t.toString()}\n${counts}\n`;
}
