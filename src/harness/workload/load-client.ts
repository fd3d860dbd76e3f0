/**
 * One load connection of the driver: a ring of outstanding operations (op index, negative
 * for a read, and the time its latency counts from), recording into its driver's HDR
 * histograms (merged across threads in one place later, measure/latency.ts). Writes and
 * reads are kept apart: throughput and the latency percentiles are about acknowledged
 * writes, and a `mixed` workload's GETs must not inflate them.
 */
import net from 'node:net';
import type { Histogram } from '../measure/latency.js';
import { STAT } from './driver-stats.js';
import type { Ledger } from './ledger.js';
import { readIndex } from './read-log.js';
import { MALFORMED } from './values.js';
import { foldReplies } from './fold-replies.js';
import { RespError, RespReader, type Reply } from './resp-reader.js';

/** What a client needs from its driver. */
export interface ClientHost {
  readonly ledger: Ledger;
  /**
   * The histograms every client of this driver records into, µs (one thread: no need for one
   * per client, and 3 per client were ~11 MB allocated at every connect of 50 clients):
   * acknowledged writes and successful reads from the intended send time, and (open loop) the
   * generator's own lateness: actual send − the moment the op could first have gone out, and
   * acknowledged writes' service time: actual send → reply (the wait for a free slot left out).
   */
  readonly hist: Histogram;
  readonly readHist: Histogram;
  readonly lagHist: Histogram;
  readonly serviceHist: Histogram;
  /** what a read's reply says about which write it saw (for ledger.reads), when logged */
  readonly decodeRead: ((v: Buffer | null) => number) | null;
  /** replies per op (a transaction's MULTI … EXEC), folded into one before onReply */
  readonly repliesPerOp: number;
  /** live counters (driver-stats.ts) */
  readonly stats: Int32Array;
  /** an error reply: counted, the first one's text kept */
  noteError(message: string): void;
  /** the client read replies: its freed slots get refilled (after this event-loop turn) */
  replied(c: LoadClient): void;
  checkSettled(): void;
}

/**
 * Every load socket of this thread reads into one 64 KB buffer (Node's `onread` option),
 * as the server's do (server/shared-read.ts): no Buffer and no stream 'data' event per read.
 * The reader is told its chunks are transient, so it copies what it keeps.
 */
const SHARED = Buffer.allocUnsafe(64 * 1024);

/** A connected load socket; what it reads goes to `onChunk`, set by its LoadClient. */
export interface LoadSocket {
  readonly socket: net.Socket;
  onChunk: (chunk: Buffer) => void;
}

export class LoadClient {
  /** acknowledged writes / successful reads so far */
  writes = 0;
  reads = 0;
  /**
   * The ring: the ledger slot of each outstanding write, or a read's negative op, and its
   * due time. It grows to `window` as needed: an open-loop client's window is 100k deep, and
   * allocating that for every client at connect (~60 MB for 50) set off a Mark-Compact and
   * page faults in the first tens of ms of every write phase, charged to the server.
   */
  private ops: Int32Array;
  private due: Float64Array;
  /** when each outstanding op was written (markSent) */
  private sent: Float64Array;
  private head = 0;
  count = 0;
  closed = false;
  /** open loop: how many due slots this client has used */
  slot = 0;
  /** waiting in the driver's refill list for this event-loop turn */
  queued = false;
  /**
   * When the window last went from full to having a free slot (a reply arrived). An op due
   * while the window was full could not be sent before then: that wait is the server's
   * (latency still counts it, from the due time), not the generator's.
   */
  availAt = 0;
  private now = 0;
  private readonly reader: RespReader;

  readonly socket: net.Socket;

  constructor(
    private readonly host: ClientHost,
    conn: LoadSocket,
    readonly window: number,
    /** open loop: this client's share of the interval, so clients do not send in lockstep */
    readonly offsetMs: number,
  ) {
    this.ops = new Int32Array(Math.min(window, 64));
    this.due = new Float64Array(this.ops.length);
    this.sent = new Float64Array(this.ops.length);
    const onReply = (r: Reply): void => this.onReply(r);
    this.reader = new RespReader(host.repliesPerOp > 1 ? foldReplies(host.repliesPerOp, onReply) : onReply, true);
    const socket = (this.socket = conn.socket);
    conn.onChunk = (chunk: Buffer): void => {
      this.now = performance.now();
      try {
        this.reader.feed(chunk);
      } catch (err) {
        socket.destroy(err as Error);
        return;
      }
      this.host.replied(this);
      if (this.count === 0) this.host.checkSettled();
    };
    socket.on('error', () => {
      /* the close event follows; outstanding ops stay in flight */
    });
    socket.on('close', () => {
      this.closed = true;
      this.host.stats[STAT.closed]!++;
      this.host.checkSettled();
    });
  }

