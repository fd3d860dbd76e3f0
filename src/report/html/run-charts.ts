import type { RunResult, TrialResult } from '../../shared/result.js';
import { axes, perMode, runTimelines, type ModeValue } from '../charts/series.js';
import { bars, chart, type ChartDef } from './chart-def.js';
import { timelineChart } from './timeline-chart.js';

/** The charts of a run report: loss, recovery and load, disk, snapshot pause, throughput, latency over time. */
export function runCharts(run: RunResult): ChartDef[] {
  const { modes, faults } = axes(run);
  const modeX = { field: 'mode', type: 'nominal', title: null, sort: modes, axis: { labelAngle: -30 } };
  const withFault = (xs: ModeValue[], measure: string) => xs.map((v) => ({ ...v, measure }));
  const untraced = (t: TrialResult) => !t.traced;

  const loss = perMode(run, 'lossPct');
  const recovery = [...withFault(perMode(run, 'recoveryMs'), 'spawn → ready'), ...withFault(perMode(run, 'loadMs'), 'listening → ready')];
  const disk = [...withFault(perMode(run, 'rdbBytes'), 'RDB'), ...withFault(perMode(run, 'aofBytes'), 'AOF')].filter((v) => v.value > 0);
  const fork = perMode(run, 'forkUsec', 1 / 1000);
  const tput = perMode(run, 'throughputOps', 1, untraced);
  const traced = run.trials.some((t) => t.traced);
  const timelines = runTimelines(run).shown;

  return [
    chart(
      'loss',
      'Acknowledged writes lost, by mode and fault',
      'Median share of acknowledged writes missing or wrong after the restart, a bar per fault. 0 is what a durable mode promises.',
      loss,
      bars(loss, {
        x: modeX,
        y: { title: 'lost, % of acknowledged', scale: { domain: [0, 100] } },
        group: { field: 'fault', title: 'fault', sort: faults },
        label: '.3~r',
        column: 'target',
      }),
      'Loss: no trial measured it.',
    ),
    chart(
      'recovery',
      'Recovery and load time, by mode',
      'Median time from spawning the restarted server to its first answer that is not -LOADING, and from its first accepted connection to ready (the dataset load alone).',
      recovery,
      bars(recovery, { x: modeX, y: { title: 'ms' }, group: { field: 'measure', title: null }, label: '.3~s', column: 'target', row: 'fault' }),
      'Recovery: no trial restarted.',
    ),
    chart(
      'disk',
      'Disk size after the fault, by mode',
      'Median bytes of RDB and AOF files in the data directory after the kill, before the restart, stacked.',
      disk,
      bars(disk, {
        x: modeX,
        y: { title: 'bytes', axis: { format: '~s' } },
        group: { field: 'measure', title: 'file' },
        stack: true,
        label: '.3~s',
        column: 'target',
        row: 'fault',
      }),
      'Disk: no mode left a file on disk.',
    ),
    chart(
      'fork',
      'Snapshot start pause, by mode',
      'Median latest_fork_usec: on redis-server the fork() that starts a BGSAVE, on the built-in server the pause to start its copy-on-write snapshot.',
      fork,
      bars(fork, { x: modeX, y: { title: 'ms' }, group: { field: 'target', title: 'target' }, label: '.3~r', row: 'fault' }),
      'Snapshot start pause: no snapshot ran in this run.',
    ),
    chart(
      'throughput',
      'Throughput of acknowledged writes, by mode',
      `Median acknowledged writes per second during the write phase.${traced ? ' Trials run under strace are left out: tracing slows the server several-fold.' : ''}`,
      tput,
      bars(tput, { x: modeX, y: { title: 'writes/s', axis: { format: '~s' } }, group: { field: 'target', title: 'target' }, label: '.3~s', row: 'fault' }),
      traced ? 'Throughput: every trial ran traced, so none is comparable.' : 'Throughput: no trial measured it.',
    ),
    ...(timelines.length > 0
      ? timelines.map((t, i) => timelineChart(`timeline-${i + 1}`, `Latency over time — ${t.label}`, t.timeline))
      : [chart('timeline', 'Latency over time', '', [], {}, 'Latency over time: not recorded in this result (no trial carries a timeline).')]),
  ];
}
