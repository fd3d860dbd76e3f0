/**
 * RDB primitives for writing (rdbSaveType, rdbSaveLen, rdbSaveRawString,
 * rdbSaveBinaryDoubleValue, rdbSaveMillisecondTime) over a chunked output with a running
 * CRC-64, like rio.c: bytes are batched into chunks (64 KB by default) and handed to a
 * sink, so the same writer serves a whole-file save and an incremental snapshot.
 */
import { RDB_64BITLEN, RDB_32BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF } from './constants.js';
import type { ChunkPool } from '../chunk-pool.js';
import { Crc64 } from './crc64.js';
import { lzfCompressInto } from './lzf.js';

/**
 * Copies up to this many bytes (a key, usually) byte by byte: Buffer.copy's argument checks
 * cost more than the copy there. In process, 200k keys of random 100-byte values, a save
 * 547 -> 520 ns per key; longer copies (the values) go through Buffer.copy.
 */
const SMALL_COPY = 32;

/** Receives output chunks; it owns them afterwards (the writer reuses only what the sink gives back to `pool`). */
export type RdbSink = (chunk: Buffer) => void;

export interface RdbWriterOptions {
  /** LZF-compress strings longer than 20 bytes when it saves >= 4 bytes (rdbcompression). */
  compress?: boolean;
  /** Bytes batched before the sink sees them. */
  chunkSize?: number;
  /** Where batch buffers come from (chunkSize is then its size): the sink gives written chunks back. */
  pool?: ChunkPool;
  /** Keep a running CRC-64 (default). False for bytes that another writer checksums as part of its file (a snapshot's collections, encoded on the main thread for the encoding thread). */
  crc?: boolean;
}

const DEFAULT_CHUNK = 64 * 1024;
/** Scratch buffers larger than this are dropped after use instead of kept. */
const SCRATCH_KEEP = 1 << 20;

/**
 * When s is the canonical decimal form of an integer that fits in 32 bits, its value
 * (rdbTryIntegerEncoding: string2ll succeeds and ll2string gives back the same bytes);
 * otherwise undefined. Only called for 1..11 chars.
 */
