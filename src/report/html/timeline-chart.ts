import type { Timeline } from '../../shared/timeline.js';
import type { ChartDef } from './chart-def.js';

const MARKER_COLORS = {
  'snapshot-start': '#e45756',
  'snapshot-end': '#f58518',
  'rewrite-start': '#b279a2',
  'rewrite-end': '#9d755d',
  fault: '#000000',
};

/**
 * p99 and worst write latency per bucket over the write phase, with a vertical rule at each
 * marker (snapshot and rewrite start/end, the fault): a stall shows as a spike at a rule.
 */
export function timelineChart(id: string, title: string, t: Timeline): ChartDef {
  const lat = t.buckets.flatMap((b) => [
    ...(b.p99Ms === null ? [] : [{ tMs: b.tMs, stat: 'p99', ms: b.p99Ms }]),
    ...(b.maxMs === null ? [] : [{ tMs: b.tMs, stat: 'max', ms: b.maxMs }]),
  ]);
  const marks = t.markers.map((m) => ({ tMs: m.tMs, kind: m.kind, label: m.label && m.label !== m.kind ? `${m.kind}: ${m.label}` : m.kind }));
  const caption = `p99 and worst latency of the writes completed in each ${t.bucketMs} ms bucket; vertical rules mark snapshot and rewrite start and end, and the fault.`;
  if (lat.length === 0) return { id, title, caption, spec: null, empty: `${title}: no write completed in any bucket.` };
  const x = { field: 'tMs', type: 'quantitative', title: 'ms since the writes began' };
  // the legend lists the kinds this timeline has, in a fixed order and colour
  const kinds = (Object.keys(MARKER_COLORS) as (keyof typeof MARKER_COLORS)[]).filter((k) => marks.some((m) => m.kind === k));
  return {
    id,
    title,
    caption,
    empty: '',
    spec: {
      width: 640,
      height: 200,
      layer: [
        {
          data: { values: lat },
          mark: { type: 'line', strokeWidth: 1.2, interpolate: 'step-after' },
          encoding: {
            x,
            y: { field: 'ms', type: 'quantitative', title: 'latency, ms' },
            color: { field: 'stat', type: 'nominal', title: 'latency', scale: { domain: ['p99', 'max'], range: ['#4c78a8', '#9ecae9'] } },
          },
        },
        ...(marks.length > 0
          ? [
              {
                data: { values: marks },
                mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
                encoding: {
                  x,
                  stroke: { field: 'kind', type: 'nominal', title: 'marker', scale: { domain: kinds, range: kinds.map((k) => MARKER_COLORS[k]) } },
                },
              },
              {
                data: { values: marks },
                mark: { type: 'text', angle: 270, align: 'right', baseline: 'bottom', dx: -4, dy: -2, y: 0, fontSize: 10 },
                encoding: { x, text: { field: 'label' } },
              },
            ]
          : []),
      ],
      resolve: { scale: { color: 'independent' } },
    } as unknown as ChartDef['spec'],
  };
}
