/**
 * CRC-64/Jones as Redis computes it (src/crc64.c): reflected, polynomial
 * 0xad93d23594c935a9, init 0, no final xor; check("123456789") = 0xe9c6d914c4b8d9ca.
 *
 * The 64-bit state is kept as two uint32 halves and bytes are consumed eight at a time
 * with eight lookup tables (slice-by-8, as Redis's crcspeed does), so no BigInt is touched
 * until digest().
 */

/** Bit-reversed polynomial (0xad93d23594c935a9 reflected) as two halves. */
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

/** TABLE_LO[k * 256 + n] / TABLE_HI[...]: table k of slice-by-8; built by the first Crc64
 * (not at module load: it is ~1 ms of the server's start-up, and most starts never save). */
let TABLE_LO = new Uint32Array(0);
let TABLE_HI = new Uint32Array(0);

function buildTables(): void {
  TABLE_LO = new Uint32Array(8 * 256);
  TABLE_HI = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let lo = n;
    let hi = 0;
    for (let b = 0; b < 8; b++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | (hi << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        lo = (lo ^ POLY_LO) >>> 0;
        hi = (hi ^ POLY_HI) >>> 0;
      }
    }
    TABLE_LO[n] = lo;
    TABLE_HI[n] = hi;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const plo = TABLE_LO[(k - 1) * 256 + n]!;
      const phi = TABLE_HI[(k - 1) * 256 + n]!;
      const idx = plo & 0xff;
      TABLE_LO[k * 256 + n] = (TABLE_LO[idx]! ^ ((plo >>> 8) | (phi << 24))) >>> 0;
      TABLE_HI[k * 256 + n] = (TABLE_HI[idx]! ^ (phi >>> 8)) >>> 0;
    }
  }
}

/** Running CRC-64 (Redis's rio checksum). */
export class Crc64 {
  private lo = 0;
  private hi = 0;

  constructor() {
    if (TABLE_LO.length === 0) buildTables();
  }

  update(buf: Uint8Array): void {
    let lo = this.lo;
    let hi = this.hi;
    const T_LO = TABLE_LO;
    const T_HI = TABLE_HI;
    const len = buf.length;
    let i = 0;
    const end8 = len - (len & 7);
    while (i < end8) {
      const a = (lo ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24))) >>> 0;
      const b = (hi ^ (buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24))) >>> 0;
      const i7 = 7 * 256 + (a & 0xff);
      const i6 = 6 * 256 + ((a >>> 8) & 0xff);
      const i5 = 5 * 256 + ((a >>> 16) & 0xff);
      const i4 = 4 * 256 + (a >>> 24);
      const i3 = 3 * 256 + (b & 0xff);
      const i2 = 2 * 256 + ((b >>> 8) & 0xff);
      const i1 = 256 + ((b >>> 16) & 0xff);
      const i0 = b >>> 24;
      lo = T_LO[i7]! ^ T_LO[i6]! ^ T_LO[i5]! ^ T_LO[i4]! ^ T_LO[i3]! ^ T_LO[i2]! ^ T_LO[i1]! ^ T_LO[i0]!;
      hi = T_HI[i7]! ^ T_HI[i6]! ^ T_HI[i5]! ^ T_HI[i4]! ^ T_HI[i3]! ^ T_HI[i2]! ^ T_HI[i1]! ^ T_HI[i0]!;
      i += 8;
    }
    while (i < len) {
      const idx = (lo ^ buf[i]!) & 0xff;
      lo = T_LO[idx]! ^ ((lo >>> 8) | (hi << 24));
      hi = T_HI[idx]! ^ (hi >>> 8);
      i++;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  digest(): bigint {
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }

  /** The 8 bytes stored at the end of an RDB file (little-endian). */
  digestBytes(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32LE(this.lo >>> 0, 0);
    out.writeUInt32LE(this.hi >>> 0, 4);
    return out;
  }

  /** True when the digest equals the 8 little-endian bytes at buf[offset..]. */
  matches(buf: Uint8Array, offset: number): boolean {
    const lo = (buf[offset]! | (buf[offset + 1]! << 8) | (buf[offset + 2]! << 16) | (buf[offset + 3]! << 24)) >>> 0;
    const hi = (buf[offset + 4]! | (buf[offset + 5]! << 8) | (buf[offset + 6]! << 16) | (buf[offset + 7]! << 24)) >>> 0;
    return lo === this.lo >>> 0 && hi === this.hi >>> 0;
  }
}

export function crc64(buf: Uint8Array): bigint {
  const c = new Crc64();
  c.update(buf);
  return c.digest();
}
