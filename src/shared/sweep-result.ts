import type { Environment } from './result.js';
import type { Mode, TargetKind } from './types.js';
import type { Timeline } from './timeline.js';

/**
 * `durabench sweep`: the dataset grown through sizes, and at each size, per target, what a
 * snapshot and a restart cost. Missing measurements are null, never NaN.
 */
export interface SweepPoint {
  target: TargetKind;
  /** keys in the dataset */
  keys: number;
  valueBytes: number;
  /** snapshot start pause: latest_fork_usec (redis: fork; built-in: snapshot epoch) */
  forkUsec: number | null;
  /** BGSAVE start → rdb_bgsave_in_progress:0, ms */
  snapshotMs: number | null;
  /** rdb_last_cow_size after the snapshot under load */
  cowBytes: number | null;
  /** client-seen latency of the steady open-loop write load, without and with a snapshot running */
  baseline: { p99Ms: number | null; p999Ms: number | null; maxMs: number | null };
  duringSnapshot: { p99Ms: number | null; p999Ms: number | null; maxMs: number | null };
  /** the with-snapshot window, bucketed, with snapshot markers */
  timeline: Timeline | null;
  rdbBytes: number | null;
  aofBytes: number | null;
  /** restart from the RDB alone / from the AOF alone: spawn → ready and listening → ready */
  rdbLoad: { recoveryMs: number | null; loadMs: number | null };
  aofLoad: { recoveryMs: number | null; loadMs: number | null };
  /** resident memory after the dataset is loaded */
  rssBytes: number | null;
  /** null when measured; else why this size was skipped (one line) */
  skipped: string | null;
  /** acknowledged writes whose [send, ack] overlapped the snapshot (what copy-on-write had to preserve at most) */
  snapshotWrites: number | null;
  /**
   * the load generator's worst lateness over both windows (actual send − due), ms: when it
   * nears the latency figures, the tail is the generator's, not the server's
   */
  sendLagMaxMs: number | null;
  /** filling the dataset (pipelined SETs), ms */
  fillMs: number | null;
  /** null when measured; else what went wrong at this size (the point's other figures may be partial) */
  error: string | null;
}

export interface SweepResult {
  schemaVersion: 1;
  kind: 'sweep';
  tool: { name: 'durabench'; version: string };
  environment: Environment;
  startedAt: string;
  wallMs: number;
  seed: number;
  sizes: number[];
  valueBytes: number;
  /** 'random' (incompressible, the default) or 'repetitive' */
  values: 'random' | 'repetitive';
  targets: TargetKind[];
  /** persistence modes whose files were written and loaded (rdb and an AOF mode) */
  modes: Mode[];
  /** ops/s of the steady open-loop write load */
  rate: number;
  /** load connections of the latency windows, and the window length without a snapshot, ms */
  clients: number;
  windowMs: number;
  /** 1-minute load average when the sweep started, and the cores: how shared the machine was */
  loadAverage: number;
  points: SweepPoint[];
}
