/**
 * applyOverrides: command-line flags on top of a scenario. Each flag is checked with the
 * same field validators as the file; a bad one is a UsageError naming the flag.
 * --duration takes 10s / 1500ms / 2m (a bare number is seconds) and scales the kill window
 * with it, so the kill stays at the same relative point of the write phase.
 */
import { UsageError } from '../shared/errors.js';
import type { Scenario } from '../shared/types.js';
import { resolveExternalTargets } from './external-target.js';
import { FIELDS } from './schema.js';
import { showValue } from './validate.js';

export interface ScenarioOverrides {
  target?: string | string[];
  modes?: string | string[];
  trials?: number;
  seed?: number;
  duration?: string | number;
  workload?: string;
  clients?: number;
  pipeline?: number;
  /** a count or "auto" */
  workers?: string | number;
  rate?: number;
  valueSize?: number;
  keys?: number;
  preload?: number;
  /** comma list, like --modes */
  fault?: string | string[];
  snapshotStrategy?: string;
  snapshotEncoder?: string;
  crashModel?: string;
}

export function parseDurationMs(v: string | number): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v * 1000) : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  return Math.round(unit === 'ms' ? n : unit === 'm' ? n * 60_000 : n * 1000);
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;
const MIN_DURATION_MS = 100;
const MAX_DURATION_MS = 3_600_000;

/** The unit the user wrote --duration in (a bare number is seconds). */
function durationUnit(v: string | number): keyof typeof UNIT_MS {
  const m = typeof v === 'string' ? /(ms|s|m)\s*$/i.exec(v) : null;
  return (m?.[1]?.toLowerCase() ?? 's') as keyof typeof UNIT_MS;
}

/** A duration limit in the user's unit when it is a round figure there, else in ms. */
function inUnit(ms: number, unit: keyof typeof UNIT_MS): string {
  const n = ms / UNIT_MS[unit];
  return Number.isInteger(n * 1000) ? `${n} ${unit}` : `${ms} ms`;
}

/** "--duration 6000 s is more than the 3600 s allowed", in the unit the user wrote; null when fine. */
export function durationProblem(v: string | number, ms: number): string | null {
  const unit = durationUnit(v);
  const given = `${String(v).trim().replace(/\s*(ms|s|m)$/i, '')} ${unit}`;
  if (ms > MAX_DURATION_MS) return `--duration ${given} is more than the ${inUnit(MAX_DURATION_MS, unit)} allowed`;
  if (ms < MIN_DURATION_MS) return `--duration ${given} is less than the ${inUnit(MIN_DURATION_MS, unit)} allowed`;
  return null;
}

function list(v: string | string[]): string[] {
  return (Array.isArray(v) ? v : [v])
    .flatMap((x) => String(x).split(','))
    .map((x) => x.trim())
    .filter(Boolean);
}

export function applyOverrides(scenario: Scenario, flags: ScenarioOverrides): Scenario {
  const s: Scenario = structuredClone(scenario);
  const set = <K extends keyof Scenario>(flag: string, field: K, value: unknown): void => {
    const problem = FIELDS[field](value);
    if (problem) throw new UsageError(`--${flag} ${problem} (got ${showValue(value)})`);
    s[field] = value as Scenario[K];
  };
  if (flags.target !== undefined) {
    // an explicit target list is the whole list
    set('target', 'targets', [...new Set(list(flags.target))]);
    s.targetsIfPresent = [];
    const r = resolveExternalTargets(s, [process.cwd()], '--target');
    s.targets = r.targets;
    if (r.externalTargets) s.externalTargets = r.externalTargets;
    else delete s.externalTargets;
  }
  if (flags.modes !== undefined) set('modes', 'modes', [...new Set(list(flags.modes))]);
  if (flags.trials !== undefined) set('trials', 'trials', flags.trials);
  if (flags.seed !== undefined) set('seed', 'seed', flags.seed);
  if (flags.workload !== undefined) set('workload', 'workload', flags.workload);
  if (flags.clients !== undefined) set('clients', 'clients', flags.clients);
  if (flags.pipeline !== undefined) set('pipeline', 'pipeline', flags.pipeline);
  if (flags.workers !== undefined) set('workers', 'workers', flags.workers === 'auto' ? 'auto' : Number.isNaN(Number(flags.workers)) || flags.workers === '' ? flags.workers : Number(flags.workers));
  if (flags.rate !== undefined) set('rate', 'rate', flags.rate);
  if (flags.valueSize !== undefined) set('value-size', 'valueSize', flags.valueSize);
  if (flags.keys !== undefined) set('keys', 'keys', flags.keys);
  if (flags.preload !== undefined) set('preload', 'preload', flags.preload);
  if (flags.fault !== undefined) set('fault', 'faults', [...new Set(list(flags.fault))]);
  if (flags.snapshotStrategy !== undefined) set('snapshot-strategy', 'snapshotStrategy', flags.snapshotStrategy);
  if (flags.snapshotEncoder !== undefined) set('snapshot-encoder', 'snapshotEncoder', flags.snapshotEncoder);
  if (flags.crashModel !== undefined) set('crash-model', 'crashModel', flags.crashModel);
  if (flags.duration !== undefined) {
    const ms = parseDurationMs(flags.duration);
    if (ms === null) throw new UsageError(`--duration must be a time like 10s, 1500ms or 2m (got ${showValue(flags.duration)})`);
    const problem = durationProblem(flags.duration, ms);
    if (problem) throw new UsageError(problem);
    const before = s.durationMs;
    set('duration', 'durationMs', ms);
    const scale = ms / before;
    s.killWindowMs = [Math.round(s.killWindowMs[0] * scale), Math.round(s.killWindowMs[1] * scale)];
  }
  return s;
}
