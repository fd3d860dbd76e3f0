/**
 * The load generator spread over worker threads (`--workers N`): each worker runs a Driver
 * (driver-worker.ts) over its share of the clients, so encoding, parsing and the ledger's
 * bookkeeping use more than one core. What makes it the same measurement as one thread:
 *  - op numbers, the values' identities, come from one shared atomic counter: dense and
 *    unique over the run, whatever worker sent them;
 *  - the stop is a shared flag every worker checks before each send, so a fault's halt takes
 *    effect everywhere at the instant it is set, not when a message arrives; each worker
 *    reports when it saw it (`stopLagMs`);
 *  - live counters (acked, errors, closed) are in shared memory, read at the halt instant;
 *  - ledgers and HDR histograms come back once, at finish(), and are merged in one place
 *    (ledger-merge.ts, measure/latency.ts), worker clocks moved onto this thread's.
 * Threads come from load-worker-pool.ts and go back to it after a finish() that collected
 * every result, warm for the next run; close(), a failed connect or a missing result end them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import * as hdr from 'hdr-histogram-js';
import { RunError } from '../../shared/errors.js';
import type { Histogram } from '../measure/latency.js';
import { repoRoot } from '../repo.js';
import type { DriverOptions } from './driver.js';
import { newStats, readStat, STAT } from './driver-stats.js';
import type { Ledger } from './ledger.js';
import { mergeLedgers, type LedgerSlice } from './ledger-merge.js';
import type { LoadDriver } from './load-driver.js';
import { endLoadWorker, giveBackLoadWorker, takeLoadWorker } from './load-worker-pool.js';
import { clockOrigin } from './worker-clock.js';
import type { ToMain, ToWorker, WorkerInit } from './worker-messages.js';
import { settledWithin } from '../with-timeout.js';

const FINISH_TIMEOUT_MS = 30_000;

export { liveLoadWorkers } from './load-worker-pool.js';

/** The compiled worker script: beside this file in dist/, or dist/'s when run from src/ (tests). */
function workerScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const beside = path.join(here, 'driver-worker.js');
  if (fs.existsSync(beside)) return beside;
  const built = path.join(repoRoot, 'dist', 'harness', 'workload', 'driver-worker.js');
  if (fs.existsSync(built)) return built;
  throw new RunError('--workers needs the compiled load worker (dist/harness/workload/driver-worker.js): run npm run build');
}

/** n clients over w workers, as evenly as they go: [first, count] per worker. */
export function splitClients(n: number, w: number): [number, number][] {
  const out: [number, number][] = [];
  let first = 0;
  for (let i = 0; i < w; i++) {
    const count = Math.floor(n / w) + (i < n % w ? 1 : 0);
    out.push([first, count]);
    first += count;
  }
  return out;
}

interface Slot {
  worker: Worker;
  stats: Int32Array;
  /** resolves when the worker's result arrived, or it ended */
  reported: Promise<void>;
  /** this run's listeners on the worker, taken off when it goes back to the pool */
  unlisten: () => void;
  /** ended, or handed back: it answers nothing more in this run */
  gone: boolean;
  settled: boolean;
  result: Extract<ToMain, { type: 'result' }> | null;
  /** a crash of the worker itself */
  failure: string | null;
}

