/**
 * One latency window: a steady open-loop write load (latency from the intended send time, so
 * a stall cannot hide by slowing the generator) for `ms`, optionally with a background save
 * or rewrite started `snapshot.atMs` in. With a snapshot the window lasts until INFO says it
 * finished, plus `snapshot.afterMs`, so the whole save is under load. Shared by `durabench
 * sweep` and the benches (latency, gc, load, wire), with the discarded windows before them.
 */
import { RunError } from '../../shared/errors.js';
import { connectLoad, warmUpRoundsMs, type LoadDriver } from '../workload/load-driver.js';
import { Ledger } from '../workload/ledger.js';
import { replyText, type RespConnection } from '../workload/resp-connection.js';
import { RespError } from '../workload/resp-reader.js';
import type { Workload } from '../workload/workload.js';
import { parseInfo } from './info.js';

export interface WindowOptions {
  port: number;
  /** a connection for BGSAVE and INFO polls, apart from the load's */
  admin: RespConnection;
  workload: Workload;
  /** total SET/s */
  rate: number;
  clients: number;
  /** window length without a snapshot (with one: at least this) */
  ms: number;
  snapshot?: {
    command: 'BGSAVE' | 'BGREWRITEAOF';
    atMs: number;
    afterMs: number;
    /** give up waiting for the save after this long */
    timeoutMs: number;
  };
  /** load worker threads (1: this thread) */
  workers?: number;
  /** INFO poll interval while the snapshot runs */
  pollMs?: number;
  /** requests a client may have in flight (default: so many it never waits behind a stall) */
  pipeline?: number;
}

export interface WindowResult {
  driver: LoadDriver;
  ledger: Ledger;
  /** performance.now() at the start and the halt */
  t0: number;
  end: number;
  /** the snapshot: command sent, first INFO that saw it over (null without one) */
  snapshot: { sentAt: number; doneAt: number; info: Record<string, string> } | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export async function openLoopWindow(o: WindowOptions): Promise<WindowResult> {
  const pollMs = o.pollMs ?? 10;
  const ledger = new Ledger({ ...o.workload.ledgerOptions, initialCapacity: Math.ceil(o.rate * (o.ms / 1000 + 2)) });
  // by default a deep pipeline: an open-loop client must never wait for a slot behind a stall
  const driver = await connectLoad({ port: o.port, clients: o.clients, pipeline: o.pipeline ?? 100_000, rate: o.rate, workload: o.workload, ledger, workers: o.workers ?? 1 });
  const t0 = performance.now();
  driver.start(t0);
  let snapshot: WindowResult['snapshot'] = null;
  let end = t0 + o.ms;
  try {
    if (o.snapshot) {
      const s = o.snapshot;
      const field = s.command === 'BGSAVE' ? 'rdb_bgsave_in_progress' : 'aof_rewrite_in_progress';
      await sleep(t0 + s.atMs - performance.now());
      const sentAt = performance.now();
      const r = await o.admin.send([s.command]);
      if (r instanceof RespError) throw new RunError(`${s.command} refused: ${r.message}`);
      const deadline = sentAt + s.timeoutMs;
      let info: Record<string, string>;
      for (;;) {
        info = parseInfo(replyText(await o.admin.call('INFO')));
        if (info[field] === '0') break;
        if (performance.now() > deadline) throw new RunError(`${s.command} still running after ${Math.round(s.timeoutMs / 1000)} s`);
        await sleep(pollMs);
      }
      const doneAt = performance.now();
      snapshot = { sentAt, doneAt, info };
      end = Math.max(end, doneAt + s.afterMs);
    }
    await sleep(end - performance.now());
  } finally {
    driver.halt();
    end = driver.haltedAt || performance.now();
    await Promise.race([driver.settled(), sleep(10_000)]);
    await driver.finish();
  }
  if (driver.errors > 0) throw new RunError(`the server refused ${driver.errors} writes during a latency window: ${driver.firstError}`);
  return { driver, ledger, t0, end, snapshot };
}

/**
 * Windows to discard before the measured ones, as wrk2 calibrates before it measures: a short
 * one, then one of `o.ms` (warmUpRoundsMs says why two). Their results, for tests.
 */
export async function warmUpWindows(o: Omit<WindowOptions, 'snapshot'>): Promise<WindowResult[]> {
  const results: WindowResult[] = [];
  for (const ms of warmUpRoundsMs(o.ms)) results.push(await openLoopWindow({ ...o, ms }));
  return results;
}
