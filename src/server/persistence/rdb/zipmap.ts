/**
 * Decoder for the zipmap blobs of RDB_TYPE_HASH_ZIPMAP (Redis < 2.6 small hashes), as laid
 * out by src/zipmap.c:
 *   <zmlen 1 byte> (<len>key <len><free>value <free bytes>)... <0xFF>
 *   len = 1 byte < 254, or 254 + u32le; 255 ends the map.
 */
import { RdbError } from './rdb-error.js';

const ZIPMAP_BIGLEN = 254;
const ZIPMAP_END = 255;

/** Field/value pairs of a zipmap, flattened: [field, value, field, value, ...]. */
export function zipmapEntries(blob: Buffer): string[] {
  const len = blob.length;
  const out: string[] = [];
  let p = 1; // skip zmlen (only a hint, 254 means "count it")
  const readLen = (): number => {
    if (p >= len) throw new RdbError('corrupt zipmap: length past the end');
    const b = blob[p]!;
    if (b < ZIPMAP_BIGLEN) {
      p += 1;
      return b;
    }
    if (b === ZIPMAP_END) return -1;
    if (p + 5 > len) throw new RdbError('corrupt zipmap: length past the end');
    const n = blob.readUInt32LE(p + 1);
    p += 5;
    return n;
  };
  for (;;) {
    const klen = readLen();
    if (klen < 0) break;
    if (p + klen > len) throw new RdbError('corrupt zipmap: field past the end');
    const field = blob.latin1Slice(p, p + klen);
    p += klen;
    const vlen = readLen();
    if (vlen < 0) throw new RdbError('corrupt zipmap: field without a value');
    if (p >= len) throw new RdbError('corrupt zipmap: value past the end');
    const free = blob[p]!;
    p += 1;
    if (p + vlen + free > len) throw new RdbError('corrupt zipmap: value past the end');
    out.push(field, blob.latin1Slice(p, p + vlen));
    p += vlen + free;
  }
  if (p !== len - 1) throw new RdbError('corrupt zipmap: data after the end marker');
  return out;
}
