import { OUTCOMES, type RunResult, type SanityVerdict, type TrialResult } from '../shared/result.js';
import { ConfigError } from '../shared/errors.js';
import { FAULTS, isTargetKind, MODES, TARGETS } from '../shared/types.js';
import type { MicroBenchmark, MicroResult } from './micro-result.js';
import { summarize } from './summarize.js';
import type { ClaimsResult } from '../shared/claims.js';
import type { SweepResult } from '../shared/sweep-result.js';
import { validateClaims } from './claims-parse.js';
import { validateSweep } from './sweep-parse.js';
import { validateTimeline, Validator, type Json } from './validator.js';

/**
 * Strict JSON: pretty, two spaces, trailing newline. NaN and ±Infinity cannot appear: they
 * become null (the schema's "not measured"), and the text is checked before it leaves.
 */
export function renderJson(value: RunResult | MicroResult | unknown): string {
  const text = JSON.stringify(value, finiteReplacer, 2);
  if (text === undefined) throw new Error('internal: nothing to render as JSON');
  // JSON.stringify already maps NaN/Infinity to null; the replacer makes it explicit and
  // this catches a future change (e.g. a custom toJSON) that would sneak them in.
  if (/(^|[^"\w])(NaN|-?Infinity)([^"\w]|$)/.test(stripStrings(text))) {
    throw new Error('internal: non-finite number in JSON output');
  }
  return text + '\n';
}

function finiteReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function stripStrings(json: string): string {
  return json.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

export type { Json } from './validator.js';

/** Parses and validates a saved run result; every problem is a ConfigError naming the file. */
export function parseRunResult(text: string, file: string): RunResult {
  const r = parseAnyResult(text, file);
  if (r.kind !== 'run') {
    throw new ConfigError(`${file}: is a '${r.kind}' result, expected a run result (from durabench run --json)`);
  }
  return r;
}

export function parseMicroResult(text: string, file: string): MicroResult {
  const r = parseAnyResult(text, file);
  if (r.kind !== 'micro') {
    throw new ConfigError(`${file}: is a '${r.kind}' result, expected a micro-benchmark result (durabench micro --json)`);
  }
  return r;
}

/**
 * Any durabench result, told apart by `kind`: run and micro (parseAnyResult), sweep and claims
 * (sweep-parse.ts, claims-parse.ts). What `durabench report` reads.
 */
export function parseReportable(text: string, file: string): RunResult | MicroResult | SweepResult | ClaimsResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const o = data as { kind?: unknown; schemaVersion?: unknown } | null;
  if (o && typeof o === 'object' && !Array.isArray(o) && (o.kind === 'sweep' || o.kind === 'claims')) {
    return o.kind === 'sweep' ? validateSweep(data as Json, file) : validateClaims(data as Json, file);
  }
  return parseAnyResult(text, file);
}

