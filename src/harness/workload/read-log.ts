/**
 * The reads a workload sent (mixed: GETs), in typed arrays as the ledger keeps writes: key,
 * send and reply times, and which write's value came back. The stale-read checker judges
 * them against the ledger afterwards. A read travels through the load client as the
 * negative op `readOp(i)`, so writes (op ≥ 0) and reads share one ring.
 */
import { grown } from './grow.js';
import { MALFORMED } from './values.js';

export const readOp = (i: number): number => -1 - i;
export const readIndex = (op: number): number => -1 - op;

export class ReadLog {
  size = 0;
  key: Uint32Array;
  sendAt: Float64Array;
  /** reply time; 0 while unanswered */
  ackAt: Float64Array;
  /** the op whose value the reply carried, MISSING (nil) or MALFORMED; errors are MALFORMED with ackAt 0 */
  found: Int32Array;
  private capacity: number;

  constructor(initialCapacity = 1 << 16) {
    this.capacity = Math.max(16, initialCapacity);
    this.key = new Uint32Array(this.capacity);
    this.sendAt = new Float64Array(this.capacity);
    this.ackAt = new Float64Array(this.capacity);
    this.found = new Int32Array(this.capacity);
  }

  /** Records a read about to be sent; returns its op (negative). */
  add(key: number, sendAt: number): number {
    if (this.size === this.capacity) this.grow();
    const i = this.size++;
    this.key[i] = key;
    this.sendAt[i] = sendAt;
    this.ackAt[i] = 0;
    this.found[i] = MALFORMED;
    return readOp(i);
  }

  /** Room for n reads without growing (merging worker slices). */
  reserve(n: number): void {
    while (this.capacity < n) this.grow();
  }

  ack(i: number, at: number, found: number): void {
    this.ackAt[i] = at;
    this.found[i] = found;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    this.key = grown(this.key, cap);
    this.sendAt = grown(this.sendAt, cap);
    this.ackAt = grown(this.ackAt, cap);
    this.found = grown(this.found, cap);
    this.capacity = cap;
  }
}
