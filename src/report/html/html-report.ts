import type { ClaimsResult } from '../../shared/claims.js';
import type { RunResult } from '../../shared/result.js';
import type { SweepResult } from '../../shared/sweep-result.js';
import type { ChartableResult } from '../charts/series.js';
import type { ChartDef } from './chart-def.js';
import { claimsCharts } from './claims-charts.js';
import { renderPage, type DrawnChart, type PageParts } from './page.js';
import { claimsTables, runTables, sweepTables } from './report-tables.js';
import { runCharts } from './run-charts.js';
import { sweepCharts } from './sweep-charts.js';
import { vegaLiteToSvg } from './vega-svg.js';

/**
 * A run, sweep or claims result as one self-contained HTML page: every table, and the charts
 * drawn to SVG by Vega-Lite now, in Node. Pure (result → string; async only because Vega's
 * renderer is). The CLI writes the file: src/cli/html-output.ts.
 */
export async function renderHtmlReport(result: ChartableResult): Promise<string> {
  const parts = partsOf(result);
  const charts = await Promise.all(parts.charts.map(draw));
  return renderPage({ ...parts, charts });
}

async function draw(c: ChartDef): Promise<DrawnChart> {
  return { id: c.id, title: c.title, caption: c.caption, empty: c.empty, svg: c.spec === null ? null : await vegaLiteToSvg(c.spec) };
}

function partsOf(r: ChartableResult): Omit<PageParts, 'charts'> & { charts: ChartDef[] } {
  switch (r.kind) {
    case 'run':
      return runParts(r);
    case 'sweep':
      return sweepParts(r);
    case 'claims':
      return claimsParts(r);
  }
}

const when = (iso: string) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : 'unknown time');

function runParts(r: RunResult): ReturnType<typeof partsOf> {
  const s = r.scenario;
  const targets = [...new Set(r.trials.map((t) => t.target))];
  return {
    title: `durabench run — ${s.name}`,
    facts: [
      `${r.trials.length} trials`,
      `targets: ${targets.join(', ') || 'none'}`,
      `faults: ${s.faults.join(', ')}`,
      `workload ${s.workload}, ${s.clients} clients, ${s.valueSize} B values`,
      `seed ${s.seed}`,
      `started ${when(r.startedAt)}`,
      `durabench ${r.tool.version}`,
    ],
    environment: r.environment,
    charts: runCharts(r),
    tables: runTables(r),
  };
}

function sweepParts(r: SweepResult): ReturnType<typeof partsOf> {
  return {
    title: 'durabench sweep — cost of snapshots and restarts as the dataset grows',
    facts: [
      `targets: ${r.targets.join(', ')}`,
      `sizes: ${r.sizes.join(', ')} keys`,
      `${r.valueBytes} B ${r.values} values`,
      `steady load ${r.rate} writes/s`,
      `seed ${r.seed}`,
      `started ${when(r.startedAt)}`,
      `durabench ${r.tool.version}`,
    ],
    environment: r.environment,
    charts: sweepCharts(r),
    tables: sweepTables(r),
  };
}

function claimsParts(r: ClaimsResult): ReturnType<typeof partsOf> {
  const count = (v: string) => r.verdicts.filter((x) => x.verdict === v).length;
  return {
    title: 'durabench claims — the Redis persistence docs, checked on this machine',
    facts: [
      `${r.claims.length} claims`,
      `targets: ${[...new Set(r.verdicts.map((v) => v.target))].join(', ')}`,
      `${count('held')} held, ${count('did not hold')} did not hold, ${count('not measured')} not measured`,
      `started ${when(r.startedAt)}`,
      `durabench ${r.tool.version}`,
    ],
    environment: r.environment,
    charts: claimsCharts(r),
    tables: claimsTables(r),
  };
}
