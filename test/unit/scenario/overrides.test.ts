import { describe, expect, it } from 'vitest';
import { applyOverrides, parseDurationMs, validateScenario } from '../../../src/scenario/index.js';
import { UsageError } from '../../../src/shared/errors.js';

const base = validateScenario({ durationMs: 4000, killWindowMs: [1000, 3000] }, 'base.json');

describe('applyOverrides', () => {
  it('applies flags over the file', () => {
    const s = applyOverrides(base, {
      target: 'builtin,redis',
      modes: 'none, aof-always',
      trials: 5,
      seed: 9,
      workload: 'list-append',
      clients: 4,
      pipeline: 8,
      rate: 1000,
      valueSize: 64,
      keys: 10,
      preload: 100,
      fault: 'sigterm',
    });
    expect(s.faults).toEqual(['sigterm']);
    expect(s).toMatchObject({
      targets: ['builtin', 'redis'],
      modes: ['none', 'aof-always'],
      trials: 5,
      seed: 9,
      workload: 'list-append',
      clients: 4,
      pipeline: 8,
      rate: 1000,
      valueSize: 64,
      keys: 10,
      preload: 100,
    });
    expect(base.trials).toBe(3); // not mutated
  });

  it('--fault takes a comma list (repeats dropped), like --modes', () => {
    expect(applyOverrides(base, { fault: 'sigkill,sigterm' }).faults).toEqual(['sigkill', 'sigterm']);
    expect(applyOverrides(base, { fault: ['sigterm', 'sigkill-during-bgsave, sigterm'] }).faults).toEqual([
      'sigterm',
      'sigkill-during-bgsave',
    ]);
    expect(base.faults).toEqual(['sigkill']);
    expect(() => applyOverrides(base, { fault: 'sigkill,sigkil' })).toThrow(/^--fault has "sigkil", not one of sigkill, /);
    expect(() => applyOverrides(base, { fault: ',' })).toThrow(/^--fault must be a non-empty array of faults/);
  });

  it('--workers: a count or auto, checked like the file\'s field', () => {
    expect(base.workers).toBe('auto');
    expect(applyOverrides(base, { workers: '3' }).workers).toBe(3);
    expect(applyOverrides(base, { workers: 'auto' }).workers).toBe('auto');
    expect(() => applyOverrides(base, { workers: '0' })).toThrow(/^--workers must be "auto" or an integer from 1 to 64 \(got 0\)/);
    expect(() => applyOverrides(base, { workers: 'many' })).toThrow(/^--workers must be "auto" or an integer from 1 to 64/);
    expect(() => validateScenario({ workers: 2.5 }, 'w.json')).toThrow(/workers/);
  });

  it('scales the kill window with --duration', () => {
    const s = applyOverrides(base, { duration: '2s' });
    expect(s.durationMs).toBe(2000);
    expect(s.killWindowMs).toEqual([500, 1500]);
  });

  it('--snapshot-encoder: auto by default, one of auto, thread, main', () => {
    expect(base.snapshotEncoder).toBe('auto');
    expect(applyOverrides(base, { snapshotEncoder: 'main' }).snapshotEncoder).toBe('main');
    expect(() => applyOverrides(base, { snapshotEncoder: 'gpu' })).toThrow(/^--snapshot-encoder must be one of auto, thread, main/);
  });

  it('names the flag that is wrong', () => {
    expect(() => applyOverrides(base, { modes: 'none,fast' })).toThrow(UsageError);
    expect(() => applyOverrides(base, { modes: 'none,fast' })).toThrow(/^--modes has "fast", not one of/);
    expect(() => applyOverrides(base, { trials: Number.NaN })).toThrow(/^--trials must be an integer/);
    expect(() => applyOverrides(base, { valueSize: 0 })).toThrow(/^--value-size must be an integer/);
    expect(() => applyOverrides(base, { duration: 'soon' })).toThrow(/^--duration must be a time like 10s/);
    expect(() => applyOverrides(base, { target: 'memcached' })).toThrow(/^--target has "memcached"/);
  });

  it('parseDurationMs', () => {
    expect(parseDurationMs('10s')).toBe(10_000);
    expect(parseDurationMs('1500ms')).toBe(1500);
    expect(parseDurationMs('2m')).toBe(120_000);
    expect(parseDurationMs('3')).toBe(3000);
    expect(parseDurationMs(1.5)).toBe(1500);
    expect(parseDurationMs('x')).toBeNull();
  });
});

describe('--duration out of range speaks the unit it was given in', () => {
  it.each([
    ['6000', '--duration 6000 s is more than the 3600 s allowed'],
    [6000, '--duration 6000 s is more than the 3600 s allowed'],
    ['90m', '--duration 90 m is more than the 60 m allowed'],
    ['4000000ms', '--duration 4000000 ms is more than the 3600000 ms allowed'],
    ['50ms', '--duration 50 ms is less than the 100 ms allowed'],
    ['0.05', '--duration 0.05 s is less than the 0.1 s allowed'],
  ])('%j', (duration, msg) => {
    expect(() => applyOverrides(base, { duration })).toThrow(msg);
  });
});
