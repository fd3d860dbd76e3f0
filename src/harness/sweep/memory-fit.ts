/**
 * Does a dataset size fit this machine? Per target, resident bytes per key (measured at an
 * earlier size of this sweep, else a generous default) × keys × 2 (a redis fork's
 * copy-on-write may duplicate every page; the built-in server's load holds file buffers),
 * summed over the targets as if both ran at once, plus the harness. A sweep never swaps the
 * machine to death: a size that does not fit is skipped with one line saying why.
 */
import type { TargetKind } from '../../shared/types.js';

/** RSS per key of 100-byte values seen here (redis ~200 B, built-in ~430 B), rounded up, plus the value. */
const DEFAULT_OVERHEAD: Record<TargetKind, number> = { redis: 150, builtin: 400 };
const HARNESS_BYTES = 300 * 2 ** 20;
const HEADROOM = 2;

export function estimateBytes(keys: number, valueSize: number, targets: readonly TargetKind[], measuredPerKey: Partial<Record<TargetKind, number>>): number {
  let total = HARNESS_BYTES;
  for (const t of targets) total += keys * (measuredPerKey[t] ?? valueSize + DEFAULT_OVERHEAD[t]) * HEADROOM;
  return total;
}

/** Disk for one point: the AOF, the RDB, and the fill's temp files, generously. */
export function estimateDiskBytes(keys: number, valueSize: number): number {
  return keys * (valueSize + 60) * 3;
}

const gb = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GB`;

/** null when it fits; else the one-line reason. */
export function doesNotFit(keys: number, need: number, freeMem: number, needDisk: number, freeDisk: number | null): string | null {
  if (need > freeMem) return `needs ~${gb(need)} of memory (both targets, a snapshot's copy-on-write, the harness), ${gb(freeMem)} free`;
  if (freeDisk !== null && needDisk > freeDisk) return `needs ~${gb(needDisk)} of disk for its RDB and AOF, ${gb(freeDisk)} free in the temp dir`;
  return null;
}
