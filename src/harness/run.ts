/**
 * runScenario: every trial of a scenario → a RunResult. Emits events (start, trial-start,
 * phase, trial, done) like autocannon; progress rendering only listens. Trials run
 * trial-major (trials × faults × modes × targets) and interleave faults, modes and targets, so
 * slow drift of a shared machine spreads over all of them and side-by-side ratios stay fair.
 * The trial seed depends on the mode and trial number, not the target or the fault: both
 * targets, under every fault, get the same kill points and keys.
 */
import os from 'node:os';
import { summarize } from '../report/summarize.js';
import type { Environment, RunResult, TrialResult } from '../shared/result.js';
import type { FaultKind, Mode, Scenario, TargetKind } from '../shared/types.js';
import { MODES } from '../shared/types.js';
import { sanityVerdicts } from './check/sanity.js';
import { faults } from './faults/index.js';
import { toolVersion } from './repo.js';
import { targets } from './targets/index.js';
import { runTrial } from './trial.js';
import type { TrialPhase } from './trial-spec.js';
import { deriveSeed, Rng } from '../shared/prng.js';

export type RunEvent =
  | {
      type: 'start';
      scenario: Scenario;
      total: number;
      targetVersions: Partial<Record<TargetKind, string>>;
      /** targetsIfPresent that cannot run here, and why */
      skippedTargets: { target: TargetKind; reason: string }[];
    }
  | { type: 'trial-start'; index: number; total: number; target: TargetKind; mode: Mode; fault: FaultKind; trial: number; seed: number; plan: string }
  | { type: 'phase'; index: number; total: number; phase: TrialPhase }
  | { type: 'trial'; index: number; total: number; result: TrialResult; dir: string | null; note: string | null }
  | { type: 'done'; result: RunResult };

export interface RunOptions {
  onEvent?: (e: RunEvent) => void;
  /** keep each trial's temp dir (data files and server logs) */
  keep?: boolean;
  tmpRoot?: string;
}

export function trialSeed(scenario: Scenario, mode: Mode, trial: number): number {
  return deriveSeed(scenario.seed, MODES.indexOf(mode), trial);
}

export function environment(targetVersions: Partial<Record<TargetKind, string>>): Environment {
  const cpus = os.cpus();
  return {
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model?.trim() || 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryBytes: os.totalmem(),
    targetVersions,
  };
}

export async function runScenario(wanted: Scenario, opts: RunOptions = {}): Promise<RunResult> {
  const emit = opts.onEvent ?? (() => undefined);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const targetVersions: Partial<Record<TargetKind, string>> = {};
  for (const kind of wanted.targets) targetVersions[kind] = await targets[kind].check();
  const skippedTargets: { target: TargetKind; reason: string }[] = [];
  const extra: TargetKind[] = [];
  for (const kind of wanted.targetsIfPresent ?? []) {
    if (wanted.targets.includes(kind)) continue;
    try {
      targetVersions[kind] = await targets[kind].check();
      extra.push(kind);
    } catch (err) {
      skippedTargets.push({ target: kind, reason: (err as Error).message });
    }
  }
  // the result records the targets that ran
  const scenario: Scenario = extra.length > 0 ? { ...wanted, targets: [...wanted.targets, ...extra] } : wanted;

  const total = scenario.trials * scenario.faults.length * scenario.modes.length * scenario.targets.length;
  emit({ type: 'start', scenario, total, targetVersions, skippedTargets });
  const trials: TrialResult[] = [];
  let index = 0;
  for (let trial = 0; trial < scenario.trials; trial++) {
    for (const fault of scenario.faults) {
      for (const mode of scenario.modes) {
        for (const kind of scenario.targets) {
          const seed = trialSeed(scenario, mode, trial);
          const i = index++;
          const plan = faults[fault].plan(new Rng(seed).fork(), scenario);
          emit({ type: 'trial-start', index: i, total, target: kind, mode, fault, trial, seed, plan: faults[fault].describe(plan) });
          const run = await runTrial({
            scenario,
            target: targets[kind],
            mode,
            fault,
            trial,
            seed,
            keep: opts.keep,
            tmpRoot: opts.tmpRoot,
            onPhase: (phase) => emit({ type: 'phase', index: i, total, phase }),
          });
          trials.push(run.result);
          emit({ type: 'trial', index: i, total, result: run.result, dir: run.dir, note: run.note });
        }
      }
    }
  }
  const result: RunResult = {
    schemaVersion: 1,
    kind: 'run',
    tool: { name: 'durabench', version: toolVersion() },
    scenario,
    environment: environment(targetVersions),
    startedAt,
    wallMs: Math.round(performance.now() - t0),
    trials,
    summary: summarize(trials),
    sanity: sanityVerdicts(trials),
  };
  emit({ type: 'done', result });
  return result;
}
