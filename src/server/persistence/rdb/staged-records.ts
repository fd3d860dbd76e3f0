/**
 * What a snapshot's main thread hands the encoding thread: the records of the file in order,
 * copied out of the key table into batch buffers with no encoding done. A string pair is its
 * key and value bytes as the table holds them (LZF, integer encodings and the CRC-64 are the
 * thread's work); anything else arrives already encoded (`raw`: the header, SELECTDB, a
 * collection). A record never spans two buffers: one too big for a batch gets a buffer of
 * its own.
 *
 *   RAW     u8 1, u32 length, bytes
 *   STRING  u8 2, u32 klen, u32 vlen, key bytes, value bytes
 *   STRING  u8 3, f64 expire-at ms, u32 klen, u32 vlen, key bytes, value bytes
 */
import type { ChunkPool } from '../chunk-pool.js';

const RAW = 1;
const PAIR = 2;
const PAIR_EXPIRING = 3;

/** Fills batch buffers from `pool` with records; `full` receives each buffer once no record fits in it. */
export class RecordStager {
  private buf: Buffer | null = null;
  private pos = 0;

  constructor(
    private readonly pool: ChunkPool,
    private readonly full: (batch: Buffer) => void,
  ) {}

  /** Already-encoded file bytes src[off, off + n). */
  raw(src: Buffer, off: number, n: number): void {
    const b = this.room(5 + n);
    b[this.pos] = RAW;
    b.writeUInt32LE(n, this.pos + 1);
    src.copy(b, this.pos + 5, off, off + n);
    this.pos += 5 + n;
  }

  /** A string key-value pair: the key at src[off, off + klen), its value right after it. */
  pair(src: Buffer, off: number, klen: number, vlen: number, expireAtMs: number | undefined): void {
    const head = expireAtMs === undefined ? 9 : 17;
    const b = this.room(head + klen + vlen);
    let p = this.pos;
    if (expireAtMs === undefined) b[p++] = PAIR;
    else {
      b[p++] = PAIR_EXPIRING;
      b.writeDoubleLE(expireAtMs, p);
      p += 8;
    }
    b.writeUInt32LE(klen, p);
    b.writeUInt32LE(vlen, p + 4);
    src.copy(b, p + 8, off, off + klen + vlen);
    this.pos = p + 8 + klen + vlen;
  }

  /** Hands over the partly filled buffer, if any. */
  flush(): void {
    if (this.buf === null || this.pos === 0) return;
    const b = this.buf.subarray(0, this.pos);
    this.buf = null;
    this.pos = 0;
    this.full(b);
  }

  /** A buffer with `n` bytes free at this.pos. */
  private room(n: number): Buffer {
    if (this.buf !== null && this.pos + n <= this.buf.length) return this.buf;
    this.flush();
    // Owned outright (allocUnsafeSlow, never a slice of Node's shared pool): it is transferred to the thread.
    this.buf = n <= this.pool.size ? this.pool.take() : Buffer.allocUnsafeSlow(n);
    return this.buf;
  }
}

/** What reading a batch of records calls, in order. */
export interface RecordHandler {
  raw(buf: Buffer, off: number, n: number): void;
  pair(buf: Buffer, off: number, klen: number, vlen: number, expireAtMs: number | undefined): void;
}

/** Calls `h` for every record of one batch buffer. */
export function readRecords(b: Buffer, h: RecordHandler): void {
  let p = 0;
  while (p < b.length) {
    const tag = b[p++];
    if (tag === RAW) {
      const n = b.readUInt32LE(p);
      h.raw(b, p + 4, n);
      p += 4 + n;
      continue;
    }
    let expireAtMs: number | undefined;
    if (tag === PAIR_EXPIRING) {
      expireAtMs = b.readDoubleLE(p);
      p += 8;
    } else if (tag !== PAIR) throw new Error(`staged records: unknown tag ${tag} at byte ${p - 1}`);
    const klen = b.readUInt32LE(p);
    const vlen = b.readUInt32LE(p + 4);
    h.pair(b, p + 8, klen, vlen, expireAtMs);
    p += 8 + klen + vlen;
  }
}
