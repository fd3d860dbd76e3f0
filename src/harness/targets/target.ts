import type { Mode, SnapshotEncoderChoice, SnapshotStrategy, TargetKind } from '../../shared/types.js';

/** What to execute; a fault may wrap it (e.g. run the server under a syscall tracer). */
export interface LaunchSpec {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /**
   * The command is a tracer (strace) whose child is the server. Signals go to the server and
   * its descendants, never to the tracer: a killed tracer detaches its tracee and leaves it
   * running, and loses the tail of its output.
   */
  tracer?: boolean;
}

/** How the built-in server snapshots (redis-server always forks): its flags when not the defaults. */
export interface SnapshotOptions {
  /** default cow */
  snapshotStrategy?: SnapshotStrategy;
  /** default auto */
  snapshotEncoder?: SnapshotEncoderChoice;
}

/** The snapshot options of a scenario (or anything carrying them), and nothing else. */
export function snapshotOptions(o: SnapshotOptions): SnapshotOptions {
  return { snapshotStrategy: o.snapshotStrategy, snapshotEncoder: o.snapshotEncoder };
}

export interface StartOptions extends SnapshotOptions {
  port: number;
  /** the data directory (--dir) */
  dir: string;
  mode: Mode;
  savePoints: string;
  /** server stdout/stderr go here */
  logFile: string;
  /** spawn → ready limit, ms (a recovery at size may need long) */
  timeoutMs?: number;
  /**
   * `ready` (default): return once the server answers (not -LOADING). `spawned`: return right
   * after the spawn, without probing (a fault that kills the server while it loads polls it
   * itself); the handle's readyAt, readyMs and listeningAt are then NaN.
   */
  waitFor?: 'ready' | 'spawned';
  wrapLaunch?: (spec: LaunchSpec) => LaunchSpec;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the exit was seen */
  at: number;
}

export interface TargetHandle {
  kind: TargetKind;
  /** where the server answers (127.0.0.1 for the servers durabench launches) */
  host: string;
  port: number;
  /** the server's pid (under a tracer: the tracee, not the tracer); -1 when not a local process of ours (external) */
  pid: number;
  /** launched under a tracer (LaunchSpec.tracer) */
  traced: boolean;
  /**
   * the data directory as the harness sees it; for an external target without a dataDir, the
   * {dir} it was given (which the server may not use: faults that need it do not run there)
   */
  dir: string;
  logFile: string;
  version: string;
  /** the mode flags this launch used */
  flags: string[];
  /** performance.now() at spawn and when the first non-LOADING reply came */
  spawnedAt: number;
  readyAt: number;
  /** spawn → ready, ms (the recovery time on a restart) */
  readyMs: number;
  /** performance.now() when the server first accepted a connection: listening → ready is the data load */
  listeningAt: number;
  exited: Promise<ExitInfo>;
  readonly alive: boolean;
  /** an external target's command that failed (a kill, pause or resume that exited non-zero), else null/absent */
  readonly failedCommand?: string | null;
  /**
   * SIGKILL goes to the whole process group (redis's fork children die too); others to the
   * server only. Under a tracer, SIGKILL goes to the server and its descendants only. An
   * external target sends it through its command and returns a promise of the command's end
   * (await it where the moment the signal landed matters: a pause).
   */
  kill(signal: NodeJS.Signals): void | Promise<void>;
}

/**
 * What a target lets the harness do, beyond start, signal and talk to it. Faults that need
 * more are skipped on it with the reason (faults/needs.ts).
 */
export interface TargetCaps {
  /** the harness spawns the server process itself (it can wrap it in a tracer, read /proc) */
  launches: boolean;
  /**
   * the data directory: `own` the trial's own directory, which the server uses directly (so a
   * tmpfs mounted there before the start is the server's disk); `mounted` another path where
   * the harness can read and change its files; `none` not visible here
   */
  dataDir: 'own' | 'mounted' | 'none';
  /** the signals it can be sent (SIGKILL always) */
  signals: readonly NodeJS.Signals[];
}

export interface Target {
  kind: TargetKind;
  caps: TargetCaps;
  /** Where the harness sees the data dir of a server started on trialDir (null: nowhere). Absent: trialDir. */
  dataDirFor?(trialDir: string): string | null;
  /** Once per trial before its first start (an external target's `reset`: an empty data directory). */
  prepareTrial?(trialDir: string): Promise<void>;
  /** Checks the target can run here and returns its version; RunError (one line, how to fix) if not. */
  check(): Promise<string>;
  /** The flags a mode maps to (the built-in server adds a non-default snapshot strategy and encoder). */
  flagsFor(mode: Mode, savePoints: string, snapshot?: SnapshotOptions): string[];
  /** the command a start runs (the servers durabench launches itself) */
  launchSpec?(opts: StartOptions): LaunchSpec;
  /** Spawns the server and waits until it answers (not -LOADING). RunError on failure/timeout. */
  start(opts: StartOptions): Promise<TargetHandle>;
}
