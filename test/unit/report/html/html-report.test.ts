import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../../src/report/html/html-report.js';
import { claimsFixture, realRun, runWithTimelines, sweepFixture } from '../../../helpers/chart-fixtures.js';

/** data-chart id → the figure's SVG */
function figures(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<figure class="chart" data-chart="([^"]+)">([\s\S]*?)<\/figure>/g)) out.set(m[1]!, m[2]!);
  return out;
}

/** Nothing the page could fetch: no src/href to a URL, no @import, no url() but data: */
function expectSelfContained(html: string) {
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["'](?!#|data:)/i);
  expect(html).not.toMatch(/@import|url\((?!["']?data:)/i);
  expect(html).not.toMatch(/<script/i);
  // the only URLs are SVG namespace names (identifiers, never fetched)
  const urls = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
  expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
}

describe('renderHtmlReport', () => {
  it('run: a chart per concern with data marks, the tables, and one line for what was not recorded', async () => {
    const html = await renderHtmlReport(realRun());
    const figs = figures(html);
    expect([...figs.keys()]).toEqual(['loss', 'recovery', 'disk', 'fork', 'throughput']);
    for (const [id, svg] of figs) expect(svg, id).toMatch(/<svg[^>]*class="marks"/);
    // six modes → six loss bars (a 0 is a bar of height 0 with its label "0")
    const loss = figs.get('loss')!;
    expect(loss.match(/role-mark[^"]*"[^>]*>[\s\S]*?<\/g>/)![0].match(/<path/g)).toHaveLength(6);
    expect(html).toContain('Latency over time: not recorded in this result');
    expect(html).toContain('Loss of acknowledged writes — builtin · fault sigkill · seed 7');
    expectSelfContained(html);
  });

  it('run with timelines: a latency chart per group, marker rules and labels', async () => {
    const html = await renderHtmlReport(runWithTimelines());
    const figs = figures(html);
    expect([...figs.keys()].filter((k) => k.startsWith('timeline-'))).toHaveLength(6);
    const rdb = [...figs.values()].find((s) => s.includes('builtin · rdb · sigkill'))!;
    expect(rdb).toContain('snapshot-start: BGSAVE');
    expect(rdb).toContain('fault: sigkill');
    expect(rdb).toMatch(/mark-rule/);
  });

  it('sweep: every figure against size, skipped sizes in their own table', async () => {
    const html = await renderHtmlReport(sweepFixture());
    const figs = figures(html);
    for (const id of ['sweep-fork', 'sweep-snapshot', 'sweep-cow', 'sweep-load', 'sweep-recovery', 'sweep-disk', 'sweep-bytes-per-key', 'sweep-rss', 'sweep-latency', 'sweep-p99']) {
      expect(figs.get(id), id).toMatch(/mark-line/);
    }
    expect(html).toContain('Sizes skipped');
    expect(html).toContain('needs ~6.1 GB, 4.2 GB free');
    expectSelfContained(html);
  });

  it('claims: the verdict grid, the curves, the table with rules and figures', async () => {
    const html = await renderHtmlReport(claimsFixture());
    const figs = figures(html);
    expect([...figs.keys()]).toEqual(['verdicts', 'claim-fork-pause-grows', 'claim-rdb-loads-faster']);
    // 9 claims × 2 targets
    expect(figs.get('verdicts')!.match(/mark-rect role-mark[\s\S]*?<\/g>/)![0].match(/<path/g)).toHaveLength(18);
    expect(html).toMatch(/<td class="verdict did-not-hold">did not hold<\/td>/);
    expect(html).toContain('RDB load ≤ 0.8 × AOF load at every size');
    expectSelfContained(html);
  });

  it('escapes text from the result', async () => {
    const c = claimsFixture();
    c.verdicts[0]!.evidence = '<script>alert(1)</script> & more';
    const html = await renderHtmlReport(c);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(html).not.toContain('<script>alert');
  });

  it('a chart with no data is one line, not an empty frame', async () => {
    const s = sweepFixture();
    s.points = s.points.map((p) => ({ ...p, cowBytes: null }));
    const html = await renderHtmlReport(s);
    expect(figures(html).has('sweep-cow')).toBe(false);
    expect(html).toContain('<p class="no-data" data-empty="sweep-cow">Copy-on-write bytes against dataset size: not measured at any size.</p>');
  });
});
