/** Vocabulary shared by every layer: the axes of a run. */
export const MODES = ['none', 'rdb', 'aof-always', 'aof-everysec', 'aof-no', 'rdb+aof'] as const;
export type Mode = (typeof MODES)[number];

export const TARGETS = ['builtin', 'redis'] as const;
export type TargetKind = (typeof TARGETS)[number];

export const FAULTS = [
  'sigkill',
  'sigkill-during-bgsave',
  'sigkill-during-rewrite',
  'sigterm',
  'power-loss',
  'power-loss-torn',
  'disk-full',
  'torn-tail',
  'corrupt',
  'pause',
  'sigkill-during-load',
] as const;
export type FaultKind = (typeof FAULTS)[number];

/**
 * What a power cut keeps of name changes (create, rename, unlink, mkdir): `posix` only those
 * whose directory was fsynced after them; `ext4` (a journal in data=ordered mode) every one
 * made before any later successful fsync. File data is the same in both: synced bytes only.
 */
export const CRASH_MODELS = ['posix', 'ext4'] as const;
export type CrashModelKind = (typeof CRASH_MODELS)[number];

export const SNAPSHOT_STRATEGIES = ['cow', 'blocking'] as const;
export type SnapshotStrategy = (typeof SNAPSHOT_STRATEGIES)[number];

export const WORKLOADS = ['unique-set', 'overwrite', 'counter', 'list-append', 'mixed', 'transaction'] as const;
export type WorkloadKind = (typeof WORKLOADS)[number];

/** A validated scenario: what `durabench run` executes. Durations in ms. */
export interface Scenario {
  name: string;
  description: string;
  targets: TargetKind[];
  /** targets added to the run when they can run here (redis-server installed), else skipped with a note */
  targetsIfPresent: TargetKind[];
  modes: Mode[];
  trials: number;
  seed: number;
  /** Length of the write phase when the fault does not end it earlier. */
  durationMs: number;
  workload: WorkloadKind;
  clients: number;
  pipeline: number;
  /** Open-loop target rate in ops/s across all clients; 0 = closed loop (as fast as it goes). */
  rate: number;
  valueSize: number;
  /** Keyspace size for overwrite/counter/mixed; list count for list-append; counters for transaction. */
  keys: number;
  /** Keys written before the measured phase (recovery and fork latency at size). */
  preload: number;
  /**
   * The faults to inject, an axis of the run like modes and targets: every (trial, mode,
   * target) runs once under each. A scenario file may still say `"fault": "sigkill"` (read as
   * ["sigkill"]).
   */
  faults: FaultKind[];
  /** The kill lands at a seeded random time in [min, max] ms after the write phase starts. */
  killWindowMs: [number, number];
  /** Save points for the rdb and rdb+aof modes, redis syntax ("60 1000 5 100"). */
  savePoints: string;
  /**
   * How the built-in server takes snapshots: `cow` (copy-on-write, the default) or
   * `blocking` (serialize everything at once, like a fork that copies the whole dataset),
   * to show what copy-on-write buys. redis-server always forks.
   */
  snapshotStrategy: SnapshotStrategy;
  /** power-loss faults: which name changes survive the cut (see CRASH_MODELS) */
  crashModel: CrashModelKind;
  /** Gate expressions evaluated by --gate / `durabench gate`. */
  gates: string[];
  /**
   * The run result `<n> * baseline` gates compare with when no --baseline is given. A relative
   * path is found in the current directory, else in the package (where scenarios/ lives).
   */
  baseline?: string;
}
