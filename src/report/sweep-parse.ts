/**
 * Reads a saved `durabench sweep --json` result back (claims --from): every problem is a
 * ConfigError naming the file and the field.
 */
import { ConfigError } from '../shared/errors.js';
import type { SweepResult } from '../shared/sweep-result.js';
import { validateTimeline, Validator, type Json } from './validator.js';

const NULLABLE = ['forkUsec', 'snapshotMs', 'cowBytes', 'rdbBytes', 'aofBytes', 'rssBytes', 'snapshotWrites', 'sendLagMaxMs', 'fillMs'] as const;
const NESTED = [
  ['baseline', ['p99Ms', 'p999Ms', 'maxMs']],
  ['duringSnapshot', ['p99Ms', 'p999Ms', 'maxMs']],
  ['rdbLoad', ['recoveryMs', 'loadMs']],
  ['aofLoad', ['recoveryMs', 'loadMs']],
] as const;

/** A sweep result already parsed from JSON (its `kind` checked by the caller or here). */
export function validateSweep(data: Json, file: string): SweepResult {
  const v = new Validator(file);
  const o = v.object(data, '');
  if (o.schemaVersion !== 1) throw new ConfigError(`${file}: schemaVersion ${JSON.stringify(o.schemaVersion ?? null)} is not supported (expected 1)`);
  if (o.kind !== 'sweep') throw new ConfigError(`${file}: kind ${JSON.stringify(o.kind ?? null)} is not a sweep result`);
  v.object(o.tool, 'tool');
  v.object(o.environment, 'environment');
  v.number(o.seed, 'seed');
  v.array(o.points, 'points').forEach((p, i) => {
    const at = `points[${i}]`;
    const po = v.object(p, at);
    v.target(po.target, `${at}.target`);
    v.number(po.keys, `${at}.keys`);
    for (const k of NULLABLE) {
      if (po[k] === undefined) po[k] = null;
      if (po[k] !== null) v.number(po[k], `${at}.${k}`);
    }
    for (const [k, fields] of NESTED) {
      const n = v.object(po[k], `${at}.${k}`);
      for (const f of fields) if (n[f] !== null) v.number(n[f], `${at}.${k}.${f}`);
    }
    for (const k of ['skipped', 'error'] as const) {
      if (po[k] === undefined) po[k] = null;
      if (po[k] !== null) v.string(po[k], `${at}.${k}`);
    }
    if (po.timeline === undefined) po.timeline = null;
    if (po.timeline !== null) validateTimeline(po.timeline, `${at}.timeline`, v);
  });
  return o as unknown as SweepResult;
}

export function parseSweepResult(text: string, file: string): SweepResult {
  let data: Json;
  try {
    data = JSON.parse(text) as Json;
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return validateSweep(data, file);
}
