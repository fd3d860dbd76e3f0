import type { Mode, SnapshotStrategy, TargetKind } from '../../shared/types.js';

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

export interface StartOptions {
  port: number;
  /** the data directory (--dir) */
  dir: string;
  mode: Mode;
  savePoints: string;
  /** built-in server only (redis-server always forks); default cow */
  snapshotStrategy?: SnapshotStrategy;
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
  port: number;
  /** the server's pid (under a tracer: the tracee, not the tracer) */
  pid: number;
  /** launched under a tracer (LaunchSpec.tracer) */
  traced: boolean;
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
  /**
   * SIGKILL goes to the whole process group (redis's fork children die too); others to the
   * server only. Under a tracer, SIGKILL goes to the server and its descendants only.
   */
  kill(signal: NodeJS.Signals): void;
}

export interface Target {
  kind: TargetKind;
  /** Checks the target can run here and returns its version; RunError (one line, how to fix) if not. */
  check(): Promise<string>;
  /** The flags a mode maps to (the built-in server adds a non-default snapshot strategy). */
  flagsFor(mode: Mode, savePoints: string, snapshotStrategy?: SnapshotStrategy): string[];
  launchSpec(opts: StartOptions): LaunchSpec;
  /** Spawns the server and waits until it answers (not -LOADING). RunError on failure/timeout. */
  start(opts: StartOptions): Promise<TargetHandle>;
}
