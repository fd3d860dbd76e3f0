/**
 * Redis's intset blobs (RDB type SET_INTSET), as laid out by src/intset.c:
 *   <encoding u32le: 2, 4 or 8> <length u32le> <length little-endian signed integers>
 */
import { lpIntValue } from '../../stream/listpack-encoding.js';
import { RdbError } from './rdb-error.js';

/** The members of an intset, in decimal. */
export function intsetMembers(blob: Buffer): string[] {
  if (blob.length < 8) throw new RdbError(`corrupt intset: ${blob.length} bytes is shorter than its header`);
  const width = blob.readUInt32LE(0);
  const count = blob.readUInt32LE(4);
  if (width !== 2 && width !== 4 && width !== 8) {
    throw new RdbError(`corrupt intset: bad encoding ${width}`);
  }
  if (8 + count * width !== blob.length) {
    throw new RdbError(`corrupt intset: ${count} x ${width}-byte members do not fill ${blob.length - 8} bytes`);
  }
  const out = new Array<string>(count);
  for (let i = 0, p = 8; i < count; i++, p += width) {
    out[i] =
      width === 2
        ? String(blob.readInt16LE(p))
        : width === 4
          ? String(blob.readInt32LE(p))
          : blob.readBigInt64LE(p).toString();
  }
  return out;
}

/**
 * Builds the intset redis-server holds for a set of int64 members (intset.c): ascending, each
 * in the smallest of int16/int32/int64 that fits them all. The buffers are reused from one set
 * to the next; build()'s result is valid until the next call.
 */
export class IntsetBuilder {
  private buf = Buffer.allocUnsafe(256);
  private nums = new Float64Array(64);

  build(members: Set<string>): Buffer {
    const n = members.size;
    if (this.nums.length < n) this.nums = new Float64Array(Math.max(n, this.nums.length * 2));
    const nums = this.nums;
    let i = 0;
    let exact = true;
    for (const m of members) {
      const v = lpIntValue(m);
      if (v === null) throw new Error(`intset member ${JSON.stringify(m.slice(0, 40))} is not an integer`);
      if (typeof v === 'bigint') exact = false;
      else nums[i++] = v;
    }
    if (!exact) return this.buildBig(members);
    const sorted = nums.subarray(0, n).sort();
    const lo = sorted[0]!;
    const hi = sorted[n - 1]!;
    const width = lo >= -32768 && hi <= 32767 ? 2 : lo >= -2147483648 && hi <= 2147483647 ? 4 : 8;
    const out = this.header(width, n);
    let p = 8;
    if (width === 2) for (let j = 0; j < n; j++, p += 2) out.writeInt16LE(sorted[j]!, p);
    else if (width === 4) for (let j = 0; j < n; j++, p += 4) out.writeInt32LE(sorted[j]!, p);
    else for (let j = 0; j < n; j++, p += 8) out.writeBigInt64LE(BigInt(sorted[j]!), p);
    return out;
  }

  /** Members beyond 15 digits: exact as bigints (always the 64-bit width). */
  private buildBig(members: Set<string>): Buffer {
    const big = BigInt64Array.from(members, (m) => BigInt(m)).sort();
    const out = this.header(8, big.length);
    for (let j = 0, p = 8; j < big.length; j++, p += 8) out.writeBigInt64LE(big[j]!, p);
    return out;
  }

  private header(width: number, n: number): Buffer {
    const size = 8 + width * n;
    if (this.buf.length < size) this.buf = Buffer.allocUnsafe(Math.max(size, this.buf.length * 2));
    const out = this.buf.subarray(0, size);
    out.writeUInt32LE(width, 0);
    out.writeUInt32LE(n, 4);
    return out;
  }
}
