/**
 * The load generator: `clients` raw-socket RESP connections, each keeping up to `pipeline`
 * commands outstanding.
 *
 * Why not ioredis: it allocates a Promise and a Command object per call, sends HELLO 3 and
 * CLIENT SETINFO on connect, and its ready check is the wrong clock during loading. A lean
 * client writes a whole window of commands in one socket write (slab-encoded, no copies),
 * counts replies against a ring of op indices, and records into a per-client HDR
 * histogram, which is what it takes to keep up with redis-benchmark (see `npm run bench:load`).
 *
 * Closed loop (rate 0): a reply frees a slot, the slot is refilled at once.
 * Open loop (rate > 0): op k of a client is due at t0 + k/rate_per_client; it is sent when
 * due and a slot is free, and its latency is measured from the due time, so a slow server
 * cannot hide its stalls by slowing the generator down (no coordinated omission).
 */
import net from 'node:net';
import { newHistogram, type Histogram } from '../measure/latency.js';
import type { Ledger } from './ledger.js';
import { RespError, RespReader, type Reply } from './resp-reader.js';
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

class LoadClient {
  readonly hist = newHistogram();
  /** ring of outstanding ops: op index (-1 for a read) and its send (or due) time */
  private readonly ops: Int32Array;
  private readonly due: Float64Array;
  private head = 0;
  count = 0;
  closed = false;
  /** open loop: how many due slots this client has used */
  slot = 0;
  private now = 0;
  private readonly reader: RespReader;

  constructor(
    private readonly d: Driver,
    readonly socket: net.Socket,
    private readonly window: number,
    /** open loop: this client's share of the interval, so clients do not send in lockstep */
    readonly offsetMs: number,
  ) {
    this.ops = new Int32Array(window);
    this.due = new Float64Array(window);
    this.reader = new RespReader((r) => this.onReply(r));
    socket.on('data', (chunk: Buffer) => {
      this.now = performance.now();
      try {
        this.reader.feed(chunk);
      } catch (err) {
        socket.destroy(err as Error);
        return;
      }
      this.d.pump(this, this.now);
      if (this.count === 0) this.d.checkSettled();
    });
    socket.on('error', () => {
      /* the close event follows; outstanding ops stay in flight */
    });
    socket.on('close', () => {
      this.closed = true;
      this.d.checkSettled();
    });
  }

  get free(): number {
    return this.window - this.count;
  }

  push(op: number, at: number): void {
    const i = (this.head + this.count) % this.window;
    this.ops[i] = op;
    this.due[i] = at;
    this.count++;
  }

  private onReply(r: Reply): void {
    if (this.count === 0) throw new Error('RESP protocol error: unexpected reply');
    const op = this.ops[this.head]!;
    const at = this.due[this.head]!;
    this.head = this.head + 1 === this.window ? 0 : this.head + 1;
    this.count--;
    const ledger = this.d.ledger;
    if (r instanceof RespError) {
      if (op >= 0) ledger.fail(op, this.now);
      this.d.errors++;
      this.d.firstError ??= r.message;
      return;
    }
    if (op >= 0) ledger.ack(op, this.now, typeof r === 'number' ? r : 0);
    const us = Math.round((this.now - at) * 1000);
    this.hist.recordValue(us > 0 ? us : 1);
    this.d.completed++;
  }
}

export class Driver {
  readonly ledger: Ledger;
  completed = 0;
  /** completed when the driver halted (what throughput counts) */
  completedAtHalt = 0;
  errors = 0;
  firstError: string | null = null;
  issued = 0;
  startedAt = 0;
  haltedAt = 0;
  private running = false;
  private readonly clients: LoadClient[] = [];
  private readonly writer = new CommandWriter();
  private readonly workload: Workload;
  private readonly limit: number;
  private readonly intervalMs: number;
  private ticker: NodeJS.Timeout | null = null;
  private settledWaiters: (() => void)[] = [];

  private constructor(private readonly o: DriverOptions) {
    this.ledger = o.ledger;
    this.workload = o.workload;
    this.limit = o.limitOps ?? Infinity;
    this.intervalMs = o.rate > 0 ? (1000 * o.clients) / o.rate : 0;
  }

  static async connect(o: DriverOptions): Promise<Driver> {
    const d = new Driver(o);
    const host = o.host ?? '127.0.0.1';
    const timeout = o.connectTimeoutMs ?? 5000;
    const sockets = await Promise.allSettled(
      Array.from(
        { length: o.clients },
        () =>
          new Promise<net.Socket>((resolve, reject) => {
            const s = net.connect({ port: o.port, host, noDelay: true });
            const timer = setTimeout(() => {
              s.destroy();
              reject(new Error(`connect timeout after ${timeout} ms`));
            }, timeout);
            s.once('connect', () => {
              clearTimeout(timer);
              s.removeAllListeners('error');
              resolve(s);
            });
            s.once('error', (e) => {
              clearTimeout(timer);
              reject(e);
            });
          }),
      ),
    );
    const failed = sockets.find((s) => s.status === 'rejected');
    if (failed) {
      for (const s of sockets) if (s.status === 'fulfilled') s.value.destroy();
      throw new Error(`load client could not connect to ${host}:${o.port}: ${(failed as PromiseRejectedResult).reason?.message}`);
    }
    sockets.forEach((s, i) => {
      const socket = (s as PromiseFulfilledResult<net.Socket>).value;
      d.clients.push(new LoadClient(d, socket, o.pipeline, (i / o.clients) * d.intervalMs));
    });
    return d;
  }

  /** Starts sending; t0 is the write phase's time origin. */
  start(t0 = performance.now()): void {
    this.startedAt = t0;
    this.running = true;
    if (this.intervalMs > 0) {
      const tick = (): void => {
        if (!this.running) return;
        const now = performance.now();
        for (const c of this.clients) this.pump(c, now);
        this.ticker = setTimeout(tick, 1);
      };
      tick();
    } else {
      for (const c of this.clients) this.pump(c, t0);
    }
  }

  /** Stops issuing new operations (outstanding ones still complete or stay in flight). */
  halt(at = performance.now()): void {
    if (!this.running) return;
    this.running = false;
    this.haltedAt = at;
    this.completedAtHalt = this.completed;
    if (this.ticker) clearTimeout(this.ticker);
    this.ticker = null;
    this.checkSettled();
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Fills a client's free slots and sends them in one write. */
  pump(c: LoadClient, now: number): void {
    if (!this.running || c.closed) return;
    const w = this.writer;
    const wl = this.workload;
    const ledger = this.ledger;
    let n = c.free;
    if (this.issued + n > this.limit) n = this.limit - this.issued;
    if (this.intervalMs === 0) {
      for (let i = 0; i < n; i++) c.push(wl.next(w, ledger, now), now);
    } else {
      const offset = c.offsetMs;
      let sent = 0;
      for (; sent < n; sent++) {
        const due = this.startedAt + offset + c.slot * this.intervalMs;
        if (due > now) break;
        c.slot++;
        c.push(wl.next(w, ledger, due), due);
      }
      n = sent;
    }
    if (n > 0) {
      this.issued += n;
      c.socket.write(w.take());
      if (this.issued >= this.limit) this.halt(now);
    }
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

  histograms(): Histogram[] {
    return this.clients.map((c) => c.hist);
  }

  close(): void {
    this.halt();
    for (const c of this.clients) c.socket.destroy();
  }
}
