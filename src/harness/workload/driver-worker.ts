/**
 * A load worker thread (threaded-driver.ts starts these): one Driver over its slice of the
 * clients, with its own generator (its own key stream) and ledger slice, whose op numbers come
 * from the counter all workers share. It obeys the shared stop flag on its own (driver.ts
 * checks it before every send), and hands back its ledger and histograms when asked, then
 * lets its thread end.
 */
import { parentPort, workerData } from 'node:worker_threads';
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
const init = workerData as WorkerInit;
const post = (m: ToMain, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

// main clock = performance.now() here + offsetMs
const offsetMs = clockOrigin() - init.mainOriginMs;
const workload = createWorkload(init.kind, { ...init.params, stream: init.index });
const ledger = new Ledger({ ...workload.ledgerOptions, opSource: init.opCounter });

let driver: Driver | null = null;
try {
  driver = await Driver.connect(
    { ...init.driver, workload, ledger },
    {
      first: init.first,
      total: init.total,
      stats: init.stats,
      stop: { flag: init.stopFlag, at: init.stopAt },
      offsetMs,
      onFirstError: (message) => post({ type: 'first-error', message }),
    },
  );
  post({ type: 'ready' });
} catch (err) {
  post({ type: 'connect-error', message: (err as Error).message });
  port.close();
}

const d = driver;
if (d !== null) {
  port.on('message', (m: ToWorker) => {
    if (m.type === 'start') {
      d.start(m.t0 - offsetMs);
    } else if (m.type === 'halt') {
      d.haltOnStop();
      void d.settled().then(() => post({ type: 'settled' }));
    } else if (m.type === 'slow') {
      post({ type: 'slow', id: m.id, count: ledger.slowerThan(m.ms, m.now - offsetMs) });
    } else if (m.type === 'finish') {
      if (d.isRunning) d.haltOnStop();
      d.close();
      const slice = sliceOf(ledger, offsetMs);
      const enc = (hs: Parameters<typeof mergeHistograms>[0]): string => hdr.encodeIntoCompressedBase64(mergeHistograms(hs));
      post(
        {
          type: 'result',
          slice,
          hist: enc(d.histograms()),
          readHist: enc(d.readHistograms()),
          lagHist: enc(d.lagHistograms()),
          unsentDue: d.unsentDue,
          sawStopAt: d.sawStopAt === 0 ? null : d.sawStopAt + offsetMs,
        },
        sliceBuffers(slice),
      );
      // nothing left to keep this thread alive: it ends
      port.close();
    }
  });
}
