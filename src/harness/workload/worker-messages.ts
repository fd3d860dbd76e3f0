/** What the threaded driver and its load workers say to each other (threaded-driver.ts, driver-worker.ts). */
import type { WorkloadKind } from '../../shared/types.js';
import type { LedgerSlice } from './ledger-merge.js';
import type { WorkloadParams } from './workload.js';

export interface WorkerInit {
  index: number;
  /** the Driver options that cross a thread (no workload, no ledger: the worker makes its own) */
  driver: { port: number; host: string; clients: number; pipeline: number; rate: number; limitOps?: number; connectTimeoutMs?: number };
  kind: WorkloadKind;
  params: WorkloadParams;
  /** this worker's clients among all: first … first+clients−1 of total */
  first: number;
  total: number;
  /** shared memory: the op-number counter, this worker's counters, the stop flag and its instant */
  opCounter: Int32Array;
  stats: Int32Array;
  stopFlag: Int32Array;
  stopAt: Float64Array;
  /** the main thread's clock origin (worker-clock.ts) */
  mainOriginMs: number;
}

export type ToWorker =
  /** a new run of the load: connect, then answer ready or connect-error */
  | { type: 'init'; init: WorkerInit }
  | { type: 'start'; t0: number }
  | { type: 'halt' }
  /** hand back the results, close the connections, wait for the next init */
  | { type: 'finish' }
  /** count the writes slower than ms by now (main clock) */
  | { type: 'slow'; id: number; ms: number; now: number };

export type ToMain =
  | { type: 'ready' }
  | { type: 'connect-error'; message: string }
  | { type: 'first-error'; message: string }
  | { type: 'settled' }
  | { type: 'slow'; id: number; count: number }
  | {
      type: 'result';
      slice: LedgerSlice;
      /** merged HDR histograms of its clients, compressed base64 */
      hist: string;
      readHist: string;
      lagHist: string;
      serviceHist: string;
      unsentDue: number | null;
      /** when it first saw the shared stop, main clock (null: it was halted by message or limit) */
      sawStopAt: number | null;
    };
