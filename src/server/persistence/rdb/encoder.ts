/**
 * RDB writer at the object and file level, like Redis's rdbSaveObject /
 * rdbSaveKeyValuePair / rdbSaveRio: `header` … `selectDb` … `entry`* … `footer`, over the
 * primitives of writer.ts. Usable for a whole-file save or an incremental background
 * snapshot (one entry at a time across event-loop turns, `flush()` at the end of a turn).
 *
 * Values go in the encodings redis-server 7.0 would hold them in (object-writer.ts: listpacks,
 * intsets, quicklists for small collections, plain ones for the rest), so files compare in size
 * with redis-server's. Strings use Redis's integer encodings and LZF exactly where
 * rdbSaveRawString would.
 */
import type { KeyTable } from '../../key-table.js';
import type { Collection, Value } from '../../keyspace.js';
import {
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_TYPE_STRING,
  RDB_VERSION,
} from './constants.js';
import { ObjectWriter } from './object-writer.js';
import { RdbWriter, type RdbSink, type RdbWriterOptions } from './writer.js';

export type { RdbSink } from './writer.js';

export interface RdbEncoderOptions extends RdbWriterOptions {
  /** Write the CRC-64 footer; false writes 8 zero bytes (rdbchecksum no). */
  checksum?: boolean;
}

export class RdbEncoder {
  /** The primitives (len, string, …), for callers writing records of their own. */
  readonly writer: RdbWriter;
  private readonly objects: ObjectWriter;
  private readonly checksum: boolean;
  private finished = false;

  constructor(sink: RdbSink, options: RdbEncoderOptions = {}) {
    this.writer = new RdbWriter(sink, options);
    this.objects = new ObjectWriter(this.writer);
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
    const type = this.objects.type(value);
    if (type < 0) return false;
    if (expireAtMs !== undefined) {
      w.byte(RDB_OPCODE_EXPIRETIME_MS);
      w.millis(expireAtMs);
    }
    w.byte(type);
    w.string(key);
    this.objects.write(value, type);
    return true;
  }

  /**
   * Entry `e` of a keyspace table: a string key-value pair goes from the table's bytes
   * straight into the output (no JS strings), a collection through entry().
   */
  stored(t: KeyTable<Collection>, e: number): boolean {
    const vlen = t.valueLength(e);
    if (vlen < 0) return this.entry(t.key(e), t.value(e), t.expireAt(e));
    this.stringPair(t.buffer(e), t.keyOffset(e), t.keyLength(e), vlen, t.expireAt(e));
    return true;
  }

  /** A string key-value pair from bytes: the key at buf[off, off + klen), its value right after it (`vlen` bytes). */
  stringPair(buf: Buffer, off: number, klen: number, vlen: number, expireAtMs: number | undefined): void {
    const w = this.writer;
    if (expireAtMs !== undefined) {
      w.byte(RDB_OPCODE_EXPIRETIME_MS);
      w.millis(expireAtMs);
    }
    w.byte(RDB_TYPE_STRING);
    w.stringBytes(buf, off, klen);
    w.stringBytes(buf, off + klen, vlen);
  }

  /** Hands the batched bytes to the sink (end of an incremental snapshot's turn). */
  flush(): void {
    this.writer.flush();
  }

  /**
   * A background save's encoder (background-save.ts's SnapshotEncoder) is this object itself:
   * its methods are the same functions in every save, where an object of closures made per
   * save was a new call target each time, and V8 dropped the snapshot loop's optimized code
   * as every save began (`--trace-deopt`: "wrong call target").
   */
  db(id: number, keys: number, expires: number): void {
    this.selectDb(id, keys, expires);
  }

  finish(): void {
    this.footer();
  }

  /** EOF opcode and the checksum; everything is handed to the sink. */
  footer(): void {
    if (this.finished) throw new Error('RdbEncoder.footer() called twice');
    this.finished = true;
    this.writer.finish(RDB_OPCODE_EOF, this.checksum);
  }
}
