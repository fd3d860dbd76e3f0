/**
 * DUMP / RESTORE payloads as Redis's cluster.c makes them: the RDB type byte and the value
 * (rdbSaveObjectType + rdbSaveObject), then the RDB version as 2 bytes and the CRC-64 of
 * everything before it as 8, both little-endian. Values are in the encodings the RDB encoder
 * writes (redis-server's own: listpacks, intsets, quicklists); RESTORE takes every type the
 * RDB loader does, so redis-server's payloads restore here.
 */
import type { Value } from '../../keyspace.js';
import { RDB_VERSION } from './constants.js';
import { Crc64 } from './crc64.js';
import { EMPTY, loadObject } from './load-object.js';
import { ObjectWriter } from './object-writer.js';
import { RdbReader } from './reader.js';
import { RdbWriter } from './writer.js';

export function dumpPayload(v: Value): Buffer {
  const chunks: Buffer[] = [];
  const w = new RdbWriter((c) => chunks.push(c));
  const objects = new ObjectWriter(w);
  const type = objects.type(v);
  if (type < 0) throw new Error('DUMP of an empty collection');
  w.byte(type);
  objects.write(v, type);
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
