/**
 * runScenario: every trial of a scenario → a RunResult. Emits events (start, trial-start,
 * phase, trial, done) like autocannon; progress rendering only listens. Trials run
 * trial-major (trials × faults × modes × targets) and interleave faults, modes and targets, so
 * slow drift of a shared machine spreads over all of them and side-by-side ratios stay fair.
 * The trial seed depends on the mode and trial number, not the target or the fault: both
 * targets, under every fault, get the same kill points and keys.
 *
 * Sharding (`--shard i/n`): trial k of the canonical order (trialPlan) belongs to shard
 * 1 + (k mod n). Round robin keeps every shard's mix of faults, modes and targets even; the
 * seeds do not depend on the shard, so the union of n shards is exactly the unsharded run's
 * trials with the same seeds, and `durabench merge` puts them back in canonical order.
 */
import os from 'node:os';
import { summarize } from '../report/summarize.js';
import type { Environment, RunResult, TrialResult } from '../shared/result.js';
import type { FaultKind, Mode, Scenario, TargetKind } from '../shared/types.js';
import { MODES } from '../shared/types.js';
import { sanityVerdicts } from './check/sanity.js';
import { faults } from './faults/index.js';
import { toolVersion } from './repo.js';
import { targetFor } from './targets/index.js';
import { runTrial } from './trial.js';
import { warmUpLoad } from './warm-up.js';
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

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** One trial's identity and seed: trial × fault × mode × target, in the order trials run. */
export interface PlannedTrial {
  trial: number;
  fault: FaultKind;
  mode: Mode;
  target: TargetKind;
  seed: number;
}

/** Every trial of a scenario in canonical (trial-major) order. */
export function trialPlan(scenario: Scenario): PlannedTrial[] {
  const plan: PlannedTrial[] = [];
  for (let trial = 0; trial < scenario.trials; trial++) {
    for (const fault of scenario.faults) {
      for (const mode of scenario.modes) {
        for (const target of scenario.targets) plan.push({ trial, fault, mode, target, seed: trialSeed(scenario, mode, trial) });
      }
    }
  }
  return plan;
}

/** Does the trial at canonical position k belong to the shard? */
export function inShard(k: number, shard: Shard | undefined): boolean {
  return shard === undefined || k % shard.count === shard.index - 1;
}

/** The trial's identity as a key: "<trial>/<fault>/<mode>/<target>". */
export function trialKey(t: { trial: number; fault: string; mode: string; target: string }): string {
  return `${t.trial}/${t.fault}/${t.mode}/${t.target}`;
}

export interface RunOptions {
  /** run only this slice of the trials (the result records it) */
  shard?: Shard;
  onEvent?: (e: RunEvent) => void;
  /** keep each trial's temp dir (data files and server logs) */
  keep?: boolean;
  tmpRoot?: string;
  /** warm the load generator up before the first trial (warm-up.ts); default true */
  warmUp?: boolean;
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
  for (const kind of wanted.targets) targetVersions[kind] = await targetFor(kind, wanted).check();
  const skippedTargets: { target: TargetKind; reason: string }[] = [];
  const extra: TargetKind[] = [];
  for (const kind of wanted.targetsIfPresent ?? []) {
    if (wanted.targets.includes(kind)) continue;
    try {
      targetVersions[kind] = await targetFor(kind, wanted).check();
      extra.push(kind);
    } catch (err) {
      skippedTargets.push({ target: kind, reason: (err as Error).message });
    }
  }
  // the result records the targets that ran
  const scenario: Scenario = extra.length > 0 ? { ...wanted, targets: [...wanted.targets, ...extra] } : wanted;

  const planned = trialPlan(scenario).filter((_, k) => inShard(k, opts.shard));
  const total = planned.length;
  emit({ type: 'start', scenario, total, targetVersions, skippedTargets });
  if (opts.warmUp !== false && total > 0) await warmUpLoad(scenario, opts.tmpRoot);
  const trials: TrialResult[] = [];
  for (const [i, { trial, fault, mode, target: kind, seed }] of planned.entries()) {
    const plan = faults[fault].plan(new Rng(seed).fork(), scenario);
    emit({ type: 'trial-start', index: i, total, target: kind, mode, fault, trial, seed, plan: faults[fault].describe(plan) });
    const run = await runTrial({
      scenario,
      target: targetFor(kind, scenario),
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
  if (opts.shard && opts.shard.count > 1) result.shard = { ...opts.shard };
  emit({ type: 'done', result });
  return result;
}
