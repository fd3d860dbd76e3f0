/**
 * The load generator: `clients` raw-socket RESP connections (load-client.ts), each keeping
 * up to `pipeline` commands outstanding.
 *
 * Why not ioredis: it allocates a Promise and a Command object per call, sends HELLO 3 and
 * CLIENT SETINFO on connect, and its ready check is the wrong clock during loading. A lean
 * client writes a whole window of commands in one socket write (slab-encoded, no copies),
 * counts replies against a ring of op indices, and records into a per-client HDR
 * histogram, which is what it takes to keep up with redis-benchmark (see `npm run bench:load`).
 *
 * Closed loop (rate 0): a reply frees a slot, the slot is refilled at once.
 * Open loop (rate > 0): op k of a client is due at t0 + offset + k/rate_per_client; its
 * latency is measured from the due time, so a slow server cannot hide its stalls by slowing
 * the generator down (no coordinated omission). Because that clock charges every wait to
 * the server, the generator must not add its own: it wakes precisely (precise-wake.ts) and
 * sends everything due at once, and it records how late it sent each op (`lagHistograms`)
 * so a report can tell the generator's lateness from the server's latency.
 *
 * This is one thread's generator; threaded-driver.ts runs several of these on worker threads
 * (`--workers`), each with a slice of the clients, and merges what they saw.
 */
import { type Histogram, newHistogram } from '../measure/latency.js';
import { newStats, STAT } from './driver-stats.js';
import type { Ledger } from './ledger.js';
import type { LoadDriver } from './load-driver.js';
import { connectSockets, LoadClient, type ClientHost } from './load-client.js';
import { PreciseWake } from './precise-wake.js';
import { CommandWriter } from './resp-writer.js';
import type { Workload } from './workload.js';

export interface DriverOptions {
  port: number;
  host?: string;
  clients: number;
  pipeline: number;
  /** total ops/s over all clients; 0 = closed loop */
  rate: number;
  workload: Workload;
  ledger: Ledger;
  /** stop issuing after this many operations (reads included) */
  limitOps?: number;
  connectTimeoutMs?: number;
}

/** What a load worker adds: its share of a bigger client set, shared counters, the shared stop. */
export interface SliceOptions {
  /** this driver's clients are clients first … first+clients−1 of `total` (open-loop stagger) */
  first: number;
  total: number;
  /** live counters in shared memory (driver-stats.ts) */
  stats: Int32Array;
  /** [0] ≠ 0: halt; the halt instant is at[0] on the main clock */
  stop: { flag: Int32Array; at: Float64Array };
  /** main clock = performance.now() here + offsetMs */
  offsetMs: number;
  onFirstError(message: string): void;
}

export class Driver implements ClientHost, LoadDriver {
  readonly ledger: Ledger;
  readonly decodeRead: ((v: Buffer | null) => number) | null;
  readonly repliesPerOp: number;
  readonly stats: Int32Array;
  readonly hist = newHistogram();
  readonly readHist = newHistogram();
  readonly lagHist = newHistogram();
  readonly serviceHist = newHistogram();
  firstError: string | null = null;
  issued = 0;
  startedAt = 0;
  haltedAt = 0;
  /** acknowledged writes / successful reads when the driver halted (what throughput counts) */
  writesAtHalt = 0;
  readsAtHalt = 0;
  /**
   * Open loop: operations that were due before the halt but never sent (window full behind a
   * stalled server, a closed connection, or a late generator). Their wait (halt − due) is a
   * lower bound of their latency and is recorded as such, as wrk2 does; null in closed loop.
   */
  unsentDue: number | null = null;
  private running = false;
  private readonly clients: LoadClient[] = [];
  private readonly writer = new CommandWriter();
  private readonly workload: Workload;
  private readonly limit: number;
  private readonly intervalMs: number;
  private readonly wake = new PreciseWake(() => this.tick());
  /** inside tick(): it arms the wake-up once for all clients */
  private ticking = false;
  private settledWaiters: (() => void)[] = [];
  private readonly slice: SliceOptions | null;
  /** a worker: when it first saw the shared stop (its own clock), 0 before */
  sawStopAt = 0;
  /** clients that read replies in this event-loop turn, refilled together after it */
  private readonly toRefill: LoadClient[] = [];
  private refillArmed = false;

