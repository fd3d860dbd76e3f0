/**
 * Decoder for Redis's listpack blobs (RDB types HASH_LISTPACK, ZSET_LISTPACK, SET_LISTPACK
 * and the packed nodes of LIST_QUICKLIST_2), as laid out by src/listpack.c:
 *
 *   <total-bytes u32le> <num-elements u16le, 65535 = unknown> <entry>... <0xFF>
 *   entry = <encoding+data> <backlen: 1..5 bytes, the size of encoding+data>
 */
import { RdbError } from './rdb-error.js';

const LP_EOF = 0xff;

function corrupt(what: string): RdbError {
  return new RdbError(`corrupt listpack: ${what}`);
}

/** Bytes of the backlen field for an entry of l bytes (lpEncodeBacklen). */
function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/** Every entry of a listpack, integers rendered in decimal (as Redis replies them). */
export function listpackEntries(blob: Buffer): string[] {
  const len = blob.length;
  if (len < 7) throw corrupt(`${len} bytes is shorter than a header and end marker`);
  const total = blob.readUInt32LE(0);
  if (total !== len) throw corrupt(`header says ${total} bytes, blob has ${len}`);
  const count = blob.readUInt16LE(4);
  const out: string[] = [];
  const last = len - 1; // the end marker's position
  let p = 6;
  for (;;) {
    if (p > last) throw corrupt('missing end marker');
    const b = blob[p]!;
    if (b === LP_EOF) break;
    let start: number; // first data byte
    let size: number; // data bytes
    let v: string | undefined;
    if (b < 0x80) {
      // 0xxxxxxx: 7-bit unsigned int
      v = String(b);
      start = p + 1;
      size = 0;
    } else if (b < 0xc0) {
      // 10xxxxxx: string of up to 63 bytes
      start = p + 1;
      size = b & 0x3f;
    } else if (b < 0xe0) {
      // 110xxxxx yyyyyyyy: 13-bit signed int
      if (p + 2 > last) throw corrupt('entry past the end');
      let n = ((b & 0x1f) << 8) | blob[p + 1]!;
      if (n >= 1 << 12) n -= 1 << 13;
      v = String(n);
      start = p + 2;
      size = 0;
    } else if (b < 0xf0) {
      // 1110xxxx yyyyyyyy: string of up to 4095 bytes
      if (p + 2 > last) throw corrupt('entry past the end');
      start = p + 2;
      size = ((b & 0x0f) << 8) | blob[p + 1]!;
    } else {
      start = p + 1;
      switch (b) {
        case 0xf0: // 32-bit string length
          if (p + 5 > last) throw corrupt('entry past the end');
          size = blob.readUInt32LE(p + 1);
          start = p + 5;
          break;
        case 0xf1:
          size = 2;
          if (start + size > last) throw corrupt('entry past the end');
          v = String(blob.readInt16LE(start));
          break;
        case 0xf2:
          size = 3;
          if (start + size > last) throw corrupt('entry past the end');
          v = String(blob.readIntLE(start, 3));
          break;
        case 0xf3:
          size = 4;
          if (start + size > last) throw corrupt('entry past the end');
          v = String(blob.readInt32LE(start));
          break;
        case 0xf4:
          size = 8;
          if (start + size > last) throw corrupt('entry past the end');
          v = blob.readBigInt64LE(start).toString();
          break;
        default:
          throw corrupt(`bad encoding byte 0x${b.toString(16)} at offset ${p}`);
      }
    }
    const end = start + size;
    if (end > last) throw corrupt('entry past the end');
    out.push(v ?? blob.latin1Slice(start, end));
    p = end + backlenSize(end - p);
  }
  if (p !== last) throw corrupt('entry backlen runs past the end marker');
  if (count !== 0xffff && count !== out.length) {
    throw corrupt(`header says ${count} entries, found ${out.length}`);
  }
  return out;
}
