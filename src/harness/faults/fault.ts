/**
 * A fault: when and how a trial's server dies. Planned from the trial's seeded Rng, so a seed
 * reproduces the kill point. Hooks beyond inject() let later faults slot in as new records:
 *  - wrapLaunch: change how the server is launched (e.g. under a syscall tracer that logs
 *    write/fsync, which a power-loss fault needs to know what was never synced);
 *  - afterExit: act on the data directory between the death and the restart (drop unsynced
 *    bytes for power loss, tear or truncate a file), or verify the fault landed as planned.
 */
import type { FaultKind, Mode, Scenario } from '../../shared/types.js';
import type { LaunchSpec, TargetHandle } from '../targets/target.js';
import type { Rng } from '../../shared/prng.js';
import type { RespConnection } from '../workload/resp-connection.js';

export interface FaultPlan {
  kind: FaultKind;
  /** when the fault fires, ms after the write phase starts */
  atMs: number;
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
  /** performance.now() when the signal was sent */
  killedAt: number;
  /** what happened, for logs and progress lines */
  note?: string;
  /** the fault could not be injected as planned: becomes the trial's error */
  error?: string;
  /** wall-clock ms (Date.now) when the fault's trigger was issued, if it had one */
  triggeredAtEpochMs?: number;
}

export interface AfterExitContext {
  dataDir: string;
  plan: FaultPlan;
  rng: Rng;
  handle: TargetHandle;
  outcome: FaultOutcome;
}

export interface Fault {
  kind: FaultKind;
  /** crash: the process dies without warning; graceful: it is asked to stop */
  style: 'crash' | 'graceful';
  describe(plan: FaultPlan): string;
  plan(rng: Rng, scenario: Scenario): FaultPlan;
  wrapLaunch?(spec: LaunchSpec, plan: FaultPlan, dataDir: string): LaunchSpec;
  /** Waits for the planned moment, injects the fault; the process may still be exiting. */
  inject(ctx: FaultContext): Promise<FaultOutcome>;
  /** After the process exited, before the restart. May amend the outcome (e.g. an error). */
  afterExit?(ctx: AfterExitContext): Promise<FaultOutcome | void>;
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
