import type { SweepPoint, SweepResult } from '../../shared/sweep-result.js';
import { fmtKeys, sweepPoints } from '../charts/series.js';
import { chart, keysX, type ChartDef } from './chart-def.js';
import { timelineChart } from './timeline-chart.js';

interface Row {
  target: string;
  keys: number;
  series: string;
  value: number;
}

/** Each measured point's figures as rows: one per (point, series name) whose value is not null. */
function rows(s: SweepResult, pick: Record<string, (p: SweepPoint) => number | null>): Row[] {
  return sweepPoints(s).flatMap((p) =>
    Object.entries(pick).flatMap(([name, f]) => {
      const v = f(p);
      return v === null || !Number.isFinite(v) ? [] : [{ target: p.target, keys: p.keys, series: name, value: v }];
    }),
  );
}

/** A figure against dataset size: colour = target, dash and point shape = which figure. */
function sizeLines(id: string, title: string, caption: string, values: Row[], yTitle: string, yFormat?: string): ChartDef {
  const several = new Set(values.map((v) => v.series)).size > 1;
  return chart(
    id,
    title,
    caption,
    values,
    {
      width: 420,
      height: 220,
      mark: { type: 'line', point: { size: 50 }, tooltip: true },
      encoding: {
        x: keysX(values),
        y: { field: 'value', type: 'quantitative', title: yTitle, ...(yFormat ? { axis: { format: yFormat } } : {}) },
        color: { field: 'target', type: 'nominal', title: 'target' },
        ...(several
          ? { strokeDash: { field: 'series', type: 'nominal', title: null }, shape: { field: 'series', type: 'nominal', title: null } }
          : {}),
        detail: { field: 'series' },
      },
    },
    `${title}: not measured at any size.`,
  );
}

/** The charts of a sweep report: what a snapshot and a restart cost as the dataset grows. */
export function sweepCharts(s: SweepResult): ChartDef[] {
  const timelines = sweepPoints(s).filter((p) => p.timeline !== null && p.timeline.buckets.length > 0);
  return [
    sizeLines(
      'sweep-fork',
      'Snapshot start pause against dataset size',
      "latest_fork_usec after a BGSAVE: redis-server's fork() grows with the memory it must map; the built-in server's snapshot epoch should stay flat.",
      rows(s, { 'start pause': (p) => (p.forkUsec === null ? null : p.forkUsec / 1000) }),
      'ms',
    ),
    sizeLines(
      'sweep-snapshot',
      'Snapshot duration against dataset size',
      'BGSAVE start to rdb_bgsave_in_progress:0, under the steady write load.',
      rows(s, { snapshot: (p) => p.snapshotMs }),
      'ms',
    ),
    sizeLines(
      'sweep-cow',
      'Copy-on-write bytes against dataset size',
      'rdb_last_cow_size after a snapshot under the steady write load: the memory the snapshot cost for what changed while it ran.',
      rows(s, { cow: (p) => p.cowBytes }),
      'bytes',
      '~s',
    ),
    sizeLines(
      'sweep-load',
      'Load time from RDB and from AOF against dataset size',
      'Listening to ready (the dataset load alone) after a restart from the RDB file alone and from the AOF alone.',
      rows(s, { 'RDB load': (p) => p.rdbLoad.loadMs, 'AOF load': (p) => p.aofLoad.loadMs }),
      'ms',
    ),
    sizeLines(
      'sweep-recovery',
      'Recovery time (spawn → ready) against dataset size',
      'Spawn to the first answer that is not -LOADING: the load plus process start-up.',
      rows(s, { 'from RDB': (p) => p.rdbLoad.recoveryMs, 'from AOF': (p) => p.aofLoad.recoveryMs }),
      'ms',
    ),
    sizeLines(
      'sweep-disk',
      'Disk size against dataset size',
      'Bytes of the RDB file and of the AOF (all its parts) holding the dataset.',
      rows(s, { RDB: (p) => p.rdbBytes, AOF: (p) => p.aofBytes }),
      'bytes',
      '~s',
    ),
    sizeLines(
      'sweep-bytes-per-key',
      'Disk bytes per key against dataset size',
      `File bytes divided by keys (values are ${s.valueBytes} B, ${s.values}).`,
      rows(s, { 'RDB per key': (p) => perKey(p.rdbBytes, p.keys), 'AOF per key': (p) => perKey(p.aofBytes, p.keys) }),
      'bytes/key',
    ),
    sizeLines(
      'sweep-rss',
      'Resident memory per key against dataset size',
      'RSS after the dataset is loaded, divided by keys.',
      rows(s, { 'RSS per key': (p) => perKey(p.rssBytes, p.keys) }),
      'bytes/key',
    ),
    sizeLines(
      'sweep-latency',
      'Worst write latency: steady load alone and during a snapshot',
      `Client-seen max latency of a steady open-loop load of ${s.rate} writes/s, without a snapshot and while one runs.`,
      rows(s, { 'no snapshot': (p) => p.baseline.maxMs, 'during snapshot': (p) => p.duringSnapshot.maxMs }),
      'ms',
    ),
    sizeLines(
      'sweep-p99',
      'p99 and p99.9 write latency: steady load alone and during a snapshot',
      'The same load, its 99th and 99.9th percentiles.',
      rows(s, {
        'p99 no snapshot': (p) => p.baseline.p99Ms,
        'p99 during snapshot': (p) => p.duringSnapshot.p99Ms,
        'p99.9 no snapshot': (p) => p.baseline.p999Ms,
        'p99.9 during snapshot': (p) => p.duringSnapshot.p999Ms,
      }),
      'ms',
    ),
    ...timelines.map((p, i) =>
      timelineChart(`timeline-${i + 1}`, `Latency over time during a snapshot — ${p.target} · ${fmtKeys(p.keys)} keys`, p.timeline!),
    ),
  ];
}

function perKey(bytes: number | null, keys: number): number | null {
  return bytes === null || keys <= 0 ? null : bytes / keys;
}
