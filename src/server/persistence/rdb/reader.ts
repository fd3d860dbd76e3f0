/**
 * RDB primitives for reading (rdbLoadLen, rdbGenericLoadStringObject, rdbLoadDoubleValue…),
 * over a whole file in memory or a window of one being read. Every read is bounds-checked:
 * running off the end is an RdbError saying what was being read, never a RangeError or a
 * garbage value; running off a window with more of the file to come is NEED_MORE.
 */
import {
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_MODULE_OPCODE_DOUBLE,
  RDB_MODULE_OPCODE_EOF,
  RDB_MODULE_OPCODE_FLOAT,
  RDB_MODULE_OPCODE_SINT,
  RDB_MODULE_OPCODE_STRING,
  RDB_MODULE_OPCODE_UINT,
} from './constants.js';
import { lzfDecompressInto } from './lzf.js';
import { RdbError } from './rdb-error.js';

/** Parses a zset score written as text (ZSET v1 and compact encodings: "inf", "1.5", "3"). */
export function parseScore(s: string): number {
  const x = Number(s);
  if (!Number.isNaN(x) && s.length > 0) return x;
  switch (s.toLowerCase()) {
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
  }
  throw new RdbError(`corrupt zset: score "${s}" is not a number`);
}

/**
 * Thrown instead of a truncation error when the bytes run out at the end of a window and
 * the file goes on: RdbLoader moves the window and reads the record again from its mark.
 * One object, made once: it is thrown once per window.
 */
export const NEED_MORE = new RdbError('the window ends inside a record');

/** LZF strings up to this size are decompressed into a reused buffer. */
const SCRATCH_MAX = 1 << 20;

export class RdbReader {
  pos = 0;
  /** Length of the last LZF string decompressed into scratch. */
  lzfLen = 0;
  lzfCount = 0;
  /** Where stringRange's result starts in the buffer it returned, and its length. */
  rangeStart = 0;
  rangeLen = 0;
  /** Reused LZF output: [0] for string(), [1] and [2] for stringRange's slots. */
  private readonly scratches: Buffer[] = [Buffer.alloc(0), Buffer.alloc(0), Buffer.alloc(0)];
  /** The readable bytes are buf[0, end); `more`: the file goes on past them. */
  end: number;
  more = false;
  /** Where the record being read began, and lzfCount then (mark/rewind). */
  private markPos = 0;
  private markLzf = 0;

  constructor(public buf: Buffer) {
    this.end = buf.length;
  }

  /** Reads go on in `buf` (the window moved: the caller adjusts pos). */
  window(buf: Buffer, end: number, more: boolean): void {
    this.buf = buf;
    this.end = end;
    this.more = more;
  }

  /** A record starts here. */
  mark(): void {
    this.markPos = this.pos;
    this.markLzf = this.lzfCount;
  }

  /** Back to the last mark, to read that record again once the window has moved. */
  rewind(): void {
    this.pos = this.markPos;
    this.lzfCount = this.markLzf;
  }

  truncated(what: string): RdbError {
    return this.more ? NEED_MORE : new RdbError(`RDB file is truncated: unexpected end of file while reading ${what}`, this.pos);
  }

  u8(what: string): number {
    if (this.pos >= this.end) throw this.truncated(what);
    return this.buf[this.pos++]!;
  }

  /** rdbLoadLen for a plain length (an encoded-value marker is an error here). */
  len(what: string): number {
    const buf = this.buf;
    const p = this.pos;
    if (p >= this.end) throw this.truncated(what);
    const b = buf[p]!;
    const kind = b >>> 6;
    if (kind === 0) {
      this.pos = p + 1;
      return b;
    }
    if (kind === 1) {
      if (p + 2 > this.end) throw this.truncated(what);
      this.pos = p + 2;
      return ((b & 0x3f) << 8) | buf[p + 1]!;
    }
    if (b === 0x80) {
      if (p + 5 > this.end) throw this.truncated(what);
      this.pos = p + 5;
      return buf.readUInt32BE(p + 1);
    }
    if (b === 0x81) {
      if (p + 9 > this.end) throw this.truncated(what);
      const hi = buf.readUInt32BE(p + 1);
      if (hi >= 0x200000) throw new RdbError(`${what}: length ${hi} * 2^32 is too large`, p);
      this.pos = p + 9;
      return hi * 0x100000000 + buf.readUInt32BE(p + 5);
    }
    throw new RdbError(`${what}: bad length encoding 0x${b.toString(16)}`, p);
  }

