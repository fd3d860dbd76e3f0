/**
 * The ledger of every write the workload sent: one slot per operation, in typed arrays so
 * that millions of writes fit (17 bytes per op for unique-set, 29 with keys and replies).
 * Times are performance.now() milliseconds. The op index is also the value's identity:
 * values carry it, so the checker can tell which write a read-back value came from.
 *
 * A load worker's ledger (threaded-driver.ts) is a slice: its slots are local, and each op
 * number is drawn from one counter shared by every worker (`opSource`), so op numbers stay
 * dense and unique over the run and the merged ledger (ledger-merge.ts) is indexed by op
 * exactly like a single-threaded one. `ops[slot]` keeps the op of each slot.
 */
import { grown } from './grow.js';
import { ReadLog } from './read-log.js';

export const IN_FLIGHT = 1;
export const ACKED = 2;
export const FAILED = 3;

export interface LedgerOptions {
  /** keep the key index of each op (all workloads but unique-set, where key = op) */
  keys?: boolean;
  /** keep the integer reply of each op (INCR value, RPUSH length) */
  replies?: boolean;
  /** keep a log of reads too (mixed), for the stale-read check */
  reads?: boolean;
  initialCapacity?: number;
  /** a worker's slice: op numbers come from this shared counter (Atomics.add on element 0) */
  opSource?: Int32Array;
}

export class Ledger {
  size = 0;
  state: Uint8Array;
  /** intended send time (open loop) or actual send time (closed loop) */
  sendAt: Float64Array;
  ackAt: Float64Array;
  key: Uint32Array | null;
  reply: Float64Array | null;
  readonly reads: ReadLog | null;
  /** a slice's op number per slot (null: slot = op) */
  ops: Int32Array | null;
  private readonly opSource: Int32Array | null;
  private capacity: number;

  constructor(opts: LedgerOptions = {}) {
    this.capacity = Math.max(16, opts.initialCapacity ?? 1 << 16);
    this.state = new Uint8Array(this.capacity);
    this.sendAt = new Float64Array(this.capacity);
    this.ackAt = new Float64Array(this.capacity);
    this.key = opts.keys ? new Uint32Array(this.capacity) : null;
    this.reply = opts.replies ? new Float64Array(this.capacity) : null;
    this.reads = opts.reads ? new ReadLog() : null;
    this.opSource = opts.opSource ?? null;
    this.ops = this.opSource ? new Int32Array(this.capacity) : null;
  }

  /**
   * Records a write about to be sent; returns its op number (the value's identity). Its slot,
   * what ack() and fail() take, is `size - 1` right after (the op itself unless a slice).
   */
  add(key: number, sendAt: number): number {
    if (this.size === this.capacity) this.grow();
    const i = this.size++;
    this.state[i] = IN_FLIGHT;
    this.sendAt[i] = sendAt;
    if (this.key) this.key[i] = key;
    if (this.opSource === null) return i;
    const op = Atomics.add(this.opSource, 0, 1);
    this.ops![i] = op;
    return op;
  }

  /** Room for n slots without growing (merging worker slices into one ledger). */
  reserve(n: number): void {
    while (this.capacity < n) this.grow();
  }

  ack(i: number, at: number, reply: number): void {
    this.state[i] = ACKED;
    this.ackAt[i] = at;
    if (this.reply) this.reply[i] = reply;
  }

  fail(i: number, at: number): void {
    this.state[i] = FAILED;
    this.ackAt[i] = at;
  }

  /**
   * Writes a client with a `ms` timeout would have given up on: answered (or failed) more
   * than `ms` after they were due, or still unanswered `ms` after, at `now`.
   */
  slowerThan(ms: number, now: number): number {
    let n = 0;
    const s = this.state;
    for (let i = 0; i < this.size; i++) {
      const end = s[i] === IN_FLIGHT ? now : this.ackAt[i]!;
      if (end - this.sendAt[i]! > ms) n++;
    }
    return n;
  }

  /** Key index of op i (unique-set: the op itself). */
  keyOf(i: number): number {
    return this.key ? this.key[i]! : i;
  }

  counts(): { attempted: number; acked: number; failed: number; inFlight: number } {
    let acked = 0;
    let failed = 0;
    let inFlight = 0;
    const s = this.state;
    for (let i = 0; i < this.size; i++) {
      const v = s[i];
      if (v === ACKED) acked++;
      else if (v === FAILED) failed++;
      else inFlight++;
    }
    return { attempted: this.size, acked, failed, inFlight };
  }

  private grow(): void {
    const cap = this.capacity * 2;
    this.state = grown(this.state, cap);
    this.sendAt = grown(this.sendAt, cap);
    this.ackAt = grown(this.ackAt, cap);
    if (this.key) this.key = grown(this.key, cap);
    if (this.reply) this.reply = grown(this.reply, cap);
    if (this.ops) this.ops = grown(this.ops, cap);
    this.capacity = cap;
  }
}
