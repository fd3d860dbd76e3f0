/**
 * Redis's listpack element encoding (src/listpack.c), for two users: the stream, which
 * decides when a node is full exactly as redis-server does (by the node's listpack bytes),
 * and the RDB writer, which writes each stream node as the listpack redis-server would hold.
 * An element is its encoding+data, then a backlen of 1..5 bytes.
 */

/** lpStringToInt64: the canonical decimal form of an int64, at most 20 chars. */
export function lpInt(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n >= 21) return null;
  if (n === 1 && s === '0') return 0n;
  if (!/^-?[1-9][0-9]*$/.test(s)) return null;
  if (n < 16) return BigInt(Number(s));
  const v = BigInt(s);
  return v >= -(1n << 63n) && v < 1n << 63n ? v : null;
}

/** Bytes of an integer's encoding+data (lpEncodeIntegerGetType). */
export function intEncodedSize(v: bigint | number): number {
  const x = typeof v === 'bigint' ? v : BigInt(v);
  if (x >= 0n && x <= 127n) return 1;
  if (x >= -4096n && x <= 4095n) return 2;
  if (x >= -32768n && x <= 32767n) return 3;
  if (x >= -8388608n && x <= 8388607n) return 4;
  if (x >= -2147483648n && x <= 2147483647n) return 5;
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
  const i = s.length <= 20 ? lpInt(s) : null;
  const e = i !== null ? intEncodedSize(i) : strEncodedSize(s.length);
  return e + backlenSize(e);
}

/** Appends elements to a growing buffer, then seals them into a listpack blob. */
export class ListpackBuilder {
  private buf = Buffer.allocUnsafe(256);
  private pos = 6;
  private count = 0;

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

  /** lpAppendInteger. */
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
    const x = typeof v === 'bigint' ? v : BigInt(v);
    const size = intEncodedSize(x);
    const n = Number(x);
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
        b.writeBigInt64LE(BigInt.asIntN(64, x), p + 1);
    }
    this.pos = p + size;
    this.backlen(size);
    this.count++;
  }

  /** lpAppend: an integer-looking string is stored as an integer. */
  str(s: string): void {
    const i = s.length <= 20 ? lpInt(s) : null;
    if (i !== null) return this.int(i);
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
    p += b.latin1Write(s, p, len);
    this.pos = p;
    this.backlen(size);
    this.count++;
  }

  /** The listpack: header (total bytes, element count or 65535), elements, 0xFF. */
  finish(): Buffer {
    this.room(1);
    this.buf[this.pos++] = 0xff;
    const out = this.buf.subarray(0, this.pos);
    out.writeUInt32LE(this.pos, 0);
    out.writeUInt16LE(this.count < 65535 ? this.count : 65535, 4);
    return out;
  }
}
