/**
 * Calls a function at a performance.now() instant, to well under a millisecond, for the
 * open-loop driver. Node timers have millisecond granularity and fire up to ~1 ms late
 * (libuv caches the loop time in whole ms); a 1 ms timer tick gave every open-loop latency
 * a ~1 ms floor, charged to the server. So: sleep on a timer only when the instant is more
 * than SLEEP_ABOVE_MS away, waking TIMER_EARLY_MS early, and cover the rest by polling with
 * setImmediate, which still serves I/O between polls. The price is one busy core while an op
 * is due within a few ms, i.e. at any rate above a few hundred ops/s per client set.
 */
const SLEEP_ABOVE_MS = 2.5;
const TIMER_EARLY_MS = 2;

export class PreciseWake {
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private armedFor = Infinity;

  constructor(private readonly fn: () => void) {}

  private readonly fire = (): void => {
    this.timer = null;
    this.immediate = null;
    this.armedFor = Infinity;
    this.fn();
  };

  /** Arms for `due`, unless already armed for that instant or an earlier one. */
  at(due: number): void {
    if (!(due < this.armedFor)) return;
    this.cancel();
    this.armedFor = due;
    const wait = due - performance.now();
    if (wait > SLEEP_ABOVE_MS) this.timer = setTimeout(this.fire, wait - TIMER_EARLY_MS);
    else this.immediate = setImmediate(this.fire);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    this.armedFor = Infinity;
  }
}
