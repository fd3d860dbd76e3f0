/**
 * Every thread's performance.now() counts from its own start, but all of them read the same
 * monotonic clock underneath (libuv's hrtime, as process.hrtime does). A thread's origin on
 * that clock tells how far its performance.now() is from the main thread's, to well under a
 * microsecond, so a load worker's ledger times can be put on the main thread's clock.
 */

/** This thread's performance.now() origin on the process-wide monotonic clock, ms. */
export function clockOrigin(): number {
  // read twice around performance.now() and averaged: the reads are ~100 ns apart
  const a = process.hrtime.bigint();
  const now = performance.now();
  const b = process.hrtime.bigint();
  return Number((a + b) / 2n) / 1e6 - now;
}
