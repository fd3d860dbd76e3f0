/**
 * mergeShards: the results of `durabench run --shard i/n` (one per shard) → the result of the
 * whole run, as if it had run unsharded: the trials in canonical order, the summary and the
 * sanity verdicts recomputed from them. Pure; every problem is one ConfigError line naming
 * the files (the CLI's exit 2).
 *
 * The inputs must be the same scenario (every field, seed included), the same tool version
 * and shard count, every shard exactly once, and hold exactly the trials trialPlan assigns
 * to their shard with the seeds it gives: then the union is the unsharded run's trial set.
 */
import { summarize } from '../report/summarize.js';
import type { RunResult, TrialResult } from '../shared/result.js';
import { ConfigError } from '../shared/errors.js';
import { sanityVerdicts } from './check/sanity.js';
import { inShard, trialKey, trialPlan } from './run.js';

export interface ShardInput {
  file: string;
  result: RunResult;
}

/** JSON with object keys sorted: two scenarios are the same when these are equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The first field whose value differs between two scenarios, for the error line. */
function firstDifference(a: Record<string, unknown>, b: Record<string, unknown>): string {
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
    if (canonical(a[k]) !== canonical(b[k])) return `${k} ${canonical(a[k])} vs ${canonical(b[k])}`;
  }
  return '?';
}

export function mergeShards(inputs: readonly ShardInput[]): RunResult {
  if (inputs.length === 0) throw new ConfigError('merge: name the shard results to merge');
  const first = inputs[0]!;
  const shardOf = (x: ShardInput) => x.result.shard ?? { index: 1, count: 1 };
  const count = shardOf(first).count;
  const byIndex = new Map<number, string>();
  for (const x of inputs) {
    const s = shardOf(x);
    if (canonical(x.result.scenario) !== canonical(first.result.scenario)) {
      const diff = firstDifference(first.result.scenario as unknown as Record<string, unknown>, x.result.scenario as unknown as Record<string, unknown>);
      throw new ConfigError(`merge: ${x.file} is not the same scenario as ${first.file} (${diff})`);
    }
    if (x.result.tool.version !== first.result.tool.version) {
      throw new ConfigError(`merge: ${x.file} was written by durabench ${x.result.tool.version}, ${first.file} by ${first.result.tool.version}`);
    }
    if (s.count !== count) throw new ConfigError(`merge: ${x.file} is shard ${s.index}/${s.count}, ${first.file} is one of ${count}`);
    const other = byIndex.get(s.index);
    if (other !== undefined) throw new ConfigError(`merge: ${other} and ${x.file} are both shard ${s.index}/${count}`);
    byIndex.set(s.index, x.file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new ConfigError(`merge: shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing (got ${inputs.length} of ${count})`);
  }

  // Every trial where the plan puts it, once, with the plan's seed.
  const plan = trialPlan(first.result.scenario);
  const position = new Map(plan.map((p, k) => [trialKey(p), k]));
  const placed = new Map<string, string>();
  for (const x of inputs) {
    const s = shardOf(x);
    for (const t of x.result.trials) {
      const key = trialKey(t);
      const k = position.get(key);
      if (k === undefined) throw new ConfigError(`merge: ${x.file} has trial ${key}, which the scenario does not plan`);
      if (!inShard(k, s)) throw new ConfigError(`merge: ${x.file} has trial ${key}, which belongs to shard ${(k % count) + 1}/${count}`);
      const dup = placed.get(key);
      if (dup !== undefined) throw new ConfigError(`merge: trial ${key} is in both ${dup} and ${x.file}`);
      if (t.seed !== plan[k]!.seed) throw new ConfigError(`merge: ${x.file} trial ${key} has seed ${t.seed}, the scenario's is ${plan[k]!.seed}`);
      placed.set(key, x.file);
    }
  }
  if (placed.size !== plan.length) {
    const absent = plan.find((p) => !placed.has(trialKey(p)))!;
    throw new ConfigError(`merge: ${plan.length - placed.size} of ${plan.length} trials missing (first: ${trialKey(absent)}, shard ${(plan.indexOf(absent) % count) + 1}/${count})`);
  }

  const trials: TrialResult[] = inputs
    .flatMap((x) => x.result.trials)
    .sort((a, b) => position.get(trialKey(a))! - position.get(trialKey(b))!);
  const targetVersions = Object.assign({}, ...inputs.map((x) => x.result.environment.targetVersions).reverse());
  const started = inputs.map((x) => x.result.startedAt).filter(Boolean).sort();
  return {
    schemaVersion: 1,
    kind: 'run',
    tool: { ...first.result.tool },
    scenario: first.result.scenario,
    // The shards ran side by side on their own machines: the first one's, and the slowest wall.
    environment: { ...first.result.environment, targetVersions },
    startedAt: started[0] ?? '',
    wallMs: Math.max(...inputs.map((x) => x.result.wallMs)),
    trials,
    summary: summarize(trials),
    sanity: sanityVerdicts(trials),
  };
}