  private constructor(o: DriverOptions, slice: SliceOptions | null) {
    this.slice = slice;
    this.stats = slice?.stats ?? newStats();
    this.ledger = o.ledger;
    this.workload = o.workload;
    this.decodeRead = o.workload.decodeRead ?? null;
    this.repliesPerOp = o.workload.repliesPerOp ?? 1;
    this.limit = o.limitOps ?? Infinity;
    this.intervalMs = o.rate > 0 ? (1000 * o.clients) / o.rate : 0;
  }

  /** `slice`: this driver runs on a load worker, as part of a threaded driver. */
  static async connect(o: DriverOptions, slice: SliceOptions | null = null): Promise<Driver> {
    const d = new Driver(o, slice);
    const sockets = await connectSockets(o.port, o.host ?? '127.0.0.1', o.clients, o.connectTimeoutMs ?? 5000);
    const first = slice?.first ?? 0;
    const total = slice?.total ?? o.clients;
    sockets.forEach((conn, i) => {
      d.clients.push(new LoadClient(d, conn, o.pipeline, ((first + i) / total) * d.intervalMs));
    });
    return d;
  }

  /** Successful replies so far, writes and reads. */
  get completed(): number {
    return this.stats[STAT.acked]! + this.stats[STAT.reads]!;
  }

  /** Acknowledged writes so far (reads not counted). */
  get acked(): number {
    return this.stats[STAT.acked]!;
  }

  get errors(): number {
    return this.stats[STAT.errors]!;
  }

  noteError(message: string): void {
    this.stats[STAT.errors]!++;
    if (this.firstError !== null) return;
    this.firstError = message;
    this.slice?.onFirstError(message);
  }

  /** Load connections closed so far (by the server, or by close()). */
  get closedConnections(): number {
    return this.stats[STAT.closed]!;
  }

  get openLoop(): boolean {
    return this.intervalMs > 0;
  }

  /** Starts sending; t0 is the write phase's time origin. */
  start(t0 = performance.now()): void {
    this.startedAt = t0;
    this.running = true;
    if (this.openLoop) {
      this.unsentDue = 0;
      this.tick();
    } else {
      for (const c of this.clients) this.pump(c, t0);
    }
  }

  /** Stops issuing new operations (outstanding ones still complete or stay in flight). */
  halt(at = performance.now()): void {
    if (!this.running) return;
    this.running = false;
    this.haltedAt = at;
    this.writesAtHalt = 0;
    this.readsAtHalt = 0;
    for (const c of this.clients) {
      this.writesAtHalt += c.writes;
      this.readsAtHalt += c.reads;
    }
    this.wake.cancel();
    if (this.openLoop && this.issued < this.limit) this.accountUnsent(at);
    this.checkSettled();
  }

  get isRunning(): boolean {
    return this.running;
  }

  private dueAt(c: LoadClient, slot: number): number {
    return this.startedAt + c.offsetMs + slot * this.intervalMs;
  }

  /**
   * A worker saw the shared stop: halt at the main thread's instant (on this clock), so the
   * open loop's unsent ops are counted up to the kill and not to when this thread noticed.
   */
  haltOnStop(): void {
    if (this.sawStopAt === 0) this.sawStopAt = performance.now();
    const s = this.slice!;
    this.halt(Math.min(s.stop.at[0]! - s.offsetMs, this.sawStopAt));
  }

  /** Open loop: sends what is due on every client, then sleeps until the next op falls due. */
  private tick(): void {
    if (!this.running) return;
    if (this.slice !== null && Atomics.load(this.slice.stop.flag, 0) !== 0) {
      this.haltOnStop();
      return;
    }
    const now = performance.now();
    let next = Infinity;
    this.ticking = true;
    for (const c of this.clients) {
      this.pump(c, now);
      // a client whose window is full is pumped again by its next reply, not by the clock
      if (!c.closed && c.free > 0) next = Math.min(next, this.dueAt(c, c.slot));
    }
    this.ticking = false;
    if (next < Infinity) this.wake.at(next);
  }

  /**
   * A client read replies: its freed slots are refilled once every reply of this event-loop
   * turn has been read (setImmediate runs right after the poll phase), as redis-benchmark's
   * event loop writes after its reads. Refilling at once put a loopback send, which wakes the
   * server, between every two reads: 31–34k against 42–47k ops/s at pipeline 1, 50 clients,
   * the same redis-server (`npm run bench:load`). A closed-loop op's clock starts at the refill,
   * when it is written, as redis-benchmark's does; an open-loop op's at its due time, as always.
   */
  replied(c: LoadClient): void {
    if (c.queued) return;
    c.queued = true;
    this.toRefill.push(c);
    if (this.refillArmed) return;
    this.refillArmed = true;
    setImmediate(this.refill);
  }