  /** rdbLoadLen for a full uint64 (stream IDs and counters). */
  lenU64(what: string): bigint {
    const p = this.pos;
    if (p < this.end && this.buf[p] === 0x81) {
      if (p + 9 > this.end) throw this.truncated(what);
      this.pos = p + 9;
      return this.buf.readBigUInt64BE(p + 1);
    }
    return BigInt(this.len(what));
  }

  /** rdbLoadMillisecondTime: int64 little-endian. */
  millis(what: string): number {
    if (this.pos + 8 > this.end) throw this.truncated(what);
    const v = Number(this.buf.readBigInt64LE(this.pos));
    this.pos += 8;
    return v;
  }

  /** n raw bytes (a copy). */
  raw(n: number, what: string): Buffer {
    if (this.pos + n > this.end) throw this.truncated(what);
    const b = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return b;
  }

  /** A collection length, checked against the bytes left (each element takes >= 1 byte). */
  count(what: string): number {
    const n = this.len(what);
    if (n > this.end - this.pos) throw this.truncated(what);
    return n;
  }

  /**
   * The header of a string record. A plain (length-prefixed) string: consumes it, leaves
   * its bytes at buf[rangeStart, rangeStart + rangeLen) and returns -1. An encoded one
   * (integer or LZF, first byte 0b11xxxxxx): consumes nothing, returns its encoding.
   */
  private stringHeader(what: string): number {
    const buf = this.buf;
    const p = this.pos;
    if (p >= this.end) throw this.truncated(what);
    const b = buf[p]!;
    let n: number;
    let start: number;
    if (b < 0x40) {
      n = b;
      start = p + 1;
    } else if (b < 0x80) {
      if (p + 2 > this.end) throw this.truncated(what);
      n = ((b & 0x3f) << 8) | buf[p + 1]!;
      start = p + 2;
    } else if (b >= 0xc0) {
      return b & 0x3f;
    } else {
      n = this.len(what);
      start = this.pos;
    }
    const end = start + n;
    if (end > this.end) {
      this.pos = start;
      throw this.truncated(what);
    }
    this.pos = end;
    this.rangeStart = start;
    this.rangeLen = n;
    return -1;
  }

  /** rdbGenericLoadStringObject as a latin1 string. */
  string(what: string): string {
    const enc = this.stringHeader(what);
    if (enc >= 0) return this.encodedString(enc, what);
    return this.buf.latin1Slice(this.rangeStart, this.rangeStart + this.rangeLen);
  }

  /**
   * string() as a byte range, no JS string made: returns the buffer holding it, its start
   * in rangeStart and its length in rangeLen. A raw string is a range of the file; an LZF
   * or integer-encoded one is decoded into scratch buffer `slot` (0 or 1, so a key and its
   * value can both be held), valid until the next call with that slot.
   */
  stringRange(what: string, slot: 0 | 1): Buffer {
    const enc = this.stringHeader(what);
    if (enc < 0) return this.buf;
    if (enc === RDB_ENC_LZF) {
      this.pos++;
      const out = this.lzf(what, slot + 1);
      this.rangeStart = 0;
      this.rangeLen = this.lzfLen;
      return out;
    }
    const s = this.encodedString(enc, what); // an integer: a few digits
    const out = this.slotScratch(slot, s.length);
    this.rangeStart = 0;
    this.rangeLen = out.latin1Write(s, 0, s.length);
    return out;
  }

  private slotScratch(slot: number, n: number): Buffer {
    const i = slot + 1;
    if (this.scratches[i]!.length < n) this.scratches[i] = Buffer.allocUnsafe(Math.max(n, 4096));
    return this.scratches[i]!;
  }

  /** A string as raw bytes (ziplist/listpack/intset blobs): a view when stored raw. */
  blob(what: string): Buffer {
    const p = this.pos;
    if (p >= this.end) throw this.truncated(what);
    const b = this.buf[p]!;
    if (b >= 0xc0) {
      const enc = b & 0x3f;
      if (enc === RDB_ENC_LZF) {
        this.pos = p + 1;
        return this.lzf(what);
      }
      return Buffer.from(this.encodedString(enc, what), 'latin1');
    }
    const n = this.len(what);
    const start = this.pos;
    if (start + n > this.end) throw this.truncated(what);
    this.pos = start + n;
    return this.buf.subarray(start, start + n);
  }

