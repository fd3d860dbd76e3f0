import type * as V8 from 'node:v8';

/**
 * Holds V8's young generation to two 4 MB semi-spaces (Node's default lets them grow to 16
 * MB each), by switching V8's growth factor to 1 while it is at the cap and back to 2 below
 * it (V8 reads `--semi-space-growth-factor` at each growth). A cap at the cron's pace: a
 * burst may grow it one more step between two ticks (a 1M-key fill grew it a step a second).
 *
 * Why: a burst of writes (a preload, pipelined clients) grew the semi-spaces to 16 MB; the
 * next quiet moment shrank them, and V8 pools the pages a shrink gives up until its next
 * Mark-Compact, which unmaps them inside its pause before anything else (V8 11.3
 * `Heap::PerformGarbageCollection` → `Unmapper::EnsureUnmappingCompleted`): 48 munmaps of
 * 256 KB, 4-8 ms of a 10-14 ms pause on the 2-core VM (perf: `__munmap < FreePages <
 * PerformFreeMemoryOnQueuedChunks`, TLB shootdowns in the kernel). Under a steady 20k SET/s the
 * young generation settles at 4 MB anyway, so the cap costs it nothing; with 1 MB
 * (`--max-semi-space-size=1`, measured) objects alive across a scavenge were promoted and
 * Mark-Compacts came 30 times as often. A command-line flag would do it too, but V8 keys
 * its code cache to the flags: the bundle's cache would be rejected by every start.
 *
 * From a second after start: loading node:v8 sooner would fall inside every recovery time
 * measured (as the bin's GC flags, set at the same moment).
 *
 * The harness launches its servers with fixed 4 MB semi-spaces (bin/server-flags.cjs), which
 * also keep the young generation from shrinking; this cap is for a server started by hand.
 */
const CAP_BYTES = 8 << 20;
const AFTER_S = 1;

export class YoungGenCap {
  private v8: typeof V8 | null = null;
  private capped = false;

  /** Called by the server's cron. */
  tick(): void {
    if (this.v8 === null) {
      if (process.uptime() < AFTER_S) return;
      this.v8 = process.getBuiltinModule('node:v8');
    }
    const atCap = newSpaceBytes(this.v8) >= CAP_BYTES;
    if (atCap === this.capped) return;
    this.capped = atCap;
    this.v8.setFlagsFromString(`--semi-space-growth-factor=${atCap ? 1 : 2}`);
  }
}

/** Both semi-spaces' committed bytes. */
function newSpaceBytes(v8: typeof V8): number {
  for (const s of v8.getHeapSpaceStatistics()) if (s.space_name === 'new_space') return s.space_size;
  return 0;
}
