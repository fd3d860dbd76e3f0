/**
 * The load generator on 2 worker threads against the built-in server, every workload:
 *  - the merged ledger accounts for every op (acked + failed + in flight = attempted), its op
 *    numbers are exactly those the workers drew, and its acked count equals the shared live
 *    counter (two independent counts);
 *  - what the server holds, read back and judged by the workload's own checker, matches the
 *    merged ledger (nothing lost or unexpected on a live server; for `mixed`, no stale read,
 *    which needs the workers' clocks on the main thread's);
 *  - a trial run with 2 workers gives the same sanity verdicts as with 1;
 *  - threads are kept for the next run (warm) and a second run on them is as whole as the first;
 *  - no worker thread is left lent out, on the normal path or after close() mid-run.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../src/harness/check/index.js';
import { runScenario } from '../../src/harness/run.js';
import { liveChildren } from '../../src/harness/targets/children.js';
import { targets } from '../../src/harness/targets/index.js';
import { freePort } from '../../src/harness/targets/ports.js';
import { createWorkload } from '../../src/harness/workload/generators.js';
import { Ledger } from '../../src/harness/workload/ledger.js';
import { connectLoad } from '../../src/harness/workload/load-driver.js';
import { RespConnection } from '../../src/harness/workload/resp-connection.js';
import { idleLoadWorkers } from '../../src/harness/workload/load-worker-pool.js';
import { liveLoadWorkers, ThreadedDriver } from '../../src/harness/workload/threaded-driver.js';
import { validateScenario } from '../../src/scenario/index.js';
import { WORKLOADS, type WorkloadKind } from '../../src/shared/types.js';

afterAll(() => {
  expect(liveChildren()).toEqual([]);
  expect(liveLoadWorkers()).toBe(0);
});

async function withServer<T>(fn: (port: number) => Promise<T>): Promise<T> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'durabench-workers-'));
  const h = await targets.builtin.start({ port: await freePort(), dir: root, mode: 'none', savePoints: '', logFile: path.join(root, 'server.log') });
  try {
    return await fn(h.port);
  } finally {
    h.kill('SIGKILL');
    await h.exited;
    await fs.rm(root, { recursive: true, force: true });
  }
}

describe('2 load workers against the built-in server', () => {
  for (const kind of WORKLOADS as readonly WorkloadKind[]) {
    it(`${kind}: the merged ledger accounts for every op, and the checker agrees with the server`, async () => {
      await withServer(async (port) => {
        const workload = createWorkload(kind, { seed: 3, keys: 50, valueSize: 40, preload: 0 });
        const ledger = new Ledger(workload.ledgerOptions);
        const d = await connectLoad({ port, clients: 6, pipeline: 4, rate: 0, workload, ledger, workers: 2 });
        expect(d).toBeInstanceOf(ThreadedDriver);
        const t = d as ThreadedDriver;
        d.start();
        await new Promise((r) => setTimeout(r, 400));
        d.halt();
        await d.settled();
        // each worker counts its own slow writes (the pause fault's question) …
        const now = performance.now();
        const slowPerWorker = await d.slowWrites(1, now);
        await d.finish();
        // … and the merged ledger gives the same count
        expect(slowPerWorker).toBe(ledger.slowerThan(1, now));

        const c = ledger.counts();
        expect(c.acked + c.failed + c.inFlight).toBe(c.attempted);
        expect(c.attempted).toBe(t.nextOp); // every op number drawn is in the ledger, once
        expect(c.acked).toBe(d.acked); // the shared live counter, counted apart from the ledger
        expect(c.failed).toBe(0);
        expect(c.inFlight).toBe(0); // settled on a live server: everything answered
        expect(c.acked).toBeGreaterThan(50);
        expect(d.writesAtHalt).toBeLessThanOrEqual(c.acked);
        // both threads worked
        const hs = d.histograms();
        expect(hs).toHaveLength(2);
        for (const h of hs) expect(h.totalCount).toBeGreaterThan(0);
        expect(t.stopLagMs).not.toBeNull();

        const conn = await RespConnection.connect(port);
        try {
          const rb = await workload.readBack(conn, ledger);
          const verdict = check(kind, ledger, rb, performance.now());
          expect({ lost: verdict.lost, unexpected: verdict.unexpected, duplicated: verdict.duplicated, reordered: verdict.reordered }).toEqual({
            lost: 0,
            unexpected: 0,
            duplicated: 0,
            reordered: 0,
          });
          if (kind === 'mixed') {
            expect(d.readHistograms().reduce((n, h) => n + h.totalCount, 0)).toBeGreaterThan(0);
            expect(verdict.staleReads).toBe(0);
          }
          if (kind === 'unique-set') expect(rb.dbsize).toBe(c.attempted);
        } finally {
          conn.close();
        }
      });
    });
  }

  it('open loop: the rate is shared out, unsent ops and send lag come back from every worker', async () => {
    await withServer(async (port) => {
      const workload = createWorkload('unique-set', { seed: 4, keys: 1, valueSize: 40, preload: 0 });
      const ledger = new Ledger(workload.ledgerOptions);
      const d = await connectLoad({ port, clients: 4, pipeline: 1000, rate: 2000, workload, ledger, workers: 2 });
      const t0 = performance.now();
      d.start(t0);
      await new Promise((r) => setTimeout(r, 600));
      d.halt();
      await d.settled();
      await d.finish();
      const ms = d.haltedAt - t0;
      const c = ledger.counts();
      // 2000/s for ~0.6 s: the ops due were sent or counted unsent
      expect(c.attempted + d.unsentDue!).toBeGreaterThan(0.7 * 2 * ms);
      expect(c.attempted + d.unsentDue!).toBeLessThan(1.3 * 2 * ms + 10);
      expect(d.lagHistograms()).toHaveLength(2);
      // no op was sent (due) after the halt instant
      for (let i = 0; i < ledger.size; i++) expect(ledger.sendAt[i]!).toBeLessThanOrEqual(d.haltedAt);
    });
  });

  it('threads are kept between runs: the second run reuses them and its ledger is whole', async () => {
    await withServer(async (port) => {
      const workload = createWorkload('unique-set', { seed: 6, keys: 1, valueSize: 40, preload: 0 });
      const ledger = new Ledger(workload.ledgerOptions);
      const runOnce = async (): Promise<void> => {
        const d = await connectLoad({ port, clients: 4, pipeline: 4, rate: 0, workload, ledger, workers: 2 });
        expect(liveLoadWorkers()).toBe(2);
        d.start();
        await new Promise((r) => setTimeout(r, 200));
        d.halt();
        await d.settled();
        await d.finish();
        expect(liveLoadWorkers()).toBe(0);
      };
      await runOnce();
      const first = ledger.counts();
      expect(idleLoadWorkers()).toBeGreaterThanOrEqual(2);
      const idleBefore = idleLoadWorkers();
      await runOnce();
      // the same threads: none made, none lost
      expect(idleLoadWorkers()).toBe(idleBefore);
      // one ledger over both runs: op numbers continue, every op accounted for and on the server
      const c = ledger.counts();
      expect(c.attempted).toBeGreaterThan(first.attempted);
      expect(c.acked + c.failed + c.inFlight).toBe(c.attempted);
      const conn = await RespConnection.connect(port);
      try {
        const rb = await workload.readBack(conn, ledger);
        expect(rb.dbsize).toBe(c.attempted);
        const verdict = check('unique-set', ledger, rb, performance.now());
        expect({ lost: verdict.lost, unexpected: verdict.unexpected }).toEqual({ lost: 0, unexpected: 0 });
      } finally {
        conn.close();
      }
    });
  });

  it('close() mid-run ends the workers without collecting (error paths)', async () => {
    await withServer(async (port) => {
      const workload = createWorkload('overwrite', { seed: 5, keys: 10, valueSize: 40, preload: 0 });
      const d = await connectLoad({ port, clients: 4, pipeline: 2, rate: 0, workload, ledger: new Ledger(workload.ledgerOptions), workers: 2 });
      d.start();
      await new Promise((r) => setTimeout(r, 100));
      d.close();
      for (let i = 0; i < 100 && liveLoadWorkers() > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(liveLoadWorkers()).toBe(0);
    });
  });

  it('a refused connection: one error, no thread left', async () => {
    const workload = createWorkload('overwrite', { seed: 5, keys: 10, valueSize: 40, preload: 0 });
    const port = await freePort();
    await expect(connectLoad({ port, clients: 4, pipeline: 1, rate: 0, workload, ledger: new Ledger(workload.ledgerOptions), workers: 2 })).rejects.toThrow(/could not connect/);
    expect(liveLoadWorkers()).toBe(0);
  });
});

describe('trials with 2 workers: same sanity verdicts as with 1', () => {
  for (const kind of WORKLOADS as readonly WorkloadKind[]) {
    it(kind, async () => {
      const scenario = (workers: number) =>
        validateScenario(
          { name: 'it', targets: ['builtin'], modes: ['none', 'aof-always'], trials: 1, durationMs: 400, killWindowMs: [250, 350], clients: 6, valueSize: 40, keys: 50, workload: kind, workers },
          'integration',
        );
      const verdicts = (r: Awaited<ReturnType<typeof runScenario>>) => r.sanity.map((v) => `${v.mode} ${v.check}: ${v.ok ? 'ok' : v.detail}`);
      const one = await runScenario(scenario(1));
      const two = await runScenario(scenario(2));
      for (const t of two.trials) {
        expect(t.error, `${t.mode}`).toBeNull();
        expect(t.acked + t.failed + t.inFlight).toBe(t.attempted);
        expect(t.acked).toBeGreaterThan(0);
      }
      expect(verdicts(two)).toEqual(verdicts(one));
      for (const v of two.sanity) expect(v.ok, `${v.mode}: ${v.check} — ${v.detail}`).toBe(true);
    });
  }
});
