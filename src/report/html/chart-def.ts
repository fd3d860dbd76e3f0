import type { TopLevelSpec } from 'vega-lite';

/**
 * One chart of the HTML report: its spec, or, when there is nothing to draw, the one line
 * shown instead of an empty frame.
 */
export interface ChartDef {
  /** stable id, also the figure's data-chart attribute (the browser test finds charts by it) */
  id: string;
  title: string;
  /** what the chart shows and how to read it, one or two sentences */
  caption: string;
  spec: TopLevelSpec | null;
  /** shown instead of the chart when spec is null */
  empty: string;
}

type Row = object;

export function chart(id: string, title: string, caption: string, values: Row[], spec: Record<string, unknown>, empty: string): ChartDef {
  return { id, title, caption, empty, spec: values.length === 0 ? null : ({ data: { values }, ...spec } as TopLevelSpec) };
}

/** Facets for the axes of a run that have several values: a column per target, a row per fault. */
export function facets(values: Row[], o: { column?: string; row?: string }): Record<string, unknown> {
  const many = (f: string) => new Set(values.map((v) => (v as Record<string, unknown>)[f])).size > 1;
  const enc: Record<string, unknown> = {};
  if (o.column && many(o.column)) enc.column = { field: o.column, type: 'nominal', title: null, sort: null };
  if (o.row && many(o.row)) enc.row = { field: o.row, type: 'nominal', title: null, sort: null };
  return enc;
}

/** x = dataset size in keys on a log axis, ticks at the sizes measured, labelled 100k / 1M. */
export function keysX(values: { keys: number }[]): Record<string, unknown> {
  const sizes = [...new Set(values.map((v) => v.keys))].sort((a, b) => a - b);
  return {
    field: 'keys',
    type: 'quantitative',
    title: 'keys in the dataset',
    scale: { type: 'log', nice: false, padding: 16 },
    axis: { values: sizes, labelExpr: "datum.value >= 1e6 ? format(datum.value / 1e6, '~g') + 'M' : datum.value >= 1e3 ? format(datum.value / 1e3, '~g') + 'k' : datum.value", grid: true },
  };
}

export interface BarOptions {
  x: Record<string, unknown>;
  y: Record<string, unknown>;
  /** the field bars are split and coloured by within an x band (fault, measure, target), if any */
  group?: { field: string; title: string | null; sort?: string[] };
  /** stack the groups instead of placing them side by side */
  stack?: boolean;
  /** d3 format of the value printed on each bar */
  label: string;
  column?: string;
  row?: string;
}

/**
 * Bars with their value printed on top (a 0 is then seen as 0, not as a missing bar), faceted
 * into a column per target and a row per fault when the data has several.
 */
export function bars(values: object[], o: BarOptions): Record<string, unknown> {
  const g = o.group;
  const color = g ? { field: g.field, type: 'nominal', title: g.title, ...(g.sort ? { sort: g.sort } : {}) } : { value: '#4c78a8' };
  const offset = g && !o.stack ? { xOffset: { field: g.field, ...(g.sort ? { sort: g.sort } : {}) } } : {};
  const y = { ...o.y, field: 'value', type: 'quantitative', ...(o.stack ? { stack: 'zero' } : {}) };
  const inner = {
    width: 380,
    height: 220,
    encoding: { x: o.x, y, ...offset },
    layer: [
      { mark: { type: 'bar', tooltip: true }, encoding: { color } },
      // stacked bars would print their labels on top of each other: only side-by-side ones get one
      ...(o.stack
        ? []
        : [{ mark: { type: 'text', dy: -5, fontSize: 9, color: '#333' }, encoding: { text: { field: 'value', type: 'quantitative', format: o.label } } }]),
    ],
  };
  const f = facets(values, { column: o.column, row: o.row });
  return Object.keys(f).length === 0 ? inner : { facet: f, spec: inner };
}
