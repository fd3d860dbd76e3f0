/**
 * The load generator as the harness sees it, whether it runs on this thread (driver.ts) or
 * spread over worker threads (threaded-driver.ts), and the one place that picks which.
 */
import os from 'node:os';
import { loadWorkers } from '../../shared/load-workers.js';
import type { Scenario } from '../../shared/types.js';
import type { Histogram } from '../measure/latency.js';
import { Driver, type DriverOptions } from './driver.js';
import { ThreadedDriver } from './threaded-driver.js';

export interface LoadDriver {
  /** open loop (a rate was set) */
  readonly openLoop: boolean;
  /** live: acknowledged writes, successful replies (writes + reads), error replies, closed connections */
  readonly acked: number;
  readonly completed: number;
  readonly errors: number;
  readonly closedConnections: number;
  /** the first error reply's text (with workers it may trail `errors` by a message) */
  readonly firstError: string | null;
  readonly isRunning: boolean;
  /** set by halt(): its instant and the writes / reads acknowledged by then */
  readonly haltedAt: number;
  readonly writesAtHalt: number;
  readonly readsAtHalt: number;
  /** open loop: ops due before the halt but never sent (after finish() with workers); null in closed loop */
  readonly unsentDue: number | null;
  start(t0?: number): void;
  /** Stops issuing at once, on every thread; outstanding ops still complete or stay in flight. */
  halt(at?: number): void;
  /** Resolves once no client has an outstanding op. */
  settled(): Promise<void>;
  /**
   * Closes the connections and, with workers, brings their ledgers into the caller's ledger and
   * their histograms here; the ledger and histograms are complete once it resolves.
   */
  finish(): Promise<void>;
  /** Closes everything now, results or not (error paths). */
  close(): void;
  /** Writes a client with a `ms` timeout would have given up on by `now` (ledger.slowerThan), over every thread. */
  slowWrites(ms: number, now: number): Promise<number>;
  /** per-client (or per-worker) HDR histograms, µs: acknowledged writes, reads, open-loop send lag, writes' service time */
  histograms(): Histogram[];
  readHistograms(): Histogram[];
  lagHistograms(): Histogram[];
  serviceHistograms(): Histogram[];
}

export interface LoadOptions extends DriverOptions {
  /** worker threads to spread the clients over; 1 (or absent) = this thread */
  workers?: number;
}

/** A warm-up's full round: at most this long (a run's shorter write phase warms for its own length). */
export const WARM_UP_MS = 1000;
/** A warm-up's first round: long enough to start, send and halt a driver, nothing more. */
const SHAPING_ROUND_MS = 200;

/**
 * The lengths of a warm-up's rounds, each to be driven by a driver of its own: a short one,
 * then the full one. A driver's halt changes the hidden classes of objects it used (e.g.
 * `haltedAt` held 0 and takes a fractional time) and V8 throws away code it optimized on
 * them, so after a warm-up of one round the next driver recompiled its hot loop while it
 * measured. After the short round the full one compiles on the final shapes (warm-up.ts has
 * the figures).
 */
export function warmUpRoundsMs(fullMs: number): [number, number] {
  return [Math.min(SHAPING_ROUND_MS, fullMs), fullMs];
}

export async function connectLoad(o: LoadOptions): Promise<LoadDriver> {
  const workers = Math.min(o.workers ?? 1, o.clients);
  return workers > 1 ? ThreadedDriver.connect(o, workers) : Driver.connect(o);
}

/** A scenario's load settings as connectLoad takes them: clients, pipeline, rate and the threads they run on here. */
export function scenarioLoad(s: Pick<Scenario, 'clients' | 'pipeline' | 'rate' | 'workers'>): Pick<LoadOptions, 'clients' | 'pipeline' | 'rate' | 'workers'> {
  return { clients: s.clients, pipeline: s.pipeline, rate: s.rate, workers: loadWorkers(s.workers, s.clients, os.availableParallelism()) };
}