  private readonly refill = (): void => {
    this.refillArmed = false;
    const q = this.toRefill;
    const now = performance.now();
    for (let i = 0; i < q.length; i++) {
      q[i]!.queued = false;
      this.pump(q[i]!, now);
    }
    q.length = 0;
  };

  /** Fills a client's free slots (closed loop) or sends all its due ops (open loop), in one write. */
  private pump(c: LoadClient, now: number): void {
    if (!this.running || c.closed) return;
    if (this.slice !== null && Atomics.load(this.slice.stop.flag, 0) !== 0) {
      this.haltOnStop();
      return;
    }
    const w = this.writer;
    const wl = this.workload;
    const ledger = this.ledger;
    let n = c.free;
    if (this.issued + n > this.limit) n = this.limit - this.issued;
    if (!this.openLoop) {
      for (let i = 0; i < n; i++) c.push(slotOf(wl.next(w, ledger, now), ledger), now);
    } else {
      let sent = 0;
      for (; sent < n; sent++) {
        const due = this.dueAt(c, c.slot);
        if (due > now) break;
        c.slot++;
        c.push(slotOf(wl.next(w, ledger, due), ledger), due);
      }
      n = sent;
    }
    if (n > 0) {
      this.issued += n;
      const sentAt = performance.now();
      c.socket.write(w.take());
      c.markSent(n, sentAt);
      if (this.openLoop) {
        for (let k = 0; k < n; k++) {
          const us = Math.round((sentAt - Math.max(c.dueOfNewest(k), c.availAt)) * 1000);
          this.lagHist.recordValue(us > 0 ? us : 0);
        }
      }
      if (this.issued >= this.limit) this.halt(now);
    }
    // a reply freed a slot: the clock must wake for this client's next op too
    if (this.openLoop && c.free > 0 && !this.ticking && this.running) this.wake.at(this.dueAt(c, c.slot));
  }

  /**
   * At the halt, the ops each client should have sent by then but did not: counted, and their
   * wait so far recorded as a lower bound of their latency. The kind of an unsent op is not
   * known (it was never generated), so reads are apportioned by the workload's read share.
   */
  private accountUnsent(at: number): void {
    let unsent = 0;
    let readCredit = 0;
    const share = this.workload.readShare;
    for (const c of this.clients) {
      const last = Math.floor((at - this.startedAt - c.offsetMs) / this.intervalMs);
      for (let k = c.slot; k <= last; k++) {
        const us = Math.round((at - this.dueAt(c, k)) * 1000);
        readCredit += share;
        if (readCredit >= 1) {
          readCredit -= 1;
          this.readHist.recordValue(us > 0 ? us : 1);
        } else {
          this.hist.recordValue(us > 0 ? us : 1);
        }
        unsent++;
      }
    }
    this.unsentDue = unsent;
  }

  /** Resolves once no client has an outstanding op (replied, or its connection closed). */
  settled(): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private isSettled(): boolean {
    if (this.running) return false;
    for (const c of this.clients) if (!c.closed && c.count > 0) return false;
    return true;
  }

  checkSettled(): void {
    if (this.settledWaiters.length === 0 || !this.isSettled()) return;
    const ws = this.settledWaiters;
    this.settledWaiters = [];
    for (const w of ws) w();
  }

  /** Write-latency histogram (µs, from the intended send time) of all the clients. */
  histograms(): Histogram[] {
    return [this.hist];
  }

  readHistograms(): Histogram[] {
    return [this.readHist];
  }

  /** Open loop: the generator's send lag (µs). */
  lagHistograms(): Histogram[] {
    return [this.lagHist];
  }

  serviceHistograms(): Histogram[] {
    return [this.serviceHist];
  }

  close(): void {
    this.halt();
    for (const c of this.clients) c.socket.destroy();
  }

  slowWrites(ms: number, now: number): Promise<number> {
    return Promise.resolve(this.ledger.slowerThan(ms, now));
  }

  /** One thread: nothing to collect, close() is the end. */
  finish(): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

/**
 * A write's ledger slot (what ack/fail take) from the op next() returned: the op itself in a
 * whole ledger, the last slot in a worker's slice; reads keep their negative op.
 */
function slotOf(op: number, ledger: Ledger): number {
  return op >= 0 ? ledger.size - 1 : op;
}
