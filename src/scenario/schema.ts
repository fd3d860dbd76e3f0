/**
 * The scenario schema: defaults and one validator per field. A validator returns null when
 * the value is fine, else what is wrong ("must be an integer from 1 to 1000"). The record is
 * checked by the compiler to cover every Scenario field.
 */
import { parseGate } from '../shared/gate-parse.js';
import { CRASH_MODELS, EXTERNAL_PREFIX, FAULTS, MODES, SNAPSHOT_ENCODERS, SNAPSHOT_STRATEGIES, TARGETS, WORKLOADS, type Scenario } from '../shared/types.js';
import { validateExternalTarget } from './external-target.js';
import { MAX_WORKERS } from '../shared/load-workers.js';

export const DEFAULT_SCENARIO: Scenario = {
  name: 'scenario',
  description: '',
  targets: ['builtin'],
  targetsIfPresent: [],
  modes: [...MODES],
  trials: 3,
  seed: 1,
  durationMs: 4000,
  workload: 'unique-set',
  clients: 16,
  pipeline: 1,
  workers: 'auto',
  rate: 0,
  valueSize: 100,
  keys: 10_000,
  preload: 0,
  faults: ['sigkill'],
  killWindowMs: [1500, 3500],
  savePoints: '1 1000',
  snapshotStrategy: 'cow',
  snapshotEncoder: 'auto',
  crashModel: 'posix',
  gates: [],
};

export type FieldValidator = (v: unknown) => string | null;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export function intIn(min: number, max: number): FieldValidator {
  return (v) => (isInt(v) && v >= min && v <= max ? null : `must be an integer from ${min} to ${max}`);
}

export function numberIn(min: number, max: number): FieldValidator {
  return (v) => (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? null : `must be a number from ${min} to ${max}`);
}

export function oneOf(values: readonly string[]): FieldValidator {
  return (v) => (typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}`);
}

export function listOf(values: readonly string[], what: string): FieldValidator {
  return (v) => {
    if (!Array.isArray(v) || v.length === 0) return `must be a non-empty array of ${what} (${values.join(', ')})`;
    for (const x of v) if (typeof x !== 'string' || !values.includes(x)) return `has ${JSON.stringify(x)}, not one of ${values.join(', ')}`;
    if (new Set(v).size !== v.length) return 'lists the same entry twice';
    return null;
  };
}

/** builtin, redis, or external:<file or name> (files are read when the scenario is loaded) */
export function targetList(v: unknown): string | null {
  const known = `${TARGETS.join(', ')} or ${EXTERNAL_PREFIX}<file>`;
  if (!Array.isArray(v) || v.length === 0) return `must be a non-empty array of targets (${known})`;
  for (const x of v) {
    const ok = typeof x === 'string' && ((TARGETS as readonly string[]).includes(x) || (x.startsWith(EXTERNAL_PREFIX) && x.length > EXTERNAL_PREFIX.length));
    if (!ok) return `has ${JSON.stringify(x)}, not one of ${known}`;
  }
  if (new Set(v).size !== v.length) return 'lists the same entry twice';
  return null;
}

export function validSavePoints(v: unknown): string | null {
  if (typeof v !== 'string') return 'must be a string of "<seconds> <changes>" pairs, e.g. "1 1000 5 100"';
  const parts = v.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0 || parts.length % 2 !== 0 || !parts.every((p) => /^\d+$/.test(p)))
    return 'must be "<seconds> <changes>" pairs of integers, e.g. "1 1000 5 100"';
  return null;
}

const MAX_MS = 3_600_000;

export const FIELDS = {
  name: (v) => (typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(v) ? null : 'must be 1–64 letters, digits, ".", "_" or "-" (it names the result files)'),
  description: (v) => (typeof v === 'string' ? null : 'must be a string'),
  targets: targetList,
  targetsIfPresent: (v) => (Array.isArray(v) && v.length === 0 ? null : targetList(v)),
  modes: listOf(MODES, 'modes'),
  trials: intIn(1, 1000),
  seed: intIn(0, 2 ** 32 - 1),
  durationMs: intIn(100, MAX_MS),
  workload: oneOf(WORKLOADS),
  clients: intIn(1, 1000),
  pipeline: intIn(1, 10_000),
  workers: (v) => (v === 'auto' || intIn(1, MAX_WORKERS)(v) === null ? null : `must be "auto" or an integer from 1 to ${MAX_WORKERS}`),
  rate: numberIn(0, 100_000_000),
  valueSize: intIn(1, 16 * 1024 * 1024),
  keys: intIn(1, 100_000_000),
  preload: intIn(0, 100_000_000),
  faults: listOf(FAULTS, 'faults'),
  killWindowMs: (v) => {
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => isInt(x) && x >= 0 && x <= MAX_MS))
      return `must be [min, max]: two integers from 0 to ${MAX_MS} (ms after the write phase starts)`;
    return v[0] <= v[1] ? null : 'must have min <= max';
  },
  savePoints: validSavePoints,
  snapshotStrategy: oneOf(SNAPSHOT_STRATEGIES),
  snapshotEncoder: oneOf(SNAPSHOT_ENCODERS),
  crashModel: oneOf(CRASH_MODELS),
  gates: (v) => {
    if (!Array.isArray(v) || !v.every((g) => typeof g === 'string' && g.trim() !== '')) return 'must be an array of non-empty strings';
    // Parse every gate now: a bad expression is a config error before anything runs.
    for (const g of v) {
      try {
        parseGate(g);
      } catch (e) {
        return (e as Error).message;
      }
    }
    return null;
  },
  externalTargets: (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be an object: external target name → its description';
    for (const [name, spec] of Object.entries(v)) {
      try {
        const s = validateExternalTarget(spec, `externalTargets.${name}`);
        if (s.name !== name) return `has "${name}" describing a target named "${s.name}"`;
      } catch (e) {
        return (e as Error).message;
      }
    }
    return null;
  },
  baseline: (v) => (typeof v === 'string' && v.trim() !== '' && v.endsWith('.json') ? null : 'must be the path of a run result .json'),
} satisfies Record<keyof Scenario, FieldValidator>;

export const FIELD_NAMES = Object.keys(FIELDS) as (keyof Scenario)[];

/** Fields a scenario file may still carry from before they were renamed: old name → check. */
export const LEGACY_FIELDS = {
  /** `"fault": "sigkill"` means `"faults": ["sigkill"]` */
  fault: oneOf(FAULTS),
} as const satisfies Record<string, FieldValidator>;
