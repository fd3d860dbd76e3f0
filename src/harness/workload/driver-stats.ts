/**
 * A driver's live counters in one Int32Array, so a load worker's can live in shared memory
 * and the main thread reads them at any instant (a fault deciding when to kill, the writes
 * acknowledged at the halt) without a message round trip. One writer per array: the
 * driver that owns it.
 */
export const STAT = {
  /** acknowledged writes */
  acked: 0,
  /** successful reads */
  reads: 1,
  /** error replies */
  errors: 2,
  /** load connections closed */
  closed: 3,
} as const;

const SLOTS = 4;

export function newStats(shared = false): Int32Array {
  return new Int32Array(shared ? new SharedArrayBuffer(SLOTS * 4) : new ArrayBuffer(SLOTS * 4));
}

/** Atomic read of one counter (another thread may be writing it). */
export function readStat(stats: Int32Array, slot: number): number {
  return Atomics.load(stats, slot);
}
