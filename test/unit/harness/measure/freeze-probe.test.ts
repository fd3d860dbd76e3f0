import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeFreezes, startFreezeProbe } from '../../../../src/harness/measure/freeze-probe.js';

describe('freeze probe', () => {
  it('sees the whole process stopped (SIGSTOP … SIGCONT from outside) as one late wake-up of about that length', async () => {
    const probe = await startFreezeProbe({ periodMs: 1 });
    await new Promise((r) => setTimeout(r, 50));
    // stops every thread of this process, the probe's too: what a VM's host descheduling its vCPUs does to all of them
    const stopper = spawn('/bin/sh', ['-c', `kill -STOP ${process.pid}; sleep 0.2; kill -CONT ${process.pid}`], { stdio: 'ignore' });
    await new Promise((r) => stopper.once('exit', r));
    await new Promise((r) => setTimeout(r, 50));
    const r = await probe.stop();
    expect(r.wakeups).toBeGreaterThan(20);
    const longest = Math.max(...r.freezes.map((f) => f.lateMs));
    expect(longest).toBeGreaterThan(150);
    expect(longest).toBeLessThan(2000);
    const f = r.freezes.find((x) => x.lateMs === longest)!;
    expect(Math.abs(f.atMs - Date.now())).toBeLessThan(5000);
    expect([0, -20]).toContain(r.nice);
  });

  it('describes freezes over a threshold, and says when it could not get nice -20', () => {
    const freezes = [
      { atMs: 1, lateMs: 6 },
      { atMs: 2, lateMs: 12.5 },
      { atMs: 3, lateMs: 101.25 },
    ];
    expect(describeFreezes({ nice: -20, wakeups: 1000, freezes })).toBe(
      '2 over 10 ms, longest 101.3 ms, 114 ms in all (a sleeper thread at nice -20, 1000 wake-ups)',
    );
    expect(describeFreezes({ nice: 0, wakeups: 5, freezes: [] })).toMatch(/^0 over 10 ms, longest 0\.0 ms, 0 ms in all \(.*nice 0 \(not root: CPU contention makes it late too\)/);
  });
});