export class ThreadedDriver implements LoadDriver {
  readonly openLoop: boolean;
  firstError: string | null = null;
  haltedAt = 0;
  writesAtHalt = 0;
  readsAtHalt = 0;
  unsentDue: number | null = null;
  /** after finish(): the latest any worker saw the shared stop, after the halt, ms (null: none saw it) */
  stopLagMs: number | null = null;
  private running = false;
  private finished = false;
  private readonly opCounter = new Int32Array(new SharedArrayBuffer(4));
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));
  private readonly stopAt = new Float64Array(new SharedArrayBuffer(8));
  private readonly slots: Slot[] = [];
  private hists: Histogram[] = [];
  private readHists: Histogram[] = [];
  private lagHists: Histogram[] = [];
  private serviceHists: Histogram[] = [];
  private waiters: (() => void)[] = [];
  /** slowWrites() asks in flight: id → the workers yet to answer, the sum so far */
  private asks = new Map<number, { pending: Set<Slot>; sum: number; resolve: (n: number) => void }>();
  private nextAsk = 0;

  private constructor(
    private readonly ledger: Ledger,
    rate: number,
  ) {
    this.openLoop = rate > 0;
  }

  static async connect(o: DriverOptions, workers: number): Promise<ThreadedDriver> {
    const params = o.workload.params;
    if (params === undefined) throw new RunError(`internal: the ${o.workload.kind} load here is not a generator a worker can make (run it with one worker)`);
    const d = new ThreadedDriver(o.ledger, o.rate);
    // op numbers continue the ledger (a caller may drive it more than once)
    d.opCounter[0] = o.ledger.size;
    const script = workerScript();
    const mainOriginMs = clockOrigin();
    const parts = splitClients(o.clients, workers);
    const ready: Promise<void>[] = [];
    parts.forEach(([first, count], index) => {
      const stats = newStats(true);
      const init: WorkerInit = {
        index,
        driver: {
          port: o.port,
          host: o.host ?? '127.0.0.1',
          clients: count,
          pipeline: o.pipeline,
          // each client keeps the single-thread schedule: the rate goes with the clients
          rate: (o.rate * count) / o.clients,
          ...(o.limitOps !== undefined ? { limitOps: Math.floor((o.limitOps * count) / o.clients) + (index === 0 ? o.limitOps % workers : 0) } : {}),
          ...(o.connectTimeoutMs !== undefined ? { connectTimeoutMs: o.connectTimeoutMs } : {}),
        },
        kind: o.workload.kind,
        params,
        first,
        total: o.clients,
        opCounter: d.opCounter,
        stats,
        stopFlag: d.stopFlag,
        stopAt: d.stopAt,
        mainOriginMs,
      };
      const worker = takeLoadWorker(script);
      let reported = (): void => {};
      const slot: Slot = { worker, stats, reported: new Promise((r) => (reported = r)), unlisten: () => {}, gone: false, settled: false, result: null, failure: null };
      d.slots.push(slot);
      ready.push(
        new Promise<void>((resolve, reject) => {
          const onMessage = (m: ToMain): void => {
            if (m.type === 'ready') resolve();
            else if (m.type === 'connect-error') reject(new Error(m.message));
            else {
              d.onMessage(slot, m);
              if (m.type === 'result') reported();
            }
          };
          const onError = (err: Error): void => {
            slot.failure = err.message;
            reject(new Error(`load worker ${index} failed: ${err.message}`));
          };
          const onExit = (): void => {
            reject(new Error(`load worker ${index} ended before it connected`));
            d.onExit(slot);
            reported();
          };
          worker.on('message', onMessage);
          worker.on('error', onError);
          worker.once('exit', onExit);
          slot.unlisten = () => {
            worker.off('message', onMessage);
            worker.off('error', onError);
            worker.off('exit', onExit);
          };
        }),
      );
      worker.postMessage({ type: 'init', init } satisfies ToWorker);
    });
    const outcome = await Promise.allSettled(ready);
    const failed = outcome.find((r) => r.status === 'rejected');
    if (failed) {
      await d.end();
      throw new Error(String((failed as PromiseRejectedResult).reason?.message ?? failed));
    }
    return d;
  }

  private onMessage(slot: Slot, m: ToMain): void {
    if (m.type === 'first-error') this.firstError ??= m.message;
    else if (m.type === 'settled') {
      slot.settled = true;
      this.checkSettled();
    } else if (m.type === 'result') slot.result = m;
    else if (m.type === 'slow') {
      const a = this.asks.get(m.id);
      if (a === undefined) return;
      a.sum += m.count;
      this.answered(m.id, slot);
    }
  }

  private answered(id: number, slot: Slot): void {
    const a = this.asks.get(id);
    if (a === undefined || !a.pending.delete(slot) || a.pending.size > 0) return;
    this.asks.delete(id);
    a.resolve(a.sum);
  }

  /** A worker ended: it answers nothing more. */
  private onExit(slot: Slot): void {
    slot.gone = true;
    for (const id of [...this.asks.keys()]) this.answered(id, slot);
    this.checkSettled();
  }

  /** Each worker counts its own ledger; a worker already gone counts nothing. */
  slowWrites(ms: number, now: number): Promise<number> {
    const live = this.slots.filter((s) => !s.gone);
    if (live.length === 0) return Promise.resolve(0);
    const id = this.nextAsk++;
    return new Promise((resolve) => {
      this.asks.set(id, { pending: new Set(live), sum: 0, resolve });
      for (const s of live) s.worker.postMessage({ type: 'slow', id, ms, now } satisfies ToWorker);
    });
  }

  private sum(stat: number): number {
    let n = 0;
    for (const s of this.slots) n += readStat(s.stats, stat);
    return n;
  }

  get acked(): number {
    return this.sum(STAT.acked);
  }

  get completed(): number {
    return this.sum(STAT.acked) + this.sum(STAT.reads);
  }

  get errors(): number {
    return this.sum(STAT.errors);
  }

  get closedConnections(): number {
    return this.sum(STAT.closed);
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The shared op counter: the next op number (ledger.size at the start + writes numbered since). */
  get nextOp(): number {
    return Atomics.load(this.opCounter, 0);
  }

  start(t0 = performance.now()): void {
    this.running = true;
    this.post({ type: 'start', t0 });
  }

  halt(at?: number): void {
    const instant = at ?? performance.now();
    if (!this.running) {
      // a worker halted by its op limit, or never started: the stop still reaches everyone
      if (Atomics.load(this.stopFlag, 0) === 0) this.raiseStop(instant);
      return;
    }
    this.running = false;
    // the stop first: anything between the instant and the flag (a first, uncompiled call to
    // sum() took ~30 µs) is a window in which a worker sends ops due after the instant
    this.raiseStop(instant);
    // Without an instant given, the halt is when the stop went up: a worker that had not seen
    // it sent ops due up to then, never after. The clock read before it was not enough: on a
    // loaded machine this thread was preempted between the two, and a worker sent an op due
    // 0.08 ms after it (a CI run of threaded-driver.test.ts).
    this.haltedAt = at ?? performance.now();
    this.writesAtHalt = this.sum(STAT.acked);
    this.readsAtHalt = this.sum(STAT.reads);
  }

  private raiseStop(at: number): void {
    // the instant first, then the flag: a worker that sees the flag sees the instant
    this.stopAt[0] = at;
    Atomics.store(this.stopFlag, 0, 1);
    // a worker asleep until its next op (open loop) halts on this message rather than then
    this.post({ type: 'halt' });
  }

  private post(m: ToWorker): void {
    for (const s of this.slots) if (!s.gone) s.worker.postMessage(m);
  }

  settled(): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private isSettled(): boolean {
    if (this.running) return false;
    return this.slots.every((s) => s.settled || s.gone);
  }

  private checkSettled(): void {
    if (this.waiters.length === 0 || !this.isSettled()) return;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /** Halts, collects every worker's ledger slice and histograms, merges them, gives the threads back to the pool. */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.halt();
    this.post({ type: 'finish' });
    const all = Promise.all(this.slots.map((s) => s.reported));
    if (!(await settledWithin(all, FINISH_TIMEOUT_MS))) {
      await this.end();
      throw new RunError(`load workers did not hand back their ledgers within ${FINISH_TIMEOUT_MS / 1000} s`);
    }
    const missing = this.slots.findIndex((s) => s.result === null);
    if (missing >= 0) {
      const f = this.slots[missing]!.failure;
      await this.end();
      throw new RunError(`load worker ${missing} ended without its ledger${f ? `: ${f}` : ''}`);
    }
    for (const s of this.slots) {
      s.unlisten();
      s.gone = true;
      giveBackLoadWorker(s.worker);
    }
    const results = this.slots.map((s) => s.result!);
    mergeLedgers(
      this.ledger,
      results.map((x): LedgerSlice => x.slice),
      this.nextOp,
    );
    const decode = (b64: string): Histogram => hdr.decodeFromCompressedBase64(b64, 32) as Histogram;
    this.hists = results.map((x) => decode(x.hist));
    this.readHists = results.map((x) => decode(x.readHist));
    this.lagHists = results.map((x) => decode(x.lagHist));
    this.serviceHists = results.map((x) => decode(x.serviceHist));
    this.unsentDue = this.openLoop ? results.reduce((n, x) => n + (x.unsentDue ?? 0), 0) : null;
    const saw = results.map((x) => x.sawStopAt).filter((x): x is number => x !== null);
    this.stopLagMs = saw.length > 0 ? Math.max(0, ...saw.map((t) => t - this.haltedAt)) : null;
  }

  /** Ends every worker now (error paths); their ledgers are not collected. */
  close(): void {
    void this.end();
  }

  /** close(), resolving once the threads have ended. */
  private end(): Promise<void> {
    if (this.running) this.halt();
    const ending: Promise<void>[] = [];
    for (const s of this.slots) {
      if (s.gone) continue;
      s.gone = true;
      s.unlisten();
      ending.push(endLoadWorker(s.worker));
    }
    this.checkSettled();
    return Promise.all(ending).then(() => undefined);
  }

  histograms(): Histogram[] {
    return this.hists;
  }

  readHistograms(): Histogram[] {
    return this.readHists;
  }

  lagHistograms(): Histogram[] {
    return this.lagHists;
  }

  serviceHistograms(): Histogram[] {
    return this.serviceHists;
  }
}
