/**
 * A fault: when and how a trial's server dies. Planned from the trial's seeded Rng, so a seed
 * reproduces the kill point. Hooks beyond inject() let later faults slot in as new records:
 *  - wrapLaunch: change how the server is launched (e.g. under a syscall tracer that logs
 *    write/fsync, which a power-loss fault needs to know what was never synced);
 *  - afterExit: act on the data directory between the death and the restart (drop unsynced
 *    bytes for power loss, tear or truncate a file), or verify the fault landed as planned.
 */
import type { FaultKind, Mode, Scenario } from '../../shared/types.js';
import type { LaunchSpec, StartOptions, TargetHandle } from '../targets/target.js';
import type { Rng } from '../../shared/prng.js';
import type { RespConnection } from '../workload/resp-connection.js';

export interface FaultPlan {
  kind: FaultKind;
  /** when the fault fires, ms after the write phase starts */
  atMs: number;
  /** a fault's own seeded figures beyond the kill time (e.g. a pause's start and length, ms) */
  params?: Record<string, number>;
}

/** The workload's counters, as a fault sees them. */
export interface LoadStatus {
  /** writes acknowledged so far */
  acked: number;
  /** error replies so far, and the first one's text */
  errors: number;
  firstError: string | null;
  /** load connections closed so far (by the server) */
  closed: number;
  /** still issuing writes (false once halted or the write phase ended) */
  running: boolean;
  /**
   * Writes so far that a client with a `timeoutMs` timeout would have given up on (async: with
   * load workers, each counts its own ledger)
   */
  slowWrites(timeoutMs: number): Promise<number>;
}

export interface FaultContext {
  scenario: Scenario;
  mode: Mode;
  plan: FaultPlan;
  handle: TargetHandle;
  /** a connection of the fault's own (BGSAVE, INFO polls) */
  control: RespConnection;
  /** performance.now() at the start of the write phase */
  t0: number;
  /**
   * Records the kill instant, sends the signal (SIGKILL to the process group) and stops the
   * workload from issuing more writes, in that order and synchronously. Returns the instant.
   */
  signal(sig: NodeJS.Signals): number;
  /** What the workload has seen so far (a fault that watches how the server answers writes). */
  load(): LoadStatus;
  /** Hands an INFO the fault read (e.g. while the snapshot it started ran) to the snapshot monitor. */
  observe(info: Record<string, string>): void;
  /**
   * Reads INFO once more and hands it to the monitor; call it right before the kill, so a
   * snapshot that began since the monitor's last poll still counts. Never throws, and waits
   * a bounded time (a hung server must not move the kill much).
   */
  finalInfo(): Promise<void>;
}

export interface FaultOutcome {
  signal: NodeJS.Signals;
  /**
   * performance.now() when the signal was sent; or, when the server exited on its own as the
   * fault's effect (disk-full: an AOF write error under appendfsync always), the exit instant:
   * the trial then treats the exit as the fault's, not as a crash before the fault
   */
  killedAt: number;
  /** what happened, for logs and progress lines */
  note?: string;
  /** the fault could not be injected as planned: becomes the trial's error */
  error?: string;
  /** wall-clock ms (Date.now) when the fault's trigger was issued, if it had one */
  triggeredAtEpochMs?: number;
  /**
   * The fault's own figures (bytes dropped by the crash model, the error a full disk gave,
   * ...): stored in the trial's `faultDetail` and shown in the fault's own table.
   */
  detail?: Record<string, number | string | null>;
}

export interface AfterExitContext {
  dataDir: string;
  mode: Mode;
  plan: FaultPlan;
  rng: Rng;
  handle: TargetHandle;
  outcome: FaultOutcome;
}

export interface PrepareContext {
  scenario: Scenario;
  mode: Mode;
  plan: FaultPlan;
  rng: Rng;
  /** the trial's temp dir (server logs, the fault's own files) and the data dir inside it */
  root: string;
  dataDir: string;
}

/**
 * A stateful fault's hold on one trial (a tracer's output, a mounted file system, a watcher),
 * opened before the first launch and disposed on every way out of the trial.
 */
export interface FaultSession {
  /** Changes how the first server is launched (e.g. under a syscall tracer). */
  wrapLaunch?(spec: LaunchSpec): LaunchSpec;
  /** Injects the fault in place of Fault.inject, with the session's state at hand. */
  inject?(ctx: FaultContext): Promise<FaultOutcome>;
  /** After the first server exited, before the restart; may amend the outcome. */
  afterExit?(ctx: AfterExitContext): Promise<FaultOutcome | void>;
  /** The restart in place of Fault.restart. */
  restart?(ctx: RestartContext): Promise<RestartOutcome>;
  /** Releases what the session holds; must not throw, must be safe to call twice. */
  dispose(): Promise<void>;
}

/** How the trial restarts the server on the data the fault left. */
export interface RestartContext {
  mode: Mode;
  plan: FaultPlan;
  rng: Rng;
  /** Launches the server on the data dir (tracked for cleanup); rejects when it does not start. */
  start(overrides?: Partial<Pick<StartOptions, 'timeoutMs' | 'logFile' | 'waitFor'>>): Promise<TargetHandle>;
}

export interface RestartOutcome {
  /** the server the check reads back from, whose start is the recovery time */
  handle: TargetHandle;
  /** what the restart did, for the note */
  note?: string;
  detail?: Record<string, number | string | null>;
  /** the restart could not do what the fault means (e.g. the load ended before the kill): the trial's error */
  error?: string;
}

export interface Fault {
  kind: FaultKind;
  /** crash: the process dies without warning; graceful: it is asked to stop */
  style: 'crash' | 'graceful';
  describe(plan: FaultPlan): string;
  plan(rng: Rng, scenario: Scenario): FaultPlan;
  /**
   * Why this fault cannot run on this machine (strace missing, no tmpfs), or null. Trials of a
   * fault that cannot run are skipped with that reason, never half-run.
   */
  unavailable?(): string | null;
  /** Opens the fault's per-trial state before the first launch. */
  prepare?(ctx: PrepareContext): Promise<FaultSession>;
  wrapLaunch?(spec: LaunchSpec, plan: FaultPlan, dataDir: string): LaunchSpec;
  /**
   * Waits for the planned moment, injects the fault; the process may still be exiting. A
   * stateful fault may inject through its session instead (FaultSession.inject).
   */
  inject?(ctx: FaultContext): Promise<FaultOutcome>;
  /** After the process exited, before the restart. May amend the outcome (e.g. an error). */
  afterExit?(ctx: AfterExitContext): Promise<FaultOutcome | void>;
  /** The restart (default: one start). E.g. kill it while it loads, then start again. */
  restart?(ctx: RestartContext): Promise<RestartOutcome>;
  /**
   * True when refusing to restart is a correct answer to the fault in this mode (damaged
   * files a checksum catches): the outcome `refused` is then no sanity failure. Absent: never.
   */
  refusalIsCorrect?(mode: Mode): boolean;
}

/** A seeded time in the scenario's kill window. */
export function planKillTime(rng: Rng, scenario: Scenario): number {
  const [min, max] = scenario.killWindowMs;
  return rng.range(min, max);
}

export function sleepUntil(at: number): Promise<void> {
  const ms = at - performance.now();
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}
