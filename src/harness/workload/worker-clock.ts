/**
 * Every thread's performance.now() counts from an origin of its own, but all of them read the
 * same monotonic clock underneath (libuv's hrtime, as process.hrtime does). A thread's origin
 * on that clock tells how far its performance.now() is from the main thread's, so a load
 * worker's ledger times can be put on the main thread's clock. (On Node 20 the origins turn
 * out equal, checked by a ping-pong over shared memory to ±0.5 µs; this does not rely on it.)
 */

/** This thread's performance.now() origin on the process-wide monotonic clock, ms. */
export function clockOrigin(): number {
  // bracket performance.now() between two hrtime reads and keep the tightest bracket of a
  // few: one read pair can straddle a preemption (or a first call's lazy set-up) and be off by ms
  let best = Infinity;
  let origin = 0;
  for (let i = 0; i < 50; i++) {
    const a = process.hrtime.bigint();
    const now = performance.now();
    const b = process.hrtime.bigint();
    const width = Number(b - a);
    if (width < best) {
      best = width;
      origin = Number(a + b) / 2 / 1e6 - now;
    }
  }
  return origin;
}
