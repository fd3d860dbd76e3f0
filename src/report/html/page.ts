import type { Environment } from '../../shared/result.js';
import { fmtBytes } from '../format.js';
import { esc } from './html-table.js';

/** A drawn chart, or the one line that replaces it. */
export interface DrawnChart {
  id: string;
  title: string;
  caption: string;
  svg: string | null;
  empty: string;
}

export interface PageParts {
  title: string;
  /** facts under the title: what ran, where, when */
  facts: string[];
  environment: Environment;
  charts: DrawnChart[];
  tables: string;
}

/**
 * The whole report as one HTML file: inline CSS, inline SVG, no script, no font or image
 * to fetch, so it opens the same offline, from a mail attachment or a CI artifact.
 */
export function renderPage(p: PageParts): string {
  const env = p.environment;
  const versions = Object.entries(env.targetVersions)
    .map(([t, v]) => `${t} ${v}`)
    .join(', ');
  const figures = p.charts.map((c) =>
    c.svg === null
      ? `<p class="no-data" data-empty="${esc(c.id)}">${esc(c.empty)}</p>`
      : `<figure class="chart" data-chart="${esc(c.id)}">\n<figcaption><strong>${esc(c.title)}</strong><br><span>${esc(c.caption)}</span></figcaption>\n${c.svg}\n</figure>`,
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(p.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(p.title)}</h1>
<ul class="facts">${p.facts.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>
<p class="env">${esc(`${env.os} · ${env.cpu} · ${env.cores} cores · ${fmtBytes(env.memoryBytes)} RAM · Node ${env.node}${versions ? ` · ${versions}` : ''}`)}</p>
</header>
<main>
<section id="charts">
<h2>Charts</h2>
<div class="grid">
${figures.join('\n')}
</div>
</section>
<section id="tables">
<h2>Tables</h2>
${p.tables}
</section>
</main>
<footer>Written by durabench; charts drawn with Vega-Lite at report time. This file needs no network.</footer>
</body>
</html>
`;
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0; color: #222; background: #fafafa; }
header, main, footer { max-width: 1400px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.facts { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.env { color: #666; margin: 6px 0 0; font-size: 12px; }
.grid { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
figure.chart { margin: 0; background: white; border: 1px solid #e2e2e2; border-radius: 6px; padding: 10px 12px; max-width: 100%; overflow-x: auto; }
figcaption { max-width: 660px; margin-bottom: 6px; }
figcaption span { color: #555; font-size: 12px; }
.no-data { flex-basis: 100%; margin: 0; color: #777; font-style: italic; }
pre.tables { background: white; border: 1px solid #e2e2e2; border-radius: 6px; padding: 12px; overflow-x: auto; font: 12px/1.35 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
table { border-collapse: collapse; background: white; margin: 0 0 20px; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #e2e2e2; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.verdict { font-weight: 600; white-space: nowrap; }
td.held { color: #2e7d32; }
td.did-not-hold { color: #c62828; }
td.not-measured { color: #777; }
.sources { color: #555; font-size: 12px; }
footer { color: #888; font-size: 12px; padding: 24px; }
`;
