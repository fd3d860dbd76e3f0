import { describe, expect, it } from 'vitest';
import { threadRunMs, threadSchedMs } from '../../../src/bench/proc-stat.js';

describe.runIf(process.platform === 'linux')('threadSchedMs', () => {
  it("counts this thread's CPU time as it spins, and gives null for a process that does not exist", () => {
    const a = threadSchedMs(process.pid)!;
    const until = performance.now() + 40;
    while (performance.now() < until);
    const b = threadSchedMs(process.pid)!;
    expect(b.runMs - a.runMs).toBeGreaterThan(20);
    expect(b.waitMs).toBeGreaterThanOrEqual(a.waitMs);
    expect(threadRunMs(process.pid)).toBeGreaterThanOrEqual(b.runMs);
    expect(threadSchedMs(2 ** 22 + 17)).toBeNull();
  });
});
