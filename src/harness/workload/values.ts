/**
 * Values that identify the write they came from: `<op>:` followed by seeded pseudo-random
 * filler up to the value size. Incompressible enough that RDB/LZF sizes are realistic, and
 * checkable byte for byte, so a torn or foreign value is told apart from a lost one.
 */
import { Rng } from '../../shared/prng.js';
import { digitCount, type CommandWriter } from './resp-writer.js';

/** Read-back markers: the key is absent / holds something no write of ours produced. */
export const MISSING = -1;
export const MALFORMED = -2;

const POOL = 4096;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export class ValueCodec {
  readonly pool: Buffer;

  constructor(
    seed: number,
    readonly valueSize: number,
  ) {
    const rng = new Rng(seed ^ 0x5bd1e995);
    this.pool = Buffer.allocUnsafe(POOL + valueSize);
    for (let i = 0; i < this.pool.length; i++) this.pool[i] = ALPHABET.charCodeAt(rng.int(ALPHABET.length));
  }

  private offset(op: number): number {
    return (Math.imul(op, 0x9e3779b1) >>> 0) % POOL;
  }

  /** Writes the value of op as one bulk-string argument. */
  write(w: CommandWriter, op: number): void {
    const tail = this.valueSize - digitCount(op) - 1;
    w.argNumTail(op, 58, this.pool, this.offset(op), tail > 0 ? tail : 0);
  }

  /** The value of op as a Buffer (tests, small tools). */
  encode(op: number): Buffer {
    const head = `${op}:`;
    const tail = Math.max(0, this.valueSize - head.length);
    const off = this.offset(op);
    return Buffer.concat([Buffer.from(head, 'latin1'), this.pool.subarray(off, off + tail)]);
  }

  length(op: number): number {
    const head = digitCount(op) + 1;
    return Math.max(head, this.valueSize);
  }

  /** The op a value came from, or MALFORMED when no op of ours wrote exactly these bytes. */
  decode(v: Buffer): number {
    let op = 0;
    let i = 0;
    const n = v.length;
    for (; i < n && i < 16; i++) {
      const c = v[i]!;
      if (c === 58) break; // ':'
      if (c < 48 || c > 57) return MALFORMED;
      op = op * 10 + (c - 48);
    }
    if (i === 0 || i >= n || v[i] !== 58) return MALFORMED;
    if (i > 1 && v[0] === 48) return MALFORMED; // leading zero
    if (op > 0x7fffffff) return MALFORMED; // no op of ours: and it would wrap in an Int32Array
    const tail = Math.max(0, this.valueSize - (i + 1));
    if (n !== i + 1 + tail) return MALFORMED;
    const off = this.offset(op);
    if (tail > 0 && v.compare(this.pool, off, off + tail, i + 1, n) !== 0) return MALFORMED;
    return op;
  }
}

/** Parses a decimal element written by list-append, or MALFORMED. */
export function decodeInteger(v: Buffer | string): number {
  const s = typeof v === 'string' ? v : v.toString('latin1');
  if (!/^(0|[1-9]\d{0,14})$/.test(s)) return MALFORMED;
  return Number(s);
}
