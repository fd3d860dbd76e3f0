/** The slow-fsync fault's plan and tracer arguments, without strace (its run: test/integration/fault-slow-fsync.test.ts). */
import { describe, expect, it } from 'vitest';
import { SLOW_FSYNC_MS, straceDelayArgs, slowFsync } from '../../../src/harness/faults/slow-fsync.js';
import { Rng } from '../../../src/shared/prng.js';
import { validateScenario } from '../../../src/scenario/index.js';

describe('slow-fsync plan', () => {
  it('holds every fsync and fdatasync of every thread and child, and stops on nothing else', () => {
    const args = straceDelayArgs(SLOW_FSYNC_MS);
    expect(args).toEqual(expect.arrayContaining(['-f', '--seccomp-bpf', 'trace=fsync,fdatasync', `inject=fsync,fdatasync:delay_enter=${SLOW_FSYNC_MS * 1000}`]));
    expect(args.slice(args.indexOf('-o'), args.indexOf('-o') + 2)).toEqual(['-o', '/dev/null']);
    expect(args.at(-1)).toBe('--');
  });

  it('plans a seeded kill time in the kill window, the same for the same seed', () => {
    const scenario = validateScenario({ name: 's', killWindowMs: [1500, 2500], fault: 'slow-fsync' }, 'test');
    const a = slowFsync.plan(new Rng(5), scenario);
    expect(a).toEqual(slowFsync.plan(new Rng(5), scenario));
    expect(a.atMs).toBeGreaterThanOrEqual(1500);
    expect(a.atMs).toBeLessThanOrEqual(2500);
    expect(a.params).toEqual({ delayMs: SLOW_FSYNC_MS });
    expect(slowFsync.describe(a)).toMatch(/held 500 ms; SIGKILL half-way/);
  });
});
