/**
 * DUMP / RESTORE payloads as Redis's cluster.c makes them: the RDB type byte and the value
 * (rdbSaveObjectType + rdbSaveObject), then the RDB version as 2 bytes and the CRC-64 of
 * everything before it as 8, both little-endian. Values are written in the plain encodings
 * the RDB encoder uses (any redis-server loads them); RESTORE takes every type the RDB
 * loader does, compact encodings included, so redis-server's payloads restore here.
 */
import { List, Stream, type Value } from '../../keyspace.js';
import {
  RDB_TYPE_HASH,
  RDB_TYPE_LIST,
  RDB_TYPE_SET,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_VERSION,
} from './constants.js';
import { writeStream } from './stream-rdb.js';
import { Crc64 } from './crc64.js';
import { EMPTY, loadObject } from './load-object.js';
import { RdbReader } from './reader.js';
import { RdbWriter } from './writer.js';

export function dumpPayload(v: Value): Buffer {
  const chunks: Buffer[] = [];
  const w = new RdbWriter((c) => chunks.push(c));
  if (typeof v === 'string') {
    w.byte(RDB_TYPE_STRING);
    w.string(v);
  } else if (v instanceof List) {
    w.byte(RDB_TYPE_LIST);
    w.len(v.items.length);
    for (const s of v.items) w.string(s);
  } else if (v instanceof Map) {
    w.byte(RDB_TYPE_HASH);
    w.len(v.size);
    for (const [f, x] of v) {
      w.string(f);
      w.string(x);
    }
  } else if (v instanceof Set) {
    w.byte(RDB_TYPE_SET);
    w.len(v.size);
    for (const m of v) w.string(m);
  } else if (v instanceof Stream) {
    w.byte(RDB_TYPE_STREAM_LISTPACKS_2);
    writeStream(w, v);
  } else {
    w.byte(RDB_TYPE_ZSET_2);
    w.len(v.size);
    for (const n of v.nodes()) {
      w.string(n.member);
      w.binaryDouble(n.score);
    }
  }
  w.flush();
  const body = Buffer.concat([...chunks, Buffer.from([RDB_VERSION & 0xff, RDB_VERSION >> 8])]);
  const crc = new Crc64();
  crc.update(body);
  return Buffer.concat([body, crc.digestBytes()]);
}

/** verifyDumpPayload: long enough, a version we read, and the checksum matches. */
export function verifyPayload(p: Buffer): boolean {
  if (p.length < 10) return false;
  const version = p[p.length - 10]! | (p[p.length - 9]! << 8);
  if (version > RDB_VERSION) return false;
  const crc = new Crc64();
  crc.update(p.subarray(0, p.length - 8));
  return crc.matches(p, p.length - 8);
}

/** The value in a verified payload, or null when it does not parse ("Bad data format"). */
export function restorePayload(p: Buffer, key: string): Value | null {
  const r = new RdbReader(p.subarray(0, p.length - 10));
  try {
    const type = r.u8('the value type');
    const v = loadObject(r, type, key);
    return v === EMPTY ? null : v;
  } catch {
    return null;
  }
}
