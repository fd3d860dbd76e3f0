import { describe, expect, it } from 'vitest';
import { renderCharts } from '../../../../src/report/charts/index.js';
import { stripAnsi } from '../../../../src/report/format.js';
import { claimsFixture, realRun, runWithTimelines, sweepFixture } from '../../../helpers/chart-fixtures.js';

const lines = (s: string) => stripAnsi(s).split('\n');
const widest = (s: string) => Math.max(...lines(s).map((l) => [...l].length));
/** the row of a horizontal bar chart that carries a label, and the bar drawn on it */
const barOf = (s: string, label: string) => {
  const row = lines(s).find((l) => new RegExp(`^\\s*${label.replace(/[+]/g, '\\+')}┤`).test(l));
  return row === undefined ? undefined : (row.split('┤')[1] ?? '').replace(/[^█]/g, '').length;
};

describe('renderCharts (terminal)', () => {
  it('run: loss per mode as bars in proportion to the loss, within 100 columns, no colour unless asked', () => {
    const out = renderCharts(realRun());
    expect(out).toContain('Acknowledged writes lost, median % — builtin · sigkill');
    // the real quick run: none and rdb lost everything, every AOF mode nothing
    const none = barOf(out, 'none')!;
    expect(none).toBeGreaterThan(50);
    expect(barOf(out, 'rdb')).toBe(none);
    for (const m of ['aof-always', 'aof-everysec', 'aof-no', 'rdb+aof']) expect(barOf(out, m)).toBe(0);
    expect(widest(out)).toBeLessThanOrEqual(100);
    expect(out).not.toMatch(/\x1b\[/);
    expect(out).toContain('Latency over time: not recorded in this result');
  });

  it('a half loss draws half a bar', () => {
    const r = realRun();
    r.trials = r.trials.map((t) => (t.mode === 'rdb' ? { ...t, lossPct: 50 } : t));
    const out = renderCharts(r);
    expect(barOf(out, 'rdb')! / barOf(out, 'none')!).toBeCloseTo(0.5, 1);
  });

  it('run: latency over time with the markers named, the stall reaching the top of the plot', () => {
    const out = renderCharts(runWithTimelines(), { width: 100 });
    expect(out).toContain('Write latency over time, ms per 10 ms bucket — builtin · rdb · sigkill · trial 0');
    expect(out).toMatch(/snapshot-start \(BGSAVE\) @ 600 ms · snapshot-end \(BGSAVE\) @ 780 ms · fault \(sigkill\) @ 1\.9\d s/);
    // 4 of the 6 timelines are drawn, the rest pointed to the HTML report
    expect(out).toContain('(2 more timelines in the HTML report: --html <file>)');
    expect(widest(out)).toBeLessThanOrEqual(100);
    // the rdb chart's top label is the 40 ms stall
    const rdb = out.split('builtin · rdb ·')[1]!;
    expect(rdb.split('\n').slice(1, 4).join('\n')).toMatch(/\b40┤/);
  });

  it('fits narrower terminals too', () => {
    for (const w of [60, 80]) {
      for (const r of [runWithTimelines(), sweepFixture(), claimsFixture()]) expect(widest(renderCharts(r, { width: w }))).toBeLessThanOrEqual(w);
    }
  });

  it('sweep: fork pause, load time and latency against size; redis grows, built-in stays flat', () => {
    const out = renderCharts(sweepFixture());
    expect(out).toContain('Snapshot start pause (latest_fork_usec), by keys in the dataset');
    expect(out).toContain('Load time (listening → ready) from the RDB and from the AOF');
    expect(out).toContain('Worst write latency under a steady load');
    const fork = out.split('Load time')[0]!;
    // without colour the series are told apart by their order in each group
    expect(fork).toContain('(in each row, top to bottom: builtin, redis)');
    const rows = lines(fork);
    const at = (label: string) => rows.findIndex((l) => new RegExp(`^\\s*${label}┤`).test(l));
    const bar = (i: number) => (rows[i]!.split(/[┤│]/)[1] ?? '').replace(/[^█]/g, '').length;
    // builtin on the label row, redis on the next: redis 100k < 1M < 4M, builtin ~0 throughout
    expect(bar(at('100k') + 1)).toBeLessThan(bar(at('1M') + 1));
    expect(bar(at('1M') + 1)).toBeLessThan(bar(at('4M') + 1));
    for (const k of ['100k', '1M', '4M']) expect(bar(at(k))).toBe(0);
    // the skipped 16M size is not a point
    expect(out).not.toContain('16M');
  });

  it('sweep with colour: a legend instead of the order note', () => {
    const out = renderCharts(sweepFixture(), { color: true });
    expect(out).toMatch(/\x1b\[3\dm█/);
    expect(stripAnsi(out)).toContain('█ builtin rdb');
    expect(out).not.toContain('top to bottom');
  });

  it('claims: the figures against size, units taken from their names', () => {
    const out = renderCharts(claimsFixture());
    expect(out).toContain('Forking for a snapshot pauses the server, longer as the dataset grows, by keys in the dataset');
    expect(out).toContain('RDB files load faster than AOF files, by keys in the dataset');
    expect(out).toMatch(/14\.2 ms/); // fork_usec 14200 → ms
    expect(out).not.toContain('AOF uses more disk'); // one size only: no curve
  });

  it('says so in one line when there is nothing to draw', () => {
    const s = sweepFixture();
    s.points = s.points.map((p) => ({ ...p, skipped: 'no memory' }));
    expect(renderCharts(s).trim()).toBe('Sweep charts: no size was measured');
    const c = claimsFixture();
    c.verdicts = c.verdicts.map((v) => ({ ...v, figures: {} }));
    expect(renderCharts(c).trim()).toBe('Claims charts: no claim has figures at several dataset sizes');
    const r = realRun();
    r.trials = r.trials.map((t) => ({ ...t, lossPct: 0 }));
    expect(renderCharts(r)).toContain('Acknowledged writes lost, median % — builtin · sigkill: 0 in every mode (nothing to draw)');
  });
});