/** A run or micro result, told apart by `kind`. */
export function parseAnyResult(text: string, file: string): RunResult | MicroResult {
  let data: Json;
  try {
    data = JSON.parse(text) as Json;
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const v = new Validator(file);
  const o = v.object(data, '');
  if (o.schemaVersion !== 1) {
    throw new ConfigError(
      `${file}: schemaVersion ${JSON.stringify(o.schemaVersion ?? null)} is not supported (expected 1)`,
    );
  }
  if (o.kind === 'run') return validateRun(o, v);
  if (o.kind === 'micro') return validateMicro(o, v);
  if (o.kind === 'sweep' || o.kind === 'claims') throw new ConfigError(`${file}: is a '${o.kind}' result; this command reads run and micro results`);
  throw new ConfigError(`${file}: kind ${JSON.stringify(o.kind ?? null)} is not a durabench result (expected "run" or "micro")`);
}

function validateRun(o: { [k: string]: Json }, v: Validator): RunResult {
  const tool = v.object(o.tool, 'tool');
  v.string(tool.version, 'tool.version');
  const scenario = v.object(o.scenario, 'scenario');
  v.string(scenario.name, 'scenario.name');
  v.number(scenario.seed, 'scenario.seed');
  if (scenario.gates === undefined) scenario.gates = [];
  v.array(scenario.gates, 'scenario.gates').forEach((g, i) => v.string(g, `scenario.gates[${i}]`));
  if (scenario.targets === undefined) scenario.targets = [];
  // fields added after a result may have been written
  if (scenario.targetsIfPresent === undefined) scenario.targetsIfPresent = [];
  if (scenario.crashModel === undefined) scenario.crashModel = 'posix';
  // results from before --workers: one thread
  if (scenario.workers === undefined) scenario.workers = 1;
  if (scenario.modes === undefined) scenario.modes = [];
  const trials = v.array(o.trials, 'trials');
  trials.forEach((t, i) => validateTrial(t, `trials[${i}]`, v));
  // Results written before faults became an axis carry `fault: "<kind>"`: read it as `faults`.
  if (scenario.faults !== undefined && scenario.fault !== undefined) {
    v.fail('scenario', 'has both "faults" and the legacy "fault"');
  }
  if (scenario.fault !== undefined) {
    scenario.faults = [v.oneOf(scenario.fault, FAULTS, 'scenario.fault')];
    delete scenario.fault;
  }
  if (scenario.faults === undefined) {
    scenario.faults = [...new Set(trials.map((t) => (t as { fault: string }).fault))];
  }
  v.array(scenario.faults, 'scenario.faults').forEach((f, i) => v.oneOf(f, FAULTS, `scenario.faults[${i}]`));
  if (o.sanity === undefined) o.sanity = [];
  v.array(o.sanity, 'sanity').forEach((s, i) => {
    const so = v.object(s, `sanity[${i}]`);
    v.string(so.target, `sanity[${i}].target`);
    v.string(so.mode, `sanity[${i}].mode`);
    v.string(so.check, `sanity[${i}].check`);
    if (typeof so.ok !== 'boolean') v.fail(`sanity[${i}].ok`, 'must be true or false');
  });
  if (o.environment === undefined) {
    o.environment = { node: '?', os: '?', cpu: '?', cores: 0, memoryBytes: 0, targetVersions: {} };
  }
  const env = v.object(o.environment, 'environment');
  if (env.targetVersions === undefined) env.targetVersions = {};
  if (o.startedAt === undefined) o.startedAt = '';
  if (o.wallMs === undefined) o.wallMs = 0;
  if (o.shard !== undefined) {
    const sh = v.object(o.shard, 'shard');
    const count = v.number(sh.count, 'shard.count');
    const index = v.number(sh.index, 'shard.index');
    if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 1 || index > count) {
      v.fail('shard', `must be {index, count} with 1 ≤ index ≤ count (got ${index}/${count})`);
    }
  }
  const result = o as unknown as RunResult;
  if (o.summary === undefined) result.summary = summarize(result.trials);
  else v.array(o.summary, 'summary');
  result.sanity = result.sanity as SanityVerdict[];
  return result;
}

const NULLABLE_NUMBERS = [
  'recoveryMs', 'loadMs', 'keysRecovered', 'loadKeysPerSec', 'loadMBPerSec', 'bytesPerKey', 'spaceAmplification',
  'forkUsec', 'cowBytes', 'snapshotMaxLatencyMs', 'p50Ms', 'p99Ms', 'p999Ms', 'maxMs',
  'sendLagP99Ms', 'sendLagMaxMs', 'serviceP99Ms', 'serviceMaxMs', 'unsentDue', 'readThroughputOps', 'readP99Ms', 'staleReads', 'partialTx',
  'bytesWritten', 'bytesWrittenPerWrite', 'writeAmplification',
] as const satisfies ReadonlyArray<keyof TrialResult>;
const NUMBERS = [
  'trial', 'seed', 'attempted', 'acked', 'failed', 'inFlight', 'lost', 'recovered', 'unexpected', 'duplicated',
  'reordered', 'lossPct', 'lossWindowMs', 'rdbBytes', 'aofBytes', 'diskBytes', 'throughputOps', 'writeMs',
] as const satisfies ReadonlyArray<keyof TrialResult>;

