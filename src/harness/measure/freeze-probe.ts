import { Worker } from 'node:worker_threads';
import type { ProbeReport, ProbeStart } from './freeze-probe-thread.js';

/**
 * Tells a stall of the server from a stop of the whole machine, a second way: a thread that
 * sleeps `periodMs` at a time at nice -20 (freeze-probe-thread.ts) wakes late only when no CPU
 * ran anything of ours — on a VM, its host descheduled the vCPUs. A client's worst wait that
 * matches a freeze is the machine's, and would have hit redis-server the same. Without root
 * the thread runs at nice 0, where CPU contention makes it late too: `nice` says which.
 * It costs what it measures: each wake-up at nice -20 takes a CPU from whoever has it (at
 * 1 ms, bench:gc's clients' p99 at 4M keys doubled), so it is opt-in and wakes every 10 ms.
 */
export interface Freeze {
  /** when the probe woke, epoch ms */
  atMs: number;
  lateMs: number;
}

export interface FreezeReport {
  nice: number;
  wakeups: number;
  freezes: Freeze[];
}

export interface FreezeProbe {
  readonly nice: number;
  stop(): Promise<FreezeReport>;
}

/** The compiled thread, from dist/ or from src/ (tests run the sources; `npm test` builds first). */
const THREAD_MODULE = '../../../dist/harness/measure/freeze-probe-thread.js';

export async function startFreezeProbe(o: { periodMs?: number; thresholdMs?: number } = {}): Promise<FreezeProbe> {
  const stop = new SharedArrayBuffer(4);
  const worker = new Worker(new URL(THREAD_MODULE, import.meta.url), {
    workerData: { periodMs: o.periodMs ?? 10, thresholdMs: o.thresholdMs ?? 5, nice: -20, stop } satisfies ProbeStart,
  });
  // the probe must not keep a bench alive, nor be what kills it
  worker.unref();
  const next = (): Promise<ProbeReport> =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const running = await next();
  const nice = running.kind === 'running' ? running.nice : 0;
  return {
    nice,
    async stop(): Promise<FreezeReport> {
      const done = next();
      Atomics.store(new Int32Array(stop), 0, 1);
      const r = await done;
      await worker.terminate();
      return r.kind === 'done' ? { nice, wakeups: r.wakeups, freezes: r.freezes.map(([atMs, lateMs]) => ({ atMs, lateMs })) } : { nice, wakeups: 0, freezes: [] };
    },
  };
}

/** One line: how often and how long the machine stopped. */
export function describeFreezes(r: FreezeReport, overMs = 10): string {
  const big = r.freezes.filter((f) => f.lateMs > overMs);
  const longest = Math.max(0, ...r.freezes.map((f) => f.lateMs));
  const total = big.reduce((s, f) => s + f.lateMs, 0);
  const who = r.nice < 0 ? `a sleeper thread at nice ${r.nice}` : 'a sleeper thread at nice 0 (not root: CPU contention makes it late too)';
  return `${big.length} over ${overMs} ms, longest ${longest.toFixed(1)} ms, ${total.toFixed(0)} ms in all (${who}, ${r.wakeups} wake-ups)`;
}
