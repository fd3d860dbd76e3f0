import { describe, expect, it } from 'vitest';
import { threadRunMs, threadSchedMs } from '../../../src/bench/proc-stat.js';

/** Spins until the process has used `ms` of CPU by its own clock (getrusage), so a busy CI
 *  machine that hands this thread only part of the wall time cannot fail the count. */
function spinCpu(ms: number): void {
  const start = process.cpuUsage();
  const giveUp = performance.now() + 10_000;
  for (;;) {
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms || performance.now() > giveUp) return;
  }
}

describe.runIf(process.platform === 'linux')('threadSchedMs', () => {
  it("counts this thread's CPU time as it spins, and gives null for a process that does not exist", () => {
    const a = threadSchedMs(process.pid)!;
    spinCpu(40);
    const b = threadSchedMs(process.pid)!;
    // Nearly all of the process's 40 ms is this thread's spin; the margin is for V8's helpers.
    expect(b.runMs - a.runMs).toBeGreaterThan(20);
    expect(b.waitMs).toBeGreaterThanOrEqual(a.waitMs);
    expect(threadRunMs(process.pid)).toBeGreaterThanOrEqual(b.runMs);
    expect(threadSchedMs(2 ** 22 + 17)).toBeNull();
  });
});
