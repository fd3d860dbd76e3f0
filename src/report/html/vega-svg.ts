import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite spec drawn to an SVG string in Node, at report time: compiled by vega-lite,
 * run by a headless vega View (no renderer, no DOM, no canvas), serialized by toSVG(). The
 * page gets finished SVG, so it needs no script and no network to show it.
 */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  // a loader that refuses: every datum is inline, and a spec must never reach out
  const view = new View(parse(vg), { renderer: 'none', loader: NO_LOADER } as ConstructorParameters<typeof View>[1]);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const refuse = () => Promise.reject(new Error('the HTML report loads nothing: data must be inline'));
const NO_LOADER = { load: refuse, sanitize: refuse, http: refuse, file: refuse };

/** Fonts the reader's machine has (nothing downloaded), quiet axes, room for long mode names. */
const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif',
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 11, gridColor: '#eee', labelLimit: 160 },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 220 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 13, anchor: 'start' as const },
  range: { category: { scheme: 'tableau10' } },
};