  get free(): number {
    return this.window - this.count;
  }

  push(op: number, at: number): void {
    if (this.count === this.ops.length) this.grow();
    const i = (this.head + this.count) % this.ops.length;
    this.ops[i] = op;
    this.due[i] = at;
    this.count++;
  }

  /** The `n` newest outstanding ops went out in one write at `at`. */
  markSent(n: number, at: number): void {
    for (let k = 0; k < n; k++) this.sent[(this.head + this.count - 1 - k) % this.ops.length] = at;
  }

  /** Intended send time of the k-th newest outstanding op (0 = the last pushed). */
  dueOfNewest(k: number): number {
    return this.due[(this.head + this.count - 1 - k) % this.ops.length]!;
  }

  /** Doubles the ring (up to the window), its outstanding ops first, in order. */
  private grow(): void {
    const n = Math.min(this.ops.length * 2, this.window);
    const ops = new Int32Array(n);
    const due = new Float64Array(n);
    const sent = new Float64Array(n);
    for (let k = 0; k < this.count; k++) {
      const j = (this.head + k) % this.ops.length;
      ops[k] = this.ops[j]!;
      due[k] = this.due[j]!;
      sent[k] = this.sent[j]!;
    }
    this.ops = ops;
    this.due = due;
    this.sent = sent;
    this.head = 0;
  }

  private onReply(r: Reply): void {
    if (this.count === 0) throw new Error('RESP protocol error: unexpected reply');
    if (this.count === this.window) this.availAt = this.now;
    const op = this.ops[this.head]!;
    const at = this.due[this.head]!;
    const sentAt = this.sent[this.head]!;
    this.head = this.head + 1 === this.ops.length ? 0 : this.head + 1;
    this.count--;
    const ledger = this.host.ledger;
    if (r instanceof RespError) {
      if (op >= 0) ledger.fail(op, this.now);
      this.host.noteError(r.message);
      return;
    }
    const us = Math.round((this.now - at) * 1000);
    if (op >= 0) {
      ledger.ack(op, this.now, typeof r === 'number' ? r : 0);
      this.host.hist.recordValue(us > 0 ? us : 1);
      const service = Math.round((this.now - sentAt) * 1000);
      this.host.serviceHist.recordValue(service > 0 ? service : 1);
      this.writes++;
      this.host.stats[STAT.acked]!++;
    } else {
      this.host.readHist.recordValue(us > 0 ? us : 1);
      this.reads++;
      this.host.stats[STAT.reads]!++;
      const log = ledger.reads;
      if (log !== null && this.host.decodeRead !== null) {
        log.ack(readIndex(op), this.now, r === null || Buffer.isBuffer(r) ? this.host.decodeRead(r) : MALFORMED);
      }
    }
  }
}

/** Opens `n` load connections; all or nothing (a partial set is closed, and the first error thrown). */
export async function connectSockets(port: number, host: string, n: number, timeoutMs: number): Promise<LoadSocket[]> {
  const sockets = await Promise.allSettled(
    Array.from(
      { length: n },
      () =>
        new Promise<LoadSocket>((resolve, reject) => {
          const onread = {
            buffer: SHARED,
            callback: (bytes: number): boolean => {
              conn.onChunk(SHARED.subarray(0, bytes));
              return true;
            },
          };
          const s = net.connect({ port, host, noDelay: true, onread } as net.NetConnectOpts);
          const conn: LoadSocket = { socket: s, onChunk: () => {} };
          const timer = setTimeout(() => {
            s.destroy();
            reject(new Error(`connect timeout after ${timeoutMs} ms`));
          }, timeoutMs);
          s.once('connect', () => {
            clearTimeout(timer);
            s.removeAllListeners('error');
            resolve(conn);
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
    for (const s of sockets) if (s.status === 'fulfilled') s.value.socket.destroy();
    throw new Error(`load client could not connect to ${host}:${port}: ${(failed as PromiseRejectedResult).reason?.message}`);
  }
  return sockets.map((s) => (s as PromiseFulfilledResult<LoadSocket>).value);
}
