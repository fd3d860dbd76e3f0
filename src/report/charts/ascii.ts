import { plot, type Color, type Settings } from 'simple-ascii-chart';
import { stripAnsi } from '../format.js';

/**
 * Thin wrappers over simple-ascii-chart (horizontal bars, lines with vertical markers) that
 * fit a width: the library sizes the plot area, not the whole chart, so a chart that comes
 * out too wide (long axis labels) is drawn again narrower by the overflow.
 */

export interface AsciiOptions {
  /** whole chart, axis labels included */
  width: number;
  color: boolean;
}

const PALETTE: Color[] = ['ansiCyan', 'ansiYellow', 'ansiMagenta', 'ansiGreen', 'ansiBlue', 'ansiRed'];

function widest(text: string): number {
  return Math.max(0, ...stripAnsi(text).split('\n').map((l) => [...l].length));
}

/** Draws at the widest plot area that keeps every line within `width`. */
function fitted(title: string, draw: (plotWidth: number) => string, width: number): string {
  let plotWidth = Math.max(10, width - 16);
  let out = draw(plotWidth);
  for (let i = 0; i < 4 && widest(out) > width && plotWidth > 10; i++) {
    plotWidth = Math.max(10, plotWidth - (widest(out) - width));
    out = draw(plotWidth);
  }
  // the library pads every row to the full width with spaces: trailing blanks are noise
  const body = out
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
  // the title is ours, not the library's: a long one must not narrow the plot
  return `${wrapTo(title, width)}\n${body}`;
}

export interface BarSeries {
  name: string;
  /** one value per group (null: not measured, no bar) */
  values: (number | null)[];
}

/**
 * Horizontal bars, one row of bars per group (a mode), one bar per series (a fault) in the
 * same order in every group; series told apart by colour and by that order.
 */
export function barChart(
  title: string,
  groups: string[],
  series: BarSeries[],
  fmt: (v: number) => string,
  o: AsciiOptions,
): string {
  const per = series.length + (series.length > 1 ? 1 : 0);
  // the library draws y upwards: the first group goes on top; one row per unit of y
  // (height = span + 1), or rows would merge and a group lose its label
  const yOf = (g: number, s: number) => (groups.length - 1 - g) * per + (series.length - 1 - s) + 1;
  const span = groups.length * per + 1;
  const coords = series.map((s, si) =>
    s.values.flatMap((v, gi) => (v === null ? [] : [[v, yOf(gi, si)] as [number, number]])),
  );
  const labelAt = new Map(groups.map((g, gi) => [yOf(gi, 0), g]));
  const top = Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const xMax = top > 0 ? top : 1;
  const settings = (plotWidth: number): Settings => ({
    mode: 'horizontalBar',
    width: plotWidth,
    height: span + 1,
    yRange: [0, span],
    customYAxisTicks: [...labelAt.keys()],
    customXAxisTicks: [0, xMax / 2, xMax],
    formatter: (v, { axis }) => (axis === 'y' ? (labelAt.get(Math.round(v)) ?? '') : fmt(v)),
    ...(o.color ? { color: series.map((_, i) => PALETTE[i % PALETTE.length]!) } : {}),
    // a legend of uncoloured blocks tells nothing: without colour the order note below does
    ...(series.length > 1 && o.color ? { legend: { position: 'bottom' as const, series: series.map((s) => s.name) } } : {}),
  });
  // a point below the plot on every series: bars start at 0 on the axis, not at the smallest
  // value, and an empty series still keeps its colour and legend entry in step
  const drawn = coords.map((c) => [[0, -1] as [number, number], ...c]);
  const out = fitted(title, (w) => plot(drawn, settings(w)), o.width);
  const order = series.length > 1 && !o.color ? '\n' + wrapTo(`(in each row, top to bottom: ${series.map((s) => s.name).join(', ')})`, o.width) : '';
  return out + order;
}

export interface LineSeries {
  name: string;
  points: [number, number][];
}

export interface Marker {
  x: number;
  label: string;
}

/**
 * Lines against x with vertical markers. Without colour, several series on one plot could
 * not be told apart: each gets its own smaller plot instead.
 */
export function lineChart(
  title: string,
  series: LineSeries[],
  axis: { xTicks?: number[]; fmtX: (v: number) => string; fmtY: (v: number) => string; height?: number; yFromZero?: boolean },
  markers: Marker[],
  o: AsciiOptions,
): string {
  const live = series.filter((s) => s.points.length > 0);
  if (!o.color && live.length > 1) {
    return live
      .map((s) => lineChart(`${title} — ${s.name}`, [s], { ...axis, height: Math.max(4, (axis.height ?? 8) - 3) }, markers, o))
      .join('\n\n');
  }
  const top = Math.max(0, ...live.flatMap((s) => s.points.map((p) => p[1])));
  const settings = (plotWidth: number): Settings => ({
    width: plotWidth,
    height: axis.height ?? 8,
    // from zero: a spike reads as a spike, not as noise magnified to fill the plot
    ...(axis.yFromZero && top > 0 ? { yRange: [0, top] as [number, number] } : {}),
    ...(axis.xTicks ? { customXAxisTicks: axis.xTicks } : {}),
    formatter: (v, { axis: a }) => (a === 'x' ? axis.fmtX(v) : axis.fmtY(v)),
    ...(markers.length > 0 ? { thresholds: markers.map((m) => ({ x: m.x, ...(o.color ? { color: 'ansiRed' as const } : {}) })) } : {}),
    ...(o.color && live.length > 1 ? { color: live.map((_, i) => PALETTE[i % PALETTE.length]!) } : {}),
    ...(live.length > 1 ? { legend: { position: 'bottom' as const, series: live.map((s) => s.name) } } : {}),
  });
  const out = fitted(title, (w) => plot(live.map((s) => s.points), settings(w)), o.width);
  // marker names under the plot, in time order (the library's legend would repeat the glyph only)
  const notes = markers.length > 0 ? '\n' + `┃ ${markers.map((m) => `${m.label} @ ${axis.fmtX(m.x)}`).join(' · ')}` : '';
  return out + wrapTo(notes, o.width);
}

function wrapTo(text: string, width: number): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let rest = line;
    while ([...rest].length > width) {
      const dot = rest.lastIndexOf(' · ', width - 1);
      const space = rest.lastIndexOf(' ', width);
      const at = dot > 2 ? dot : space > 2 ? space : width;
      out.push(rest.slice(0, at));
      rest = '  ' + rest.slice(at).replace(/^ · | /, '');
    }
    out.push(rest);
  }
  return out.join('\n');
}

/** About `n` round ticks from lo to hi (both included). */
export function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let x = Math.ceil(lo / step) * step; x <= hi + 1e-9; x += step) out.push(Number(x.toPrecision(12)));
  return out;
}
