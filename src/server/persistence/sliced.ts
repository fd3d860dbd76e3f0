/**
 * Long work (loading a file, parsing an AOF) in slices of about SLICE_MS, with a turn of the
 * event loop between slices, so the server answers -LOADING promptly whatever the dataset's
 * size (Redis processes events every 2 MB loaded). Bounded by time, not by a count: a count
 * that suits 100-byte values stalls for seconds on 1 MB ones.
 */
import { nextTurn } from '../turn-end.js';

export const SLICE_MS = 2;
/** units per call inside a slice: small enough that a slice ends near its time */
const STEP = 1024;

/**
 * Runs work(n) (do up to n units; true when all is done) in slices of at most `every` units
 * and about `sliceMs`, letting the event loop run between slices.
 */
export async function sliced(every: number, sliceMs: number, work: (n: number) => boolean): Promise<void> {
  const step = Math.min(every, STEP);
  for (;;) {
    const t0 = performance.now();
    let units = 0;
    let done = false;
    while (!done && units < every && performance.now() - t0 < sliceMs) {
      const n = Math.min(step, every - units);
      done = work(n);
      units += n;
    }
    if (done) return;
    await nextTurn();
  }
}
