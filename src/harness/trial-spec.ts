/**
 * What one trial takes and gives back (runTrial in trial.ts), kept apart so progress
 * rendering can name the phases without loading the orchestration.
 */
import { RunError } from '../shared/errors.js';
import type { TrialResult } from '../shared/result.js';
import type { FaultKind, Mode, Scenario } from '../shared/types.js';
import type { Target } from './targets/target.js';

export type TrialPhase = 'start' | 'preload' | 'write' | 'fault' | 'recover' | 'check';

export interface TrialSpec {
  scenario: Scenario;
  target: Target;
  mode: Mode;
  /** the fault this trial injects (one of the scenario's) */
  fault: FaultKind;
  /** 0-based */
  trial: number;
  seed: number;
  keep?: boolean;
  tmpRoot?: string;
  onPhase?: (phase: TrialPhase) => void;
}

export interface TrialRun {
  result: TrialResult;
  /** the trial's temp dir when kept, else null */
  dir: string | null;
  /** what the fault did, e.g. "BGSAVE in progress, killed 0.4 ms after issuing it" */
  note: string | null;
}

/** The first launch failed: nothing was measured, and later trials would fail alike. */
export class StartupError extends RunError {
  override name = 'StartupError';
}
