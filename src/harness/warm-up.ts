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
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Scenario } from '../shared/types.js';
import { registerTempDir } from './targets/children.js';
import { targets } from './targets/index.js';
import { freePort } from './targets/ports.js';
import type { TargetHandle } from './targets/target.js';
import { connectLoad, scenarioLoad, type LoadDriver } from './workload/load-driver.js';
import { createWorkload } from './workload/generators.js';
import { Ledger } from './workload/ledger.js';
import { withTimeout } from './with-timeout.js';

/** At most this long; a shorter write phase warms for its own length. */
export const WARM_UP_MS = 1000;

/** Runs the warm-up; false if it could not (the run goes on cold: the trials will show it as send lag). */
export async function warmUpLoad(scenario: Scenario, tmpRoot = os.tmpdir()): Promise<boolean> {
  let dir: string | null = null;
  let unregister = (): void => undefined;
  let handle: TargetHandle | null = null;
  let d: LoadDriver | null = null;
  try {
    dir = await fs.mkdtemp(path.join(tmpRoot, 'durabench-warm-up-'));
    // removed on Ctrl-C, SIGHUP or by the reaper after a kill -9, as a trial's dir is
    unregister = registerTempDir(dir);
    handle = await targets.builtin.start({ port: await freePort(), dir, mode: 'none', savePoints: '', logFile: path.join(dir, 'server.log') });
    const workload = createWorkload(scenario.workload, { seed: scenario.seed, keys: scenario.keys, valueSize: scenario.valueSize, preload: 0 });
    const ledger = new Ledger(workload.ledgerOptions);
    d = await connectLoad({ port: handle.port, ...scenarioLoad(scenario), workload, ledger });
    d.start();
    await new Promise((r) => setTimeout(r, Math.min(WARM_UP_MS, scenario.durationMs)));
    d.halt();
    await withTimeout(d.settled(), 5000, 'the warm-up load settling');
    await d.finish();
    d = null;
    return true;
  } catch {
    return false;
  } finally {
    d?.close();
    if (handle !== null) {
      if (handle.alive) handle.kill('SIGKILL');
      await handle.exited;
    }
    if (dir !== null) await fs.rm(dir, { recursive: true, force: true });
    unregister();
  }
}
