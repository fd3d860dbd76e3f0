/**
 * A load worker thread (threaded-driver.ts lends these from load-worker-pool.ts): for each run
 * of the load it is sent, one Driver over its slice of the clients, with its own generator
 * (its own key stream) and ledger slice, whose op numbers come from the counter all workers
 * share. It obeys the shared stop flag on its own (driver.ts checks it before every send),
 * hands back its ledger and histograms when asked, closes its connections and waits for the
 * next run: the thread, and the code V8 optimized in it, outlive one trial.
 */
import { parentPort } from 'node:worker_threads';
import * as hdr from 'hdr-histogram-js';
import { mergeHistograms } from '../measure/latency.js';
import { Driver } from './driver.js';
import { createWorkload } from './generators.js';
import { Ledger } from './ledger.js';
import { sliceBuffers, sliceOf } from './ledger-merge.js';
import { clockOrigin } from './worker-clock.js';
import type { ToMain, ToWorker, WorkerInit } from './worker-messages.js';

const port = parentPort;
if (port === null) throw new Error('driver-worker.ts runs as a worker thread only');
const post = (m: ToMain, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

interface Run {
  driver: Driver;
  ledger: Ledger;
  /** main clock = performance.now() here + offsetMs */
  offsetMs: number;
  /** this run is the one going on */
  current(): boolean;
}
let run: Run | null = null;
/** counts inits: what a run's callbacks post after its finish (a late settle, an error on a closing socket) would land in the next run */
let generation = 0;

async function begin(init: WorkerInit): Promise<void> {
  const mine = ++generation;
  const current = (): boolean => generation === mine && run !== null;
  const offsetMs = clockOrigin() - init.mainOriginMs;
  const workload = createWorkload(init.kind, { ...init.params, stream: init.index });
  const ledger = new Ledger({ ...workload.ledgerOptions, opSource: init.opCounter });
  try {
    const driver = await Driver.connect(
      { ...init.driver, workload, ledger },
      {
        first: init.first,
        total: init.total,
        stats: init.stats,
        stop: { flag: init.stopFlag, at: init.stopAt },
        offsetMs,
        onFirstError: (message) => {
          if (current()) post({ type: 'first-error', message });
        },
      },
    );
    run = { driver, ledger, offsetMs, current };
    post({ type: 'ready' });
  } catch (err) {
    post({ type: 'connect-error', message: (err as Error).message });
  }
}

function finish(r: Run): void {
  const d = r.driver;
  if (d.isRunning) d.haltOnStop();
  d.close();
  const slice = sliceOf(r.ledger, r.offsetMs);
  const enc = (hs: Parameters<typeof mergeHistograms>[0]): string => hdr.encodeIntoCompressedBase64(mergeHistograms(hs));
  post(
    {
      type: 'result',
      slice,
      hist: enc(d.histograms()),
      readHist: enc(d.readHistograms()),
      lagHist: enc(d.lagHistograms()),
      serviceHist: enc(d.serviceHistograms()),
      unsentDue: d.unsentDue,
      sawStopAt: d.sawStopAt === 0 ? null : d.sawStopAt + r.offsetMs,
    },
    sliceBuffers(slice),
  );
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'init') {
    void begin(m.init);
    return;
  }
  const r = run;
  if (r === null) return;
  if (m.type === 'start') {
    r.driver.start(m.t0 - r.offsetMs);
  } else if (m.type === 'halt') {
    r.driver.haltOnStop();
    void r.driver.settled().then(() => {
      if (r.current()) post({ type: 'settled' });
    });
  } else if (m.type === 'slow') {
    post({ type: 'slow', id: m.id, count: r.ledger.slowerThan(m.ms, m.now - r.offsetMs) });
  } else if (m.type === 'finish') {
    run = null;
    finish(r);
  }
});
