import type { RunResult } from '../../shared/result.js';
import { fmtDuration, fmtNum } from '../format.js';
import { barChart, lineChart, ticks, type AsciiOptions } from './ascii.js';
import { axes, perMode, runTimelines, type LabelledTimeline } from './series.js';

/** Timelines drawn in the terminal; the HTML report shows every one. */
const MAX_TERMINAL_TIMELINES = 4;

/** `run`'s terminal charts: loss per mode (bars per fault), then latency over time around the snapshot and the kill. */
export function renderRunCharts(run: RunResult, o: AsciiOptions): string {
  return [lossCharts(run, o), timelineCharts(run, o)].filter((s) => s !== '').join('\n\n') + '\n';
}

function lossCharts(run: RunResult, o: AsciiOptions): string {
  const loss = perMode(run, 'lossPct');
  if (loss.length === 0) return 'Loss per mode: no trial measured it';
  const { targets, modes, faults } = axes(run);
  const out: string[] = [];
  for (const target of targets) {
    const rows = loss.filter((v) => v.target === target);
    const tModes = modes.filter((m) => rows.some((v) => v.mode === m));
    const title = `Acknowledged writes lost, median % — ${target}${faults.length === 1 ? ` · ${faults[0]}` : ''}`;
    if (rows.every((v) => v.value === 0)) {
      out.push(`${title}: 0 in every mode (nothing to draw)`);
      continue;
    }
    const series = faults.map((f) => ({
      name: f,
      values: tModes.map((m) => rows.find((v) => v.mode === m && v.fault === f)?.value ?? null),
    }));
    out.push(barChart(title, tModes, series, (v) => `${fmtNum(v)}%`, o));
  }
  return out.join('\n\n');
}

function timelineCharts(run: RunResult, o: AsciiOptions): string {
  const { shown, omitted } = runTimelines(run, MAX_TERMINAL_TIMELINES);
  if (shown.length === 0) return 'Latency over time: not recorded in this result';
  const charts = shown.map((t) => timelineChart(t, o));
  if (omitted > 0) charts.push(`(${omitted} more timeline${omitted === 1 ? '' : 's'} in the HTML report: --html <file>)`);
  return charts.join('\n\n');
}

/** Worst latency per bucket (and p99 when colour tells the lines apart), the markers as vertical rules. */
export function timelineChart(t: LabelledTimeline, o: AsciiOptions): string {
  const { buckets, markers } = t.timeline;
  const pts = (pick: (b: (typeof buckets)[number]) => number | null) =>
    buckets.flatMap((b) => {
      const v = pick(b);
      return v === null ? [] : [[b.tMs, v] as [number, number]];
    });
  const series = [{ name: 'max', points: pts((b) => b.maxMs) }];
  if (o.color) series.push({ name: 'p99', points: pts((b) => b.p99Ms) });
  const last = buckets.length > 0 ? buckets[buckets.length - 1]!.tMs + t.timeline.bucketMs : 0;
  const end = Math.max(last, ...markers.map((m) => m.tMs));
  return lineChart(
    `Write latency over time, ms per ${t.timeline.bucketMs} ms bucket — ${t.label}`,
    series,
    { xTicks: ticks(0, end, 5), fmtX: (v) => fmtDuration(v), fmtY: (v) => fmtNum(v), height: 8, yFromZero: true },
    markers.map((m) => ({ x: m.tMs, label: m.label && m.label !== m.kind ? `${m.kind} (${m.label})` : m.kind })),
    o,
  );
}
