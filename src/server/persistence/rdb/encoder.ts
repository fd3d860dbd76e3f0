/**
 * RDB writer at the object and file level, like Redis's rdbSaveObject /
 * rdbSaveKeyValuePair / rdbSaveRio: `header` … `selectDb` … `entry`* … `footer`, over the
 * primitives of writer.ts. Usable for a whole-file save or an incremental background
 * snapshot (one entry at a time across event-loop turns, `flush()` at the end of a turn).
 *
 * Value encodings are the plain, universally loadable ones (STRING, LIST, SET, ZSET_2,
 * HASH; streams as redis-server 7.0's STREAM_LISTPACKS_2): redis-server 2.x–7.x loads them and converts small collections to its compact
 * encodings itself. Strings use Redis's integer encodings and LZF exactly where
 * rdbSaveRawString would.
 */
import type { KeyTable } from '../../key-table.js';
import { type Collection, List, Stream, type Value } from '../../keyspace.js';
import {
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_TYPE_HASH,
  RDB_TYPE_LIST,
  RDB_TYPE_SET,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_VERSION,
} from './constants.js';
import { writeStream } from './stream-rdb.js';
import { RdbWriter, type RdbSink, type RdbWriterOptions } from './writer.js';

export type { RdbSink } from './writer.js';

export interface RdbEncoderOptions extends RdbWriterOptions {
  /** Write the CRC-64 footer; false writes 8 zero bytes (rdbchecksum no). */
  checksum?: boolean;
}

export class RdbEncoder {
  /** The primitives (len, string, …), for callers writing records of their own. */
  readonly writer: RdbWriter;
  private readonly checksum: boolean;
  private finished = false;

  constructor(sink: RdbSink, options: RdbEncoderOptions = {}) {
    this.writer = new RdbWriter(sink, options);
    this.checksum = options.checksum ?? true;
  }

  /** Bytes handed to the sink so far plus bytes still batched. */
  get bytesWritten(): number {
    return this.writer.bytesWritten;
  }

  /** `REDIS00NN` magic and AUX fields (redis-ver, redis-bits, ctime, used-mem, aof-base…). */
  header(aux: Readonly<Record<string, string>> = {}, version = RDB_VERSION): void {
    this.writer.ascii(`REDIS${String(version).padStart(4, '0')}`);
    for (const [k, v] of Object.entries(aux)) this.aux(k, v);
  }

  aux(key: string, value: string): void {
    this.writer.byte(RDB_OPCODE_AUX);
    this.writer.string(key);
    this.writer.string(value);
  }

  /** SELECTDB, then RESIZEDB with the hash table size hints. */
  selectDb(db: number, dbSize: number, expiresSize: number): void {
    const w = this.writer;
    w.byte(RDB_OPCODE_SELECTDB);
    w.len(db);
    w.byte(RDB_OPCODE_RESIZEDB);
    w.len(dbSize);
    w.len(expiresSize);
  }

  /**
   * One key (rdbSaveKeyValuePair). Empty collections are not written (Redis never has
   * them, and its loader rejects or drops them); returns whether the key was written.
   */
  entry(key: string, value: Value, expireAtMs?: number): boolean {
    const w = this.writer;
    let type: number;
    if (typeof value === 'string') type = RDB_TYPE_STRING;
    else if (value instanceof List) type = value.items.length === 0 ? -1 : RDB_TYPE_LIST;
    else if (value instanceof Map) type = value.size === 0 ? -1 : RDB_TYPE_HASH;
    else if (value instanceof Set) type = value.size === 0 ? -1 : RDB_TYPE_SET;
    // A stream may be empty (consumer groups on it, or everything deleted): Redis keeps those.
    else if (value instanceof Stream) type = RDB_TYPE_STREAM_LISTPACKS_2;
    else type = value.scores.size === 0 ? -1 : RDB_TYPE_ZSET_2;
    if (type < 0) return false;

    if (expireAtMs !== undefined) {
      w.byte(RDB_OPCODE_EXPIRETIME_MS);
      w.millis(expireAtMs);
    }
    w.byte(type);
    w.string(key);
    switch (type) {
      case RDB_TYPE_STRING:
        w.string(value as string);
        break;
      case RDB_TYPE_LIST: {
        const items = (value as List).items;
        w.len(items.length);
        for (let i = 0; i < items.length; i++) w.string(items[i]!);
        break;
      }
      case RDB_TYPE_HASH:
        w.len((value as Map<string, string>).size);
        for (const [f, v] of value as Map<string, string>) {
          w.string(f);
          w.string(v);
        }
        break;
      case RDB_TYPE_SET:
        w.len((value as Set<string>).size);
        for (const m of value as Set<string>) w.string(m);
        break;
      case RDB_TYPE_STREAM_LISTPACKS_2:
        writeStream(w, value as Stream);
        break;
      default: {
        const scores = (value as { scores: Map<string, number> }).scores;
        w.len(scores.size);
        for (const [m, s] of scores) {
          w.string(m);
          w.binaryDouble(s);
        }
      }
    }
    return true;
  }

  /**
   * Entry `e` of a keyspace table: a string key-value pair goes from the table's bytes
   * straight into the output (no JS strings), a collection through entry().
   */
  stored(t: KeyTable<Collection>, e: number): boolean {
    const vlen = t.valueLength(e);
    if (vlen < 0) return this.entry(t.key(e), t.value(e), t.expireAt(e));
    const w = this.writer;
    const expireAtMs = t.expireAt(e);
    if (expireAtMs !== undefined) {
      w.byte(RDB_OPCODE_EXPIRETIME_MS);
      w.millis(expireAtMs);
    }
    w.byte(RDB_TYPE_STRING);
    const buf = t.buffer(e);
    const off = t.keyOffset(e);
    const klen = t.keyLength(e);
    w.stringBytes(buf, off, klen);
    w.stringBytes(buf, off + klen, vlen);
    return true;
  }

  /** Hands the batched bytes to the sink (end of an incremental snapshot's turn). */
  flush(): void {
    this.writer.flush();
  }

  /** EOF opcode and the checksum; everything is handed to the sink. */
  footer(): void {
    if (this.finished) throw new Error('RdbEncoder.footer() called twice');
    this.finished = true;
    this.writer.finish(RDB_OPCODE_EOF, this.checksum);
  }
}
