/**
 * validateScenario: an object read from a scenario file → a Scenario, or a ConfigError that
 * names the file, the field and what is wrong. Unknown fields are rejected (with a
 * did-you-mean); absent fields take the defaults; the name defaults to the file's name.
 * The legacy `"fault": "<kind>"` reads as `"faults": ["<kind>"]`; giving both is an error.
 */
import path from 'node:path';
import { ConfigError } from '../shared/errors.js';
import type { Scenario } from '../shared/types.js';
import { DEFAULT_SCENARIO, FIELD_NAMES, FIELDS, LEGACY_FIELDS } from './schema.js';

export function showValue(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
  return d[a.length]![b.length]!;
}

export function suggest(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(word, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

function defaultName(file: string): string {
  const base = path.basename(file).replace(/\.json$/i, '').replace(/[^A-Za-z0-9._-]/g, '-');
  return /^[A-Za-z0-9]/.test(base) ? base.slice(0, 64) : DEFAULT_SCENARIO.name;
}

export function validateScenario(obj: unknown, file: string): Scenario {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new ConfigError(`${file}: a scenario must be a JSON object, got ${Array.isArray(obj) ? 'an array' : showValue(obj)}`);
  }
  const input = obj as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!(FIELD_NAMES as string[]).includes(key) && !Object.hasOwn(LEGACY_FIELDS, key)) {
      const hint = suggest(key, FIELD_NAMES);
      throw new ConfigError(`${file}: unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; known fields: ${FIELD_NAMES.join(', ')}`);
    }
  }
  const out: Record<string, unknown> = { ...structuredClone(DEFAULT_SCENARIO), name: defaultName(file) };
  for (const key of FIELD_NAMES) {
    if (!(key in input)) continue;
    const v = input[key];
    const problem = FIELDS[key](v);
    if (problem) throw new ConfigError(`${file}: field "${key}" ${problem} (got ${showValue(v)})`);
    out[key] = structuredClone(v);
  }
  if ('fault' in input) {
    if ('faults' in input) {
      throw new ConfigError(`${file}: give either "faults" (a list) or the legacy "fault", not both`);
    }
    const problem = LEGACY_FIELDS.fault(input.fault);
    if (problem) throw new ConfigError(`${file}: field "fault" ${problem} (got ${showValue(input.fault)})`);
    out.faults = [input.fault];
  }
  const s = out as unknown as Scenario;
  s.savePoints = s.savePoints.trim().split(/\s+/).join(' ');
  return s;
}
