/** Vocabulary shared by every layer: the axes of a run. */
import type { WorkersSetting } from './load-workers.js';
export const MODES = ['none', 'rdb', 'aof-always', 'aof-everysec', 'aof-no', 'rdb+aof'] as const;
export type Mode = (typeof MODES)[number];

/** The servers durabench launches itself. */
export const TARGETS = ['builtin', 'redis'] as const;
export type LocalTargetKind = (typeof TARGETS)[number];
/**
 * A target someone else runs (Docker, Kubernetes, systemd over ssh), described by a JSON file
 * (see ExternalTargetSpec): named `external:<its name>` in results, tables and gates.
 */
export type ExternalTargetName = `external:${string}`;
export type TargetKind = LocalTargetKind | ExternalTargetName;
export const EXTERNAL_PREFIX = 'external:';

/** An external target's name: letters, digits, '_' and '-' (it appears in gate selectors). */
export const EXTERNAL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

export function isTargetKind(v: unknown): v is TargetKind {
  if (typeof v !== 'string') return false;
  if ((TARGETS as readonly string[]).includes(v)) return true;
  return v.startsWith(EXTERNAL_PREFIX) && EXTERNAL_NAME.test(v.slice(EXTERNAL_PREFIX.length));
}

export const EXTERNAL_SIGNALS = ['KILL', 'TERM', 'STOP', 'CONT'] as const;
export type ExternalSignal = (typeof EXTERNAL_SIGNALS)[number];

/** A command template's `{name}` or `{name:ssh}`, not preceded by `$` (so ${VAR} stays the shell's). */
export const PLACEHOLDER = /(?<!\$)\{([A-Za-z_]+)(:ssh)?\}/g;

/**
 * An external target as its file describes it, validated (scenario/external-target.ts). Every
 * command is a /bin/sh template; {port}, {dir}, {signal}, {flags} are substituted shell-quoted.
 */
export interface ExternalTargetSpec {
  name: string;
  description: string;
  /** where the server answers */
  host: string;
  /** a fixed port, or '{port}': a free local port the harness picks for each start */
  port: number | '{port}';
  /** starts the server; stays in the foreground while it runs unless `foreground` is false */
  start: string;
  /**
   * true (default): the start command runs for as long as the server does (docker run without
   * -d, exec redis-server, kubectl port-forward): its exit is the server's exit, and killing
   * its process group ends it on every way out. false: it returns once the server is started
   * (docker run -d); the server's exit is then seen as its address refusing connections.
   */
  foreground: boolean;
  /** sends {signal} (KILL, TERM, STOP, CONT) to the server */
  kill: string;
  /**
   * the signals `kill` can deliver (default all of KILL, TERM, STOP, CONT; STOP and CONT also
   * count when pause/resume are given). Faults that need another are skipped with the reason.
   */
  signals?: ExternalSignal[];
  /** optional: in place of `kill` with STOP / CONT (e.g. docker pause / unpause) */
  pause?: string;
  resume?: string;
  /** optional: waits until the server is ready, after start (kubectl wait); the harness probes its address after it */
  ready?: string;
  /** optional: run before each trial's first start, to begin on an empty data directory */
  reset?: string;
  /**
   * optional: where the harness can read (and damage) the server's data directory: '{dir}'
   * (the trial's own directory, bind-mounted or used directly) or a fixed local/mounted path.
   * Absent: faults and figures that need it are reported "not measured".
   */
  dataDir?: string;
  /** spawn → ready limit for a start, ms */
  startTimeoutMs?: number;
}

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
  'slow-fsync',
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

/**
 * Where the built-in server's RDB saves encode (its --snapshot-encoder): auto = a thread
 * wherever there is a second core.
 */
export const SNAPSHOT_ENCODERS = ['auto', 'thread', 'main'] as const;
export type SnapshotEncoderChoice = (typeof SNAPSHOT_ENCODERS)[number];

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
  /** load generator threads the clients are spread over; 'auto' = a core left to the server (load-workers.ts) */
  workers: WorkersSetting;
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
  /**
   * Where the built-in server's copy-on-write RDB saves encode: `auto` (its default: on a
   * thread of their own wherever there is a second core), `thread` or `main`.
   */
  snapshotEncoder: SnapshotEncoderChoice;
  /** power-loss faults: which name changes survive the cut (see CRASH_MODELS) */
  crashModel: CrashModelKind;
  /** Gate expressions evaluated by --gate / `durabench gate`. */
  gates: string[];
  /**
   * The external targets `targets` names (`external:<name>` → its file's contents), so a
   * result records exactly what ran. A scenario file may name a file instead
   * (`"targets": ["external:targets/docker.json"]`); loading reads it into here.
   */
  externalTargets?: Record<string, ExternalTargetSpec>;
  /**
   * The run result `<n> * baseline` gates compare with when no --baseline is given. A relative
   * path is found in the current directory, else in the package (where scenarios/ lives).
   */
  baseline?: string;
}
