/**
 * Load worker threads kept between runs of the load. A thread's first window runs the
 * generator's code cold: V8 interprets and then optimizes it, and meanwhile sends fall behind
 * (open loop at 50k ops/s on two fresh threads: send lag p99 7-11 ms, against 0.1-0.5 ms on
 * a warm one). A new thread per trial paid that in every trial; a kept one pays it once per
 * process. Idle threads are unref'd, so they never keep the process alive, and they hold no
 * socket (a worker closes its connections before it reports back).
 */
import { Worker } from 'node:worker_threads';

const idle: Worker[] = [];
/** threads lent out and not yet given back or ended */
const lent = new Set<Worker>();
const gone = new WeakSet<Worker>();

/** A load worker running `script`: an idle one if there is one, else a new one. */
export function takeLoadWorker(script: string): Worker {
  let w = idle.pop();
  if (w === undefined) {
    const nw = new Worker(script);
    // an 'error' with no listener would throw here; the run's own listener reports it, and 'exit' follows
    nw.on('error', () => {});
    nw.once('exit', () => {
      gone.add(nw);
      lent.delete(nw);
      const i = idle.indexOf(nw);
      if (i >= 0) idle.splice(i, 1);
    });
    w = nw;
  }
  w.ref();
  lent.add(w);
  return w;
}

/** A worker whose run ended cleanly (it reported its results): kept for the next run. */
export function giveBackLoadWorker(w: Worker): void {
  if (!lent.delete(w) || gone.has(w)) return;
  w.unref();
  idle.push(w);
}

/** A worker in an unknown state (a run cut short, a failure): ended, not kept. */
export function endLoadWorker(w: Worker): Promise<void> {
  lent.delete(w);
  if (gone.has(w)) return Promise.resolve();
  return w.terminate().then(() => undefined);
}

/** Load workers lent out and not given back or ended (tests check none is left behind). */
export function liveLoadWorkers(): number {
  return lent.size;
}

/** Idle kept workers. */
export function idleLoadWorkers(): number {
  return idle.length;
}
