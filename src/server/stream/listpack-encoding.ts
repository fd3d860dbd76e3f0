/**
 * Redis's listpack element encoding (src/listpack.c), for the stream, which decides when a
 * node is full exactly as redis-server does (by the node's listpack bytes), and for the RDB
 * writer, which writes stream nodes, small hashes and sorted sets and list nodes as the
 * listpacks redis-server would hold. An element is its encoding+data, then a backlen of 1..5
 * bytes; strings that read as an int64 (lpStringToInt64) are stored as integers.
 */

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * lpStringToInt64 of s: its value when s is the canonical decimal form of an int64 (a number
 * when it has at most 15 digits, exact; a bigint beyond), else null. No allocation on the
 * common paths.
 */
export function lpIntValue(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 45 /* - */) {
    if (n === 1) return null;
    i = 1;
    c = s.charCodeAt(1);
  }
  // "0" alone; otherwise the first digit is 1-9 ("-0", "01" are strings).
  if (c < 49 || c > 57) return n === 1 && c === 48 ? 0 : null;
  let v = 0;
  for (let j = i; j < n; j++) {
    const d = s.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  if (n - i <= 15) return i === 0 ? v : -v;
  const b = BigInt(s);
  return b >= INT64_MIN && b <= INT64_MAX ? b : null;
}

/** lpStringToInt64 as a bigint (null when s is not an int64). */
export function lpInt(s: string): bigint | null {
  const v = lpIntValue(s);
  return v === null ? null : BigInt(v);
}

/** Bytes of an integer's encoding+data (lpEncodeIntegerGetType). */
export function intEncodedSize(x: bigint | number): number {
  // (bigint and number compare exactly with each other)
  if (x >= 0 && x <= 127) return 1;
  if (x >= -4096 && x <= 4095) return 2;
  if (x >= -32768 && x <= 32767) return 3;
  if (x >= -8388608 && x <= 8388607) return 4;
  if (x >= -2147483648 && x <= 2147483647) return 5;
  return 9;
}

/** Bytes of a backlen for an element of l bytes (lpEncodeBacklen). */
export function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/** Bytes of a string's encoding+data, as a string (not integer) element. */
export function strEncodedSize(len: number): number {
  return len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
}

/** Whole element size of a small non-negative integer (counts, flags): the fast common case. */
export function lpIntElementSize(v: number): number {
  if (v >= 0 && v <= 127) return 2;
  const e = intEncodedSize(v);
  return e + backlenSize(e);
}

/** Whole element size of a string element (integer-looking strings are stored as integers). */
export function lpStrElementSize(s: string): number {
  const i = lpIntValue(s);
  const e = i !== null ? intEncodedSize(i) : strEncodedSize(s.length);
  return e + backlenSize(e);
}

/**
 * Appends elements to a growing buffer, then seals them into a listpack blob. reset() starts
 * the next one in the same buffer, so one builder serves as a writer's scratch.
 */
export class ListpackBuilder {
  private buf: Buffer;
  private pos = 6;
  private count = 0;

  constructor(capacity = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(16, capacity));
  }

  /** Starts a new, empty listpack (the previous finish()'s bytes are overwritten). */
  reset(): void {
    this.pos = 6;
    this.count = 0;
  }

  /** Bytes of the listpack so far, end marker included (lpBytes). */
  get bytes(): number {
    return this.pos + 1;
  }

  /** Elements so far. */
  get length(): number {
    return this.count;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const b = Buffer.allocUnsafe(cap);
    this.buf.copy(b, 0, 0, this.pos);
    this.buf = b;
  }

  private backlen(l: number): void {
    const b = this.buf;
    let p = this.pos;
    if (l <= 127) b[p++] = l;
    else if (l < 16383) {
      b[p++] = l >>> 7;
      b[p++] = (l & 127) | 128;
    } else if (l < 2097151) {
      b[p++] = l >>> 14;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    } else if (l < 268435455) {
      b[p++] = l >>> 21;
      b[p++] = ((l >>> 14) & 127) | 128;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    } else {
      b[p++] = Math.floor(l / 2 ** 28);
      b[p++] = ((l >>> 21) & 127) | 128;
      b[p++] = ((l >>> 14) & 127) | 128;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    }
    this.pos = p;
  }

  /** lpAppendInteger (a number must be an exact integer; int64 beyond 2^53 as a bigint). */
  int(v: bigint | number): void {
    this.room(14);
    const b = this.buf;
    const p = this.pos;
    if (typeof v === 'number' && v >= 0 && v <= 127) {
      b[p] = v;
      b[p + 1] = 1;
      this.pos = p + 2;
      this.count++;
      return;
    }
    const size = intEncodedSize(v);
    const n = Number(v);
    switch (size) {
      case 1:
        b[p] = n;
        break;
      case 2: {
        const u = n < 0 ? (1 << 13) + n : n;
        b[p] = (u >> 8) | 0xc0;
        b[p + 1] = u & 0xff;
        break;
      }
      case 3:
        b[p] = 0xf1;
        b.writeInt16LE(n, p + 1);
        break;
      case 4:
        b[p] = 0xf2;
        b.writeIntLE(n, p + 1, 3);
        break;
      case 5:
        b[p] = 0xf3;
        b.writeInt32LE(n, p + 1);
        break;
      default:
        b[p] = 0xf4;
        b.writeBigInt64LE(BigInt.asIntN(64, BigInt(v)), p + 1);
    }
    this.pos = p + size;
    this.backlen(size);
    this.count++;
  }

  /** lpAppend: an integer-looking string is stored as an integer. */
  str(s: string): void {
    const i = lpIntValue(s);
    if (i !== null) return this.int(i);
    this.text(s);
  }

  /** A string element, never turned into an integer (a zset score's "%.17g" text). */
  text(s: string): void {
    const len = s.length;
    const size = strEncodedSize(len);
    this.room(size + 5);
    const b = this.buf;
    let p = this.pos;
    if (len < 64) b[p++] = 0x80 | len;
    else if (len < 4096) {
      b[p++] = 0xe0 | (len >> 8);
      b[p++] = len & 0xff;
    } else {
      b[p++] = 0xf0;
      b.writeUInt32LE(len, p);
      p += 4;
    }
    // Short strings: a byte loop beats the native call's overhead.
    if (len < 24) for (let i = 0; i < len; i++) b[p++] = s.charCodeAt(i);
    else p += b.latin1Write(s, p, len);
    this.pos = p;
    this.backlen(size);
    this.count++;
  }

  /**
   * Seals the listpack — header (total bytes, element count or 65535), elements, 0xFF — in
   * `buffer`, and returns its length (no view made: the RDB writer copies from `buffer`).
   */
  seal(): number {
    this.room(1);
    const b = this.buf;
    b[this.pos++] = 0xff;
    b.writeUInt32LE(this.pos, 0);
    b.writeUInt16LE(this.count < 65535 ? this.count : 65535, 4);
    return this.pos;
  }

  /** The bytes seal() made are buffer[0, length); valid until the next reset(). */
  get buffer(): Buffer {
    return this.buf;
  }

  /** The sealed listpack as a view of the builder's buffer, valid until the next reset(). */
  finish(): Buffer {
    return this.buf.subarray(0, this.seal());
  }
}
