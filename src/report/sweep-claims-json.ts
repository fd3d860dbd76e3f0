import { CLAIM_IDS, VERDICTS, type ClaimsResult } from '../shared/claims.js';
import { ConfigError } from '../shared/errors.js';
import type { SweepResult } from '../shared/sweep-result.js';
import { TARGETS } from '../shared/types.js';

/**
 * Reading saved sweep and claims results back (`durabench report x.json --format html`):
 * enough checking that a renderer never meets a wrong shape, each problem one ConfigError
 * naming the file and the field. Missing figures are null in these results, never absent.
 */
export function parseSweepOrClaims(data: Record<string, unknown>, file: string): SweepResult | ClaimsResult {
  const v = new Check(file);
  v.object(data.tool, 'tool');
  v.object(data.environment, 'environment');
  if (data.kind === 'sweep') return sweep(data, v);
  return claims(data, v);
}

function sweep(o: Record<string, unknown>, v: Check): SweepResult {
  v.array(o.sizes, 'sizes').forEach((x, i) => v.number(x, `sizes[${i}]`));
  v.number(o.valueBytes, 'valueBytes');
  v.number(o.rate, 'rate');
  v.array(o.targets, 'targets');
  v.array(o.points, 'points').forEach((p, i) => {
    const at = `points[${i}]`;
    const po = v.object(p, at);
    v.oneOf(po.target, TARGETS, `${at}.target`);
    v.number(po.keys, `${at}.keys`);
    for (const k of ['forkUsec', 'snapshotMs', 'cowBytes', 'rdbBytes', 'aofBytes', 'rssBytes']) v.numberOrNull(po[k], `${at}.${k}`);
    for (const k of ['baseline', 'duringSnapshot']) {
      const lat = v.object(po[k], `${at}.${k}`);
      for (const s of ['p99Ms', 'p999Ms', 'maxMs']) v.numberOrNull(lat[s], `${at}.${k}.${s}`);
    }
    for (const k of ['rdbLoad', 'aofLoad']) {
      const load = v.object(po[k], `${at}.${k}`);
      for (const s of ['recoveryMs', 'loadMs']) v.numberOrNull(load[s], `${at}.${k}.${s}`);
    }
    if (po.timeline !== null) timeline(po.timeline, `${at}.timeline`, v);
    if (po.skipped !== null && typeof po.skipped !== 'string') v.fail(`${at}.skipped`, 'must be a string or null');
  });
  return o as unknown as SweepResult;
}

function claims(o: Record<string, unknown>, v: Check): ClaimsResult {
  v.array(o.claims, 'claims').forEach((c, i) => {
    const co = v.object(c, `claims[${i}]`);
    v.oneOf(co.id, CLAIM_IDS, `claims[${i}].id`);
    v.string(co.text, `claims[${i}].text`);
  });
  v.array(o.verdicts, 'verdicts').forEach((x, i) => {
    const at = `verdicts[${i}]`;
    const vo = v.object(x, at);
    v.oneOf(vo.id, CLAIM_IDS, `${at}.id`);
    v.oneOf(vo.target, TARGETS, `${at}.target`);
    v.oneOf(vo.verdict, VERDICTS, `${at}.verdict`);
    v.string(vo.rule, `${at}.rule`);
    v.string(vo.evidence, `${at}.evidence`);
    const figs = v.object(vo.figures, `${at}.figures`);
    for (const [k, f] of Object.entries(figs)) v.numberOrNull(f, `${at}.figures.${k}`);
  });
  if (o.sources === undefined) o.sources = [];
  v.array(o.sources, 'sources').forEach((s, i) => v.string(s, `sources[${i}]`));
  return o as unknown as ClaimsResult;
}

/** A Timeline (src/shared/timeline.ts), as the run and sweep results carry it. */
export function timeline(x: unknown, at: string, v: Check): void {
  const t = v.object(x, at);
  v.number(t.bucketMs, `${at}.bucketMs`);
  v.array(t.buckets, `${at}.buckets`).forEach((b, i) => {
    const bo = v.object(b, `${at}.buckets[${i}]`);
    v.number(bo.tMs, `${at}.buckets[${i}].tMs`);
    v.number(bo.ops, `${at}.buckets[${i}].ops`);
    v.numberOrNull(bo.p99Ms, `${at}.buckets[${i}].p99Ms`);
    v.numberOrNull(bo.maxMs, `${at}.buckets[${i}].maxMs`);
  });
  v.array(t.markers, `${at}.markers`).forEach((m, i) => {
    const mo = v.object(m, `${at}.markers[${i}]`);
    v.string(mo.kind, `${at}.markers[${i}].kind`);
    v.number(mo.tMs, `${at}.markers[${i}].tMs`);
    v.string(mo.label, `${at}.markers[${i}].label`);
  });
}

export class Check {
  constructor(private readonly file: string) {}

  fail(at: string, what: string): never {
    throw new ConfigError(`${this.file}: ${at} ${what}`);
  }

  object(x: unknown, at: string): Record<string, unknown> {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) this.fail(at, 'must be an object');
    return x as Record<string, unknown>;
  }

  array(x: unknown, at: string): unknown[] {
    if (!Array.isArray(x)) this.fail(at, 'must be an array');
    return x;
  }

  string(x: unknown, at: string): string {
    if (typeof x !== 'string') this.fail(at, 'must be a string');
    return x;
  }

  number(x: unknown, at: string): number {
    if (typeof x !== 'number' || !Number.isFinite(x)) this.fail(at, 'must be a number');
    return x;
  }

  numberOrNull(x: unknown, at: string): void {
    if (x !== null) this.number(x, at);
  }

  oneOf(x: unknown, allowed: readonly string[], at: string): string {
    if (typeof x !== 'string' || !allowed.includes(x)) this.fail(at, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(x ?? null)})`);
    return x;
  }
}
