import { ConfigError } from '../shared/errors.js';
import { MARKER_KINDS } from '../shared/timeline.js';
import { isTargetKind, TARGETS, type TargetKind } from '../shared/types.js';

/** What JSON.parse gives. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Checks for reading saved results back: each problem one ConfigError naming the file and the
 * field, so a renderer never meets a wrong shape. Shared by the run, sweep and claims readers.
 */
export class Validator {
  constructor(readonly file: string) {}

  fail(at: string, what: string): never {
    throw new ConfigError(`${this.file}: ${at || 'top level'} ${what}`);
  }

  object(x: Json | undefined, at: string): { [k: string]: Json } {
    if (x === null || x === undefined || typeof x !== 'object' || Array.isArray(x)) this.fail(at, 'must be an object');
    return x;
  }

  array(x: Json | undefined, at: string): Json[] {
    if (!Array.isArray(x)) this.fail(at, 'must be an array');
    return x;
  }

  string(x: Json | undefined, at: string): string {
    if (typeof x !== 'string') this.fail(at, 'must be a string');
    return x;
  }

  number(x: Json | undefined, at: string): number {
    if (typeof x !== 'number' || !Number.isFinite(x)) this.fail(at, 'must be a number');
    return x;
  }

  numberOrNull(x: Json | undefined, at: string): void {
    if (x !== null) this.number(x, at);
  }

  oneOf(x: Json | undefined, allowed: readonly string[], at: string): string {
    if (typeof x !== 'string' || !allowed.includes(x)) {
      this.fail(at, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(x ?? null)})`);
    }
    return x;
  }

  target(x: Json | undefined, at: string): TargetKind {
    if (!isTargetKind(x)) this.fail(at, `must be one of ${TARGETS.join(', ')} or external:<name> (got ${JSON.stringify(x ?? null)})`);
    return x;
  }
}

/** A Timeline (trials, sweep points): bucket figures numbers or null, markers of known kinds. */
export function validateTimeline(t: Json, at: string, v: Validator): void {
  const o = v.object(t, at);
  v.number(o.bucketMs, `${at}.bucketMs`);
  v.array(o.buckets, `${at}.buckets`).forEach((b, i) => {
    const bo = v.object(b, `${at}.buckets[${i}]`);
    v.number(bo.tMs, `${at}.buckets[${i}].tMs`);
    v.number(bo.ops, `${at}.buckets[${i}].ops`);
    v.numberOrNull(bo.p99Ms, `${at}.buckets[${i}].p99Ms`);
    v.numberOrNull(bo.maxMs, `${at}.buckets[${i}].maxMs`);
  });
  v.array(o.markers, `${at}.markers`).forEach((m, i) => {
    const mo = v.object(m, `${at}.markers[${i}]`);
    v.oneOf(mo.kind, MARKER_KINDS, `${at}.markers[${i}].kind`);
    v.number(mo.tMs, `${at}.markers[${i}].tMs`);
    v.string(mo.label, `${at}.markers[${i}].label`);
  });
}
