/**
 * Decoder for Redis's intset blobs (RDB type SET_INTSET), as laid out by src/intset.c:
 *   <encoding u32le: 2, 4 or 8> <length u32le> <length little-endian signed integers>
 */
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
