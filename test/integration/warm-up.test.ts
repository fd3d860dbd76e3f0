/**
 * The load generator's warm-up (warm-up.ts): it drives the scenario's load against a
 * throwaway built-in server, then leaves nothing behind (no server, no temp dir, no thread
 * lent out), and its threads stay in the pool for the trials.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { liveChildren } from '../../src/harness/targets/children.js';
import { warmUpLoad } from '../../src/harness/warm-up.js';
import { idleLoadWorkers, liveLoadWorkers } from '../../src/harness/workload/load-worker-pool.js';
import { validateScenario } from '../../src/scenario/index.js';

afterAll(() => {
  expect(liveChildren()).toEqual([]);
  expect(liveLoadWorkers()).toBe(0);
});

it('warms up on 2 load threads, keeps them, and leaves no server or temp dir', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'durabench-warm-test-'));
  try {
    const scenario = validateScenario(
      { name: 'warm', targets: ['builtin'], modes: ['none'], trials: 1, durationMs: 300, clients: 4, valueSize: 40, keys: 50, rate: 2000, workers: 2 },
      'test',
    );
    expect(await warmUpLoad(scenario, root)).toBe(true);
    expect(liveChildren()).toEqual([]);
    expect(liveLoadWorkers()).toBe(0);
    expect(idleLoadWorkers()).toBe(2);
    expect(await fs.readdir(root)).toEqual([]);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

it('a warm-up it cannot run (a temp root that does not exist) answers false and leaves nothing', async () => {
  const scenario = validateScenario({ name: 'warm', targets: ['builtin'], modes: ['none'], trials: 1, durationMs: 300 }, 'test');
  expect(await warmUpLoad(scenario, '/nonexistent/durabench-root')).toBe(false);
  expect(liveChildren()).toEqual([]);
});