  private encodedString(enc: number, what: string): string {
    const buf = this.buf;
    const p = this.pos;
    switch (enc) {
      case RDB_ENC_INT8:
        if (p + 2 > this.end) throw this.truncated(what);
        this.pos = p + 2;
        return String(buf.readInt8(p + 1));
      case RDB_ENC_INT16:
        if (p + 3 > this.end) throw this.truncated(what);
        this.pos = p + 3;
        return String(buf.readInt16LE(p + 1));
      case RDB_ENC_INT32:
        if (p + 5 > this.end) throw this.truncated(what);
        this.pos = p + 5;
        return String(buf.readInt32LE(p + 1));
      case RDB_ENC_LZF: {
        this.pos = p + 1;
        const out = this.lzf(what, 0);
        return out.latin1Slice(0, this.lzfLen);
      }
      default:
        throw new RdbError(`${what}: unknown string encoding ${enc}`, p);
    }
  }

  /**
   * rdbLoadLzfStringObject, after the encoding byte. With a `scratch` index, the result is
   * in that reused buffer (valid until its next use; length in lzfLen) to spare an allocation.
   */
  private lzf(what: string, scratch = -1): Buffer {
    const clen = this.len(`${what} (compressed length)`);
    const ulen = this.len(`${what} (uncompressed length)`);
    const start = this.pos;
    if (start + clen > this.end) throw this.truncated(what);
    if (ulen > 0x7fffffff) throw new RdbError(`${what}: LZF length ${ulen} is too large`, start);
    // A compressed string of clen bytes expands to at most ~ clen * 264 / 3 bytes: a larger
    // claimed length is corruption, not a reason to allocate it.
    if (ulen > clen * 90 + 64) throw new RdbError(`${what}: LZF length ${ulen} is impossible for ${clen} compressed bytes`, start);
    let out: Buffer;
    if (scratch >= 0 && ulen <= SCRATCH_MAX) {
      if (this.scratches[scratch]!.length < ulen) this.scratches[scratch] = Buffer.allocUnsafe(Math.max(ulen, 4096));
      out = this.scratches[scratch]!;
    } else {
      out = Buffer.allocUnsafe(ulen);
    }
    this.lzfLen = ulen;
    this.lzfCount++;
    try {
      lzfDecompressInto(this.buf, start, start + clen, out, 0, ulen);
    } catch (e) {
      throw new RdbError(`${what}: invalid LZF compressed string: ${(e as Error).message}`, start);
    }
    this.pos = start + clen;
    return out;
  }

  /** rdbLoadBinaryDoubleValue. */
  binaryDouble(what: string): number {
    if (this.pos + 8 > this.end) throw this.truncated(what);
    const d = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return d;
  }

  /** rdbLoadDoubleValue: length byte (253 NaN, 254 +inf, 255 -inf) then ASCII. */
  textDouble(what: string): number {
    const n = this.u8(what);
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    if (this.pos + n > this.end) throw this.truncated(what);
    const s = this.buf.latin1Slice(this.pos, this.pos + n);
    this.pos += n;
    return parseScore(s);
  }

  /** Skips a module's serialized value (rdbLoadCheckModuleValue). */
  skipModuleValue(what: string): void {
    for (;;) {
      const op = this.len(what);
      if (op === RDB_MODULE_OPCODE_EOF) return;
      if (op === RDB_MODULE_OPCODE_SINT || op === RDB_MODULE_OPCODE_UINT) this.len(what);
      else if (op === RDB_MODULE_OPCODE_STRING) this.blob(what);
      else if (op === RDB_MODULE_OPCODE_FLOAT || op === RDB_MODULE_OPCODE_DOUBLE) {
        const n = op === RDB_MODULE_OPCODE_FLOAT ? 4 : 8;
        if (this.pos + n > this.end) throw this.truncated(what);
        this.pos += n;
      } else throw new RdbError(`${what}: unknown module opcode ${op}`, this.pos);
    }
  }
}
