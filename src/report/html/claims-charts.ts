import type { ClaimsResult } from '../../shared/claims.js';
import { VERDICTS } from '../../shared/claims.js';
import { claimSizeSeries } from '../charts/series.js';
import { chart, keysX, type ChartDef } from './chart-def.js';

const VERDICT_COLORS = ['#59a14f', '#e15759', '#bab0ac'];

/** The claims report's charts: the verdict of every claim on every target, then the curves verdicts were decided on. */
export function claimsCharts(c: ClaimsResult): ChartDef[] {
  const order = c.claims.map((x, i) => `${i + 1}. ${x.text}`);
  const textOf = new Map(c.claims.map((x, i) => [x.id, order[i]!]));
  const grid = c.verdicts.map((v) => ({ claim: textOf.get(v.id) ?? v.id, target: v.target, verdict: v.verdict, rule: v.rule, evidence: v.evidence }));
  const curves = claimSizeSeries(c).map(({ id, points }) =>
    chart(
      `claim-${id}`,
      textOf.get(id as never) ?? id,
      'The figures this verdict was decided on, against dataset size (names as in the JSON result).',
      points,
      {
        width: 420,
        height: 200,
        mark: { type: 'line', point: { size: 50 }, tooltip: true },
        encoding: {
          x: keysX(points),
          y: { field: 'value', type: 'quantitative', title: null, axis: { format: '~s' } },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
      '',
    ),
  );
  return [
    chart(
      'verdicts',
      'The claims of the Redis persistence documentation, checked on this machine',
      'Each cell is a verdict: held, did not hold, or not measured; the table below gives the rule and the figures behind it.',
      grid,
      {
        width: { step: 150 },
        height: { step: 26 },
        layer: [
          {
            mark: { type: 'rect', stroke: 'white', strokeWidth: 2, tooltip: true },
            encoding: {
              color: { field: 'verdict', type: 'nominal', title: 'verdict', scale: { domain: [...VERDICTS], range: VERDICT_COLORS } },
            },
          },
          { mark: { type: 'text', fontSize: 11, color: 'white' }, encoding: { text: { field: 'verdict' } } },
        ],
        encoding: {
          x: { field: 'target', type: 'nominal', title: null, axis: { orient: 'top', labelAngle: 0 } },
          y: { field: 'claim', type: 'nominal', title: null, sort: order, axis: { labelLimit: 900 } },
        },
      },
      'Claims: no verdict in this result.',
    ),
    ...curves,
  ];
}
