import { renderClaimsCharts } from './terminal-claims.js';
import { renderRunCharts } from './terminal-run.js';
import { renderSweepCharts } from './terminal-sweep.js';
import type { ChartableResult } from './series.js';

export interface ChartOptions {
  /** widest line, axis labels and legends included; 100 by default */
  width?: number;
  /** ANSI colour (the CLI decides); without it several lines are drawn as separate plots */
  color?: boolean;
}

/**
 * Terminal charts for any result, drawn under its tables: `run` (loss per mode and fault,
 * latency over time), `sweep` and `claims` (figures against dataset size). Pure: result →
 * string. Whether to show them at all (--no-charts, a TTY, CI) is the CLI's call: see
 * `wantCharts` in src/cli/charts-flag.ts.
 */
export function renderCharts(result: ChartableResult, opts: ChartOptions = {}): string {
  const o = { width: Math.max(40, opts.width ?? 100), color: opts.color ?? false };
  switch (result.kind) {
    case 'run':
      return renderRunCharts(result, o);
    case 'sweep':
      return renderSweepCharts(result, o);
    case 'claims':
      return renderClaimsCharts(result, o);
  }
}

export type { ChartableResult } from './series.js';
