/**
 * Decoder for Redis's ziplist blobs (RDB types LIST_ZIPLIST, HASH_ZIPLIST, ZSET_ZIPLIST and
 * the nodes of LIST_QUICKLIST), as laid out by src/ziplist.c:
 *
 *   <zlbytes u32le> <zltail u32le> <zllen u16le> <entry>... <0xFF>
 *   entry = <prevlen: 1 byte < 254, or 0xFE + u32le> <encoding> <data>
 */
import { RdbError } from './rdb-error.js';

const ZIP_END = 0xff;

function corrupt(what: string): RdbError {
  return new RdbError(`corrupt ziplist: ${what}`);
}

/** Every entry of a ziplist, integers rendered in decimal (as Redis replies them). */
export function ziplistEntries(blob: Buffer): string[] {
  const len = blob.length;
  if (len < 11) throw corrupt(`${len} bytes is shorter than a header and end marker`);
  const zlbytes = blob.readUInt32LE(0);
  if (zlbytes !== len) throw corrupt(`header says ${zlbytes} bytes, blob has ${len}`);
  const count = blob.readUInt16LE(8);
  const out: string[] = [];
  let p = 10;
  for (;;) {
    if (p >= len) throw corrupt('missing end marker');
    let b = blob[p]!;
    if (b === ZIP_END) break;
    // prevlen
    p += b === 0xfe ? 5 : 1;
    if (p >= len) throw corrupt('entry header past the end');
    b = blob[p]!;
    const top = b >>> 6;
    if (top !== 3) {
      let slen: number;
      if (top === 0) {
        slen = b & 0x3f;
        p += 1;
      } else if (top === 1) {
        if (p + 2 > len) throw corrupt('entry header past the end');
        slen = ((b & 0x3f) << 8) | blob[p + 1]!;
        p += 2;
      } else {
        if (b !== 0x80 || p + 5 > len) throw corrupt(`bad string encoding 0x${b.toString(16)}`);
        slen = blob.readUInt32BE(p + 1);
        p += 5;
      }
      if (p + slen > len - 1) throw corrupt('string entry past the end');
      out.push(blob.latin1Slice(p, p + slen));
      p += slen;
      continue;
    }
    p += 1;
    let v: string;
    switch (b) {
      case 0xc0: // int16
        if (p + 2 > len) throw corrupt('integer past the end');
        v = String(blob.readInt16LE(p));
        p += 2;
        break;
      case 0xd0: // int32
        if (p + 4 > len) throw corrupt('integer past the end');
        v = String(blob.readInt32LE(p));
        p += 4;
        break;
      case 0xe0: // int64
        if (p + 8 > len) throw corrupt('integer past the end');
        v = blob.readBigInt64LE(p).toString();
        p += 8;
        break;
      case 0xf0: // int24
        if (p + 3 > len) throw corrupt('integer past the end');
        v = String(blob.readIntLE(p, 3));
        p += 3;
        break;
      case 0xfe: // int8
        if (p + 1 > len) throw corrupt('integer past the end');
        v = String(blob.readInt8(p));
        p += 1;
        break;
      default: {
        const imm = b & 0x0f; // 1111xxxx: xxxx - 1 in 0..12
        if (imm < 1 || imm > 13) throw corrupt(`bad encoding byte 0x${b.toString(16)}`);
        v = String(imm - 1);
      }
    }
    out.push(v);
  }
  if (p !== len - 1) throw corrupt('data after the end marker');
  if (count !== 0xffff && count !== out.length) {
    throw corrupt(`header says ${count} entries, found ${out.length}`);
  }
  return out;
}