function validateTrial(t: Json, at: string, v: Validator): void {
  const o = v.object(t, at);
  if (!isTargetKind(o.target)) v.fail(`${at}.target`, `must be one of ${TARGETS.join(', ')} or external:<name> (got ${JSON.stringify(o.target)})`);
  v.oneOf(o.mode, MODES, `${at}.mode`);
  v.oneOf(o.fault, FAULTS, `${at}.fault`);
  if (o.error !== null && typeof o.error !== 'string') v.fail(`${at}.error`, 'must be a string or null');
  if (o.flags === undefined) o.flags = [];
  v.array(o.flags, `${at}.flags`);
  for (const k of NUMBERS) {
    // A crashed trial may not have measured anything; absent counts as 0 only then.
    if (o[k] === undefined && o.error !== null) o[k] = 0;
    // null (a NaN that renderJson turned into null) reads as "not measured"; trial/seed never.
    if (o[k] === null && k !== 'trial' && k !== 'seed') continue;
    v.number(o[k], `${at}.${k}`);
  }
  for (const k of NULLABLE_NUMBERS) {
    if (o[k] === undefined) o[k] = null;
    if (o[k] !== null) v.number(o[k], `${at}.${k}`);
  }
  // results written before faults beyond a kill carry none of these
  if (o.outcome === undefined) o.outcome = null;
  if (o.outcome !== null) v.oneOf(o.outcome, OUTCOMES, `${at}.outcome`);
  if (o.outcomeDetail === undefined) o.outcomeDetail = null;
  if (o.outcomeDetail !== null && typeof o.outcomeDetail !== 'string') v.fail(`${at}.outcomeDetail`, 'must be a string or null');
  if (o.traced === undefined) o.traced = false;
  if (typeof o.traced !== 'boolean') v.fail(`${at}.traced`, 'must be true or false');
  if (o.faultDetail === undefined) o.faultDetail = null;
  if (o.faultDetail !== null) v.object(o.faultDetail, `${at}.faultDetail`);
  // results written before timelines were recorded carry none
  if (o.timeline === undefined) o.timeline = null;
  if (o.timeline !== null) validateTimeline(o.timeline, `${at}.timeline`, v);
}

function validateMicro(o: { [k: string]: Json }, v: Validator): MicroResult {
  const tool = v.object(o.tool, 'tool');
  v.string(tool.version, 'tool.version');
  if (o.environment === undefined) o.environment = { node: '?', os: '?', cpu: '?', cores: 0, memoryBytes: 0 };
  v.object(o.environment, 'environment');
  if (o.startedAt === undefined) o.startedAt = '';
  if (o.timeMs === undefined) o.timeMs = 0;
  const seen = new Set<string>();
  v.array(o.benchmarks, 'benchmarks').forEach((b, i) => {
    const at = `benchmarks[${i}]`;
    const bo = v.object(b, at);
    const name = v.string(bo.name, `${at}.name`);
    if (seen.has(name)) v.fail(`${at}.name`, `duplicate benchmark name '${name}'`);
    seen.add(name);
    for (const k of ['opsPerSec', 'meanMs', 'p99Ms', 'rme', 'samples'] as const satisfies ReadonlyArray<keyof MicroBenchmark>) {
      v.number(bo[k], `${at}.${k}`);
    }
    if (bo.medianMs === undefined) bo.medianMs = bo.meanMs!;
    v.number(bo.medianMs, `${at}.medianMs`);
  });
  return o as unknown as MicroResult;
}
