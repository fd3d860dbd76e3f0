import { constants, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';

/**
 * What clients feel that a start pause does not show: how long the event loop was held
 * while something ran (a snapshot, a rewrite), and how long garbage collections paused it.
 *
 * An event-loop stall is measured as libuv's timer lateness (monitorEventLoopDelay): a
 * 5 ms timer that fires 80 ms late means the loop was busy for about 80 ms. One histogram
 * is opened per watched job (start → done), so its max is "the longest stall during the
 * last snapshot". GC pauses come from PerformanceObserver('gc'): V8's own prologue →
 * epilogue time of each collection on the main thread.
 */
export interface StallWatch {
  /** Stops watching; the longest stall seen, µs. */
  stop(): number;
}

const RESOLUTION_MS = 5;

export function watchStalls(): StallWatch {
  let h: IntervalHistogram | null = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  let max = 0;
  return {
    stop(): number {
      if (h !== null) {
        h.disable();
        // max is timer lateness in ns, resolution included: a loop that never stalled reads ~RESOLUTION.
        max = Math.max(0, Math.round(h.max / 1000) - RESOLUTION_MS * 1000);
        h = null;
      }
      return max;
    },
  };
}

/** GC pauses since start (or the last reset), µs. */
export class GcPauses {
  maxUsec = 0;
  majorMaxUsec = 0;
  minorMaxUsec = 0;
  count = 0;
  majorCount = 0;
  totalUsec = 0;
  private readonly obs: PerformanceObserver;

  constructor() {
    this.obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const us = Math.round(e.duration * 1000);
        const kind = ((e as unknown as { detail?: { kind?: number } }).detail)?.kind ?? 0;
        this.count++;
        this.totalUsec += us;
        if (us > this.maxUsec) this.maxUsec = us;
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
          this.majorCount++;
          if (us > this.majorMaxUsec) this.majorMaxUsec = us;
        } else if (kind === constants.NODE_PERFORMANCE_GC_MINOR && us > this.minorMaxUsec) this.minorMaxUsec = us;
      }
    });
    this.obs.observe({ entryTypes: ['gc'] });
  }

  reset(): void {
    this.maxUsec = 0;
    this.majorMaxUsec = 0;
    this.minorMaxUsec = 0;
    this.count = 0;
    this.majorCount = 0;
    this.totalUsec = 0;
  }

  close(): void {
    this.obs.disconnect();
  }

  info(): Record<string, number> {
    return {
      gc_max_pause_usec: this.maxUsec,
      gc_major_max_pause_usec: this.majorMaxUsec,
      gc_minor_max_pause_usec: this.minorMaxUsec,
      gc_pauses: this.count,
      gc_major_pauses: this.majorCount,
      gc_total_pause_usec: this.totalUsec,
    };
  }
}

