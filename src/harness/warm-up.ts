/**
 * The load generator's warm-up, once per run before its first trial, as wrk2 calibrates
 * before it measures. The generator's code runs cold at first: V8 interprets it, then its
 * compiler threads optimize it, on the same cores as the server under test. Measured
 * (`durabench run quick --modes none --rate 15000 --workers 2 --trials 5`, 2 cores): send lag
 * p99 1.0–1.5 ms and the server's p99 13–115 ms in the first two trials of a process, against
 * 0.6–0.85 ms and 4–18 ms from the third on. So the warm-up drives the scenario's own load
 * (workload, clients, pipeline, rate, load threads, which are kept: load-worker-pool.ts)
 * against a throwaway built-in server in a temp dir, and throws everything away. The servers
 * under test still start cold in every trial: their start-up is part of what a trial measures.
 *
 * It drives that load twice, a short round then the full one (warmUpRoundsMs), each with a
 * driver of its own: after a single round, the first driver's halt had changed the shapes the
 * code was optimized for, and the first trial spent its first few hundred ms recompiling its
 * driver's hot loop (pump, next, the reply callback: 38–43 ms of compiler-thread time each)
 * on the cores the server needs (`node --trace-opt --trace-deopt`).
 * That was the ramp every target showed in a run's first trial: `durabench run quick --target
 * redis --modes none --preload 100000 --rate 20000 --duration 3s --trials 2`, p99 of the first
 * trial's first 300 ms 14–29 ms against 3.8–7.8 in the second (eight runs). With the short
 * round first, the full one compiles on the final shapes: 3.9–7.7 against 3.2–8.5 (eight runs
 * interleaved with those), for 0.2 s more per run.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Scenario } from '../shared/types.js';
import { registerTempDir } from './targets/children.js';
import { targets } from './targets/index.js';
import { freePort } from './targets/ports.js';
import type { TargetHandle } from './targets/target.js';
import { connectLoad, scenarioLoad, WARM_UP_MS, warmUpRoundsMs, type LoadDriver } from './workload/load-driver.js';
import { createWorkload } from './workload/generators.js';
import { Ledger } from './workload/ledger.js';
import { withTimeout } from './with-timeout.js';

/** Runs the warm-up; false if it could not (the run goes on cold: the trials will show it as send lag). */
export async function warmUpLoad(scenario: Scenario, tmpRoot = os.tmpdir()): Promise<boolean> {
  let dir: string | null = null;
  let unregister = (): void => undefined;
  let handle: TargetHandle | null = null;
  try {
    dir = await fs.mkdtemp(path.join(tmpRoot, 'durabench-warm-up-'));
    // removed on Ctrl-C, SIGHUP or by the reaper after a kill -9, as a trial's dir is
    unregister = registerTempDir(dir);
    handle = await targets.builtin.start({ port: await freePort(), dir, mode: 'none', savePoints: '', logFile: path.join(dir, 'server.log') });
    for (const ms of warmUpRoundsMs(Math.min(WARM_UP_MS, scenario.durationMs))) await driveFor(handle.port, scenario, ms);
    return true;
  } catch {
    return false;
  } finally {
    if (handle !== null) {
      if (handle.alive) handle.kill('SIGKILL');
      await handle.exited;
    }
    if (dir !== null) await fs.rm(dir, { recursive: true, force: true });
    unregister();
  }
}

/** One round: a fresh driver and ledger, as a trial makes them, started, halted and finished. */
async function driveFor(port: number, scenario: Scenario, ms: number): Promise<void> {
  const workload = createWorkload(scenario.workload, { seed: scenario.seed, keys: scenario.keys, valueSize: scenario.valueSize, preload: 0 });
  const ledger = new Ledger(workload.ledgerOptions);
  let d: LoadDriver | null = await connectLoad({ port, ...scenarioLoad(scenario), workload, ledger });
  try {
    d.start();
    await new Promise((r) => setTimeout(r, ms));
    d.halt();
    await withTimeout(d.settled(), 5000, 'the warm-up load settling');
    await d.finish();
    d = null;
  } finally {
    d?.close();
  }
}