function integerValue(s: string): number | undefined {
  const n = s.length;
  let i = 0;
  let neg = false;
  let c = s.charCodeAt(0);
  if (c === 45 /* - */) {
    if (n === 1) return undefined;
    neg = true;
    i = 1;
    c = s.charCodeAt(1);
    if (c === 48) return undefined; // "-0", "-01"
  } else if (c === 48 /* 0 */) {
    return n === 1 ? 0 : undefined; // no leading zeros
  }
  let v = 0;
  for (; i < n; i++) {
    c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  v = neg ? -v : v;
  return v >= -2147483648 && v <= 2147483647 ? v : undefined;
}

/** integerValue of the latin1 bytes b[off, off + n) (1..11 of them). */
function integerValueBytes(b: Buffer, off: number, n: number): number | undefined {
  let i = off;
  const end = off + n;
  let neg = false;
  let c = b[i]!;
  if (c === 45 /* - */) {
    if (n === 1) return undefined;
    neg = true;
    c = b[++i]!;
    if (c === 48) return undefined; // "-0", "-01"
  } else if (c === 48 /* 0 */) {
    return n === 1 ? 0 : undefined; // no leading zeros
  }
  let v = 0;
  for (; i < end; i++) {
    c = b[i]! - 48;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  v = neg ? -v : v;
  return v >= -2147483648 && v <= 2147483647 ? v : undefined;
}

export class RdbWriter {
  private readonly sink: RdbSink;
  private readonly compress: boolean;
  private readonly chunkSize: number;
  private readonly pool: ChunkPool | undefined;
  private readonly crc: Crc64 | null;
  private buf: Buffer;
  private pos = 0;
  private written = 0;
  private scratchIn: Buffer = Buffer.alloc(0);
  private scratchOut: Buffer = Buffer.alloc(0);

  constructor(sink: RdbSink, options: RdbWriterOptions = {}) {
    this.sink = sink;
    this.compress = options.compress ?? true;
    this.crc = options.crc === false ? null : new Crc64();
    this.pool = options.pool;
    this.chunkSize = this.pool?.size ?? Math.max(64, options.chunkSize ?? DEFAULT_CHUNK);
    this.buf = this.newBatch();
  }

  /** Bytes handed to the sink so far plus bytes still batched. */
  get bytesWritten(): number {
    return this.written + this.pos;
  }

  /** One byte: a type or an opcode (rdbSaveType). */
  byte(b: number): void {
    if (this.pos + 1 > this.buf.length) this.emit(true);
    this.buf[this.pos++] = b;
  }

  /** ASCII text without a length prefix (the magic). */
  ascii(s: string): void {
    this.room(s.length);
    this.pos += this.buf.latin1Write(s, this.pos, s.length);
  }

  /** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit big-endian length. */
  len(n: number): void {
    this.room(9);
    const buf = this.buf;
    const p = this.pos;
    if (n < 64) {
      buf[p] = n;
      this.pos = p + 1;
    } else if (n < 16384) {
      buf[p] = 0x40 | (n >>> 8);
      buf[p + 1] = n & 0xff;
      this.pos = p + 2;
    } else if (n <= 0xffffffff) {
      buf[p] = RDB_32BITLEN;
      buf.writeUInt32BE(n, p + 1);
      this.pos = p + 5;
    } else {
      buf[p] = RDB_64BITLEN;
      buf.writeUInt32BE(Math.floor(n / 0x100000000), p + 1);
      buf.writeUInt32BE(n >>> 0, p + 5);
      this.pos = p + 9;
    }
  }

  /** rdbSaveLen of a full uint64 (stream IDs and counters; -1 is written as 2^64 - 1). */
  lenU64(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    if (u <= 0xffffffffn) return this.len(Number(u));
    this.room(9);
    this.buf[this.pos] = RDB_64BITLEN;
    this.buf.writeBigUInt64BE(u, this.pos + 1);
    this.pos += 9;
  }

  /** rdbSaveMillisecondTime: int64 little-endian. */
  millis(ms: number): void {
    this.room(8);
    const t = Math.trunc(ms);
    if (t >= 0 && t <= Number.MAX_SAFE_INTEGER) {
      this.buf.writeUInt32LE(t % 0x100000000, this.pos);
      this.buf.writeUInt32LE(Math.floor(t / 0x100000000), this.pos + 4);
    } else {
      this.buf.writeBigInt64LE(BigInt(t), this.pos);
    }
    this.pos += 8;
  }

  /** rdbSaveBinaryDoubleValue: IEEE 754 little-endian. */
  binaryDouble(d: number): void {
    this.room(8);
    this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
  }

  /** rdbSaveRawString: integer encoding, else LZF when it pays, else length + bytes. */
  string(s: string): void {
    const n = s.length;
    if (n <= 11 && n > 0) {
      const v = integerValue(s);
      if (v !== undefined) {
        this.int(v);
        return;
      }
    }
    if (this.compress && n > 20) {
      this.compressed(s);
      return;
    }
    this.len(n);
    if (this.pos + n <= this.buf.length) {
      this.pos += this.buf.latin1Write(s, this.pos, s.length);
    } else if (n <= this.chunkSize) {
      this.emit(true);
      this.pos += this.buf.latin1Write(s, this.pos, s.length);
    } else {
      this.emit(true);
      const big = Buffer.allocUnsafe(n);
      big.latin1Write(s, 0, s.length);
      this.emitExternal(big);
    }
  }

  /** string() of the latin1 bytes src[off, off + n), with the same encodings, without a JS string. */
  stringBytes(src: Buffer, off: number, n: number): void {
    if (n <= 11 && n > 0) {
      const v = integerValueBytes(src, off, n);
      if (v !== undefined) {
        this.int(v);
        return;
      }
    }
    if (this.compress && n > 20 && this.lzfBlob(src, off, n, n - 4, n - 4)) return;
    this.len(n);
    this.bytes(src, n, off);
  }

  /**
   * rdbSaveLzfBlob of src[off, off + n) if LZF, allowed `outMax` output bytes (lzf_compress's
   * out_len), gets it down to at most `maxLen`; returns false, writing nothing, otherwise.
   * Strings allow n - 4 and take any fit (rdbSaveLzfStringObject); a list's compressed
   * quicklist node allows n and needs 8 bytes saved (__quicklistCompressNode).
   */
  lzfBlob(src: Buffer, off: number, n: number, outMax: number, maxLen: number): boolean {
    if (outMax <= 0) return false;
    if (this.scratchOut.length < outMax) this.scratchOut = Buffer.allocUnsafe(Math.max(outMax, 256));
    const dst = this.scratchOut;
    const clen = lzfCompressInto(src, off, off + n, dst, 0, outMax);
    const ok = clen > 0 && clen <= maxLen;
    if (ok) {
      this.byte(0xc0 | RDB_ENC_LZF);
      this.len(clen);
      this.len(n);
      this.bytes(dst, clen);
    }
    if (outMax > SCRATCH_KEEP) this.scratchOut = Buffer.alloc(0);
    return ok;
  }

  /** Raw bytes without a length (rdbWriteRaw: the PEL's 16-byte IDs). */
  raw(b: Buffer): void {
    this.bytes(b, b.length);
  }

  /** Hands the batched bytes to the sink (end of an incremental snapshot's turn). */
  flush(): void {
    this.emit(true);
  }

  /**
   * Ends the file: the given last byte (EOF), then the CRC-64 of everything (or 8 zero
   * bytes when `checksum` is false, as with rdbchecksum no), all handed to the sink.
   */
  finish(lastByte: number, checksum: boolean): void {
    this.room(9);
    this.buf[this.pos++] = lastByte;
    if (checksum && this.crc === null) throw new Error('RdbWriter: a checksum needs crc: true');
    this.crc?.update(this.buf.subarray(0, this.pos));
    if (checksum) this.crc!.digestBytes().copy(this.buf, this.pos);
    else this.buf.fill(0, this.pos, this.pos + 8);
    this.pos += 8;
    this.emit(false);
  }

  /** rdbSaveLzfStringObject, falling back to a raw string when LZF saves < 4 bytes. */
  private compressed(s: string): void {
    const n = s.length;
    if (this.scratchIn.length < n) this.scratchIn = Buffer.allocUnsafe(Math.max(n, 256));
    if (this.scratchOut.length < n) this.scratchOut = Buffer.allocUnsafe(Math.max(n, 256));
    const src = this.scratchIn;
    const dst = this.scratchOut;
    src.latin1Write(s, 0, s.length);
    const clen = lzfCompressInto(src, 0, n, dst, 0, n - 4);
    if (clen === 0) {
      this.len(n);
      this.bytes(src, n);
    } else {
      this.byte(0xc0 | RDB_ENC_LZF);
      this.len(clen);
      this.len(n);
      this.bytes(dst, clen);
    }
    if (n > SCRATCH_KEEP) {
      this.scratchIn = Buffer.alloc(0);
      this.scratchOut = Buffer.alloc(0);
    }
  }

  /** An integer-encoded string (RDB_ENC_INT8/16/32). */
  private int(v: number): void {
    this.room(5);
    const buf = this.buf;
    const p = this.pos;
    if (v >= -128 && v <= 127) {
      buf[p] = 0xc0 | RDB_ENC_INT8;
      buf.writeInt8(v, p + 1);
      this.pos = p + 2;
    } else if (v >= -32768 && v <= 32767) {
      buf[p] = 0xc0 | RDB_ENC_INT16;
      buf.writeInt16LE(v, p + 1);
      this.pos = p + 3;
    } else {
      buf[p] = 0xc0 | RDB_ENC_INT32;
      buf.writeInt32LE(v, p + 1);
      this.pos = p + 5;
    }
  }

  /** Copies src[off, off + n) into the output. */
  private bytes(src: Buffer, n: number, off = 0): void {
    if (this.pos + n <= this.buf.length) {
      if (n <= SMALL_COPY) {
        const buf = this.buf;
        let p = this.pos;
        for (let i = off, end = off + n; i < end; i++) buf[p++] = src[i]!;
      } else src.copy(this.buf, this.pos, off, off + n);
      this.pos += n;
    } else if (n <= this.chunkSize) {
      this.emit(true);
      src.copy(this.buf, 0, off, off + n);
      this.pos = n;
    } else {
      this.emit(true);
      this.emitExternal(Buffer.from(src.subarray(off, off + n)));
    }
  }

  /** Makes sure n (<= chunkSize) more bytes fit in the current chunk. */
  private room(n: number): void {
    if (this.pos + n > this.buf.length) this.emit(true);
  }

  /**
   * Hands the batched bytes to the sink. A nearly empty chunk is copied and the batch
   * buffer kept, so that frequent flushes of small snapshot turns don't each pin 64 KB.
   */
  private emit(updateCrc: boolean): void {
    if (this.pos === 0) return;
    let chunk: Buffer;
    if (this.pos < this.chunkSize >>> 2) {
      chunk = Buffer.from(this.buf.subarray(0, this.pos));
    } else {
      chunk = this.buf.subarray(0, this.pos);
      this.buf = this.newBatch();
    }
    if (updateCrc) this.crc?.update(chunk);
    this.written += chunk.length;
    this.pos = 0;
    this.sink(chunk);
  }

  private newBatch(): Buffer {
    return this.pool?.take() ?? Buffer.allocUnsafe(this.chunkSize);
  }

  /** A buffer too big to batch; it belongs to the sink afterwards. */
  private emitExternal(chunk: Buffer): void {
    this.crc?.update(chunk);
    this.written += chunk.length;
    this.sink(chunk);
  }
}
