/**
 * Test-only writers for the compact encodings redis-server writes (ziplist, listpack,
 * intset, zipmap) and for hand-made RDB files around them, following src/ziplist.c,
 * src/listpack.c, src/intset.c, src/zipmap.c.
 */
import { Crc64 } from '../../../src/server/persistence/rdb/crc64.js';

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** The int64 a string is the canonical form of (string2ll), else undefined. */
function asInt(s: string): bigint | undefined {
  if (!/^-?\d{1,20}$/.test(s)) return undefined;
  const v = BigInt(s);
  return v.toString() === s && v >= I64_MIN && v <= I64_MAX ? v : undefined;
}

function intLE(v: bigint, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  let x = BigInt.asUintN(bytes * 8, v);
  for (let i = 0; i < bytes; i++) {
    b[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return b;
}

const inRange = (v: bigint, bits: number): boolean => v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits - 1);

function ziplistEntryBody(s: string): Buffer {
  const v = asInt(s);
  if (v !== undefined) {
    if (v >= 0n && v <= 12n) return Buffer.from([0xf1 + Number(v)]);
    if (inRange(v, 8)) return Buffer.concat([Buffer.from([0xfe]), intLE(v, 1)]);
    if (inRange(v, 16)) return Buffer.concat([Buffer.from([0xc0]), intLE(v, 2)]);
    if (inRange(v, 24)) return Buffer.concat([Buffer.from([0xf0]), intLE(v, 3)]);
    if (inRange(v, 32)) return Buffer.concat([Buffer.from([0xd0]), intLE(v, 4)]);
    return Buffer.concat([Buffer.from([0xe0]), intLE(v, 8)]);
  }
  const data = Buffer.from(s, 'latin1');
  const n = data.length;
  let hdr: Buffer;
  if (n < 64) hdr = Buffer.from([n]);
  else if (n < 16384) hdr = Buffer.from([0x40 | (n >> 8), n & 0xff]);
  else {
    hdr = Buffer.alloc(5);
    hdr[0] = 0x80;
    hdr.writeUInt32BE(n, 1);
  }
  return Buffer.concat([hdr, data]);
}

/** A ziplist holding the given entries (integer-looking strings use integer encodings). */
export function ziplist(entries: string[]): Buffer {
  const parts: Buffer[] = [];
  let prevlen = 0;
  let offset = 10;
  let tail = 10;
  for (const e of entries) {
    const body = ziplistEntryBody(e);
    let pl: Buffer;
    if (prevlen < 254) pl = Buffer.from([prevlen]);
    else {
      pl = Buffer.alloc(5);
      pl[0] = 0xfe;
      pl.writeUInt32LE(prevlen, 1);
    }
    const entry = Buffer.concat([pl, body]);
    tail = offset;
    offset += entry.length;
    prevlen = entry.length;
    parts.push(entry);
  }
  const header = Buffer.alloc(10);
  const total = offset + 1;
  header.writeUInt32LE(total, 0);
  header.writeUInt32LE(tail, 4);
  header.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  return Buffer.concat([header, ...parts, Buffer.from([0xff])]);
}

function backlen(l: number): Buffer {
  if (l <= 127) return Buffer.from([l]);
  if (l < 16383) return Buffer.from([l >> 7, (l & 127) | 128]);
  if (l < 2097151) return Buffer.from([l >> 14, ((l >> 7) & 127) | 128, (l & 127) | 128]);
  return Buffer.from([l >> 21, ((l >> 14) & 127) | 128, ((l >> 7) & 127) | 128, (l & 127) | 128]);
}

function listpackEntryBody(s: string): Buffer {
  const v = asInt(s);
  if (v !== undefined) {
    if (v >= 0n && v <= 127n) return Buffer.from([Number(v)]);
    if (inRange(v, 13)) {
      const u = Number(BigInt.asUintN(13, v));
      return Buffer.from([0xc0 | (u >> 8), u & 0xff]);
    }
    if (inRange(v, 16)) return Buffer.concat([Buffer.from([0xf1]), intLE(v, 2)]);
    if (inRange(v, 24)) return Buffer.concat([Buffer.from([0xf2]), intLE(v, 3)]);
    if (inRange(v, 32)) return Buffer.concat([Buffer.from([0xf3]), intLE(v, 4)]);
    return Buffer.concat([Buffer.from([0xf4]), intLE(v, 8)]);
  }
  const data = Buffer.from(s, 'latin1');
  const n = data.length;
  let hdr: Buffer;
  if (n < 64) hdr = Buffer.from([0x80 | n]);
  else if (n < 4096) hdr = Buffer.from([0xe0 | (n >> 8), n & 0xff]);
  else {
    hdr = Buffer.alloc(5);
    hdr[0] = 0xf0;
    hdr.writeUInt32LE(n, 1);
  }
  return Buffer.concat([hdr, data]);
}

/** A listpack holding the given entries (integer-looking strings use integer encodings). */
export function listpack(entries: string[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = listpackEntryBody(e);
    parts.push(body, backlen(body.length));
  }
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(6);
  header.writeUInt32LE(6 + body.length + 1, 0);
  header.writeUInt16LE(entries.length < 0xffff ? entries.length : 0xffff, 4);
  return Buffer.concat([header, body, Buffer.from([0xff])]);
}

/** An intset of the given width holding the values (sorted, as Redis keeps them). */
export function intset(values: bigint[], width: 2 | 4 | 8): Buffer {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const header = Buffer.alloc(8);
  header.writeUInt32LE(width, 0);
  header.writeUInt32LE(sorted.length, 4);
  return Buffer.concat([header, ...sorted.map((v) => intLE(v, width))]);
}

function zipmapLen(n: number): Buffer {
  if (n < 254) return Buffer.from([n]);
  const b = Buffer.alloc(5);
  b[0] = 254;
  b.writeUInt32LE(n, 1);
  return b;
}

/** A zipmap of the pairs; `free` unused bytes after each value, as after an update. */
export function zipmap(pairs: [string, string][], free = 0): Buffer {
  const parts: Buffer[] = [Buffer.from([Math.min(pairs.length, 254)])];
  for (const [k, v] of pairs) {
    const kb = Buffer.from(k, 'latin1');
    const vb = Buffer.from(v, 'latin1');
    parts.push(zipmapLen(kb.length), kb, zipmapLen(vb.length), Buffer.from([free]), vb, Buffer.alloc(free, 0x55));
  }
  parts.push(Buffer.from([0xff]));
  return Buffer.concat(parts);
}

/** rdbSaveLen. */
export function rdbLen(n: number): Buffer {
  if (n < 64) return Buffer.from([n]);
  if (n < 16384) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0x80;
  b.writeUInt32BE(n, 1);
  return b;
}

/** A raw (unencoded) RDB string. */
export function rdbString(s: string | Buffer): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
  return Buffer.concat([rdbLen(b.length), b]);
}

/** A complete RDB file: magic, the given records, EOF, and a correct checksum. */
export function rdbFile(records: Buffer[], version = 10, checksum = true): Buffer {
  const body = Buffer.concat([Buffer.from(`REDIS${String(version).padStart(4, '0')}`, 'latin1'), ...records, Buffer.from([0xff])]);
  if (version < 5) return body;
  const crc = new Crc64();
  crc.update(body);
  return Buffer.concat([body, checksum ? crc.digestBytes() : Buffer.alloc(8)]);
}

/** A key record: type byte, key, value payload. */
export function rdbRecord(type: number, key: string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), rdbString(key), payload]);
}
