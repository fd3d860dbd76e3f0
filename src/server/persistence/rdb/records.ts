/**
 * The records between an RDB's header and its EOF opcode: opcodes (expire times, SELECTDB,
 * RESIZEDB, AUX, module AUX, functions) and key records, read a number of keys at a time.
 */
import {
  RDB_MODULE_OPCODE_UINT,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_FUNCTION_PRE_GA,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_OPCODE_SLOT_INFO,
  RDB_TYPE_STRING,
} from './constants.js';
import type { LoadRdbOptions, RdbEntryHandler, RdbLoadStats, RdbStringBytesHandler } from './load-types.js';
import { EMPTY, loadObject } from './load-object.js';
import { RdbError } from './rdb-error.js';
import type { RdbReader } from './reader.js';

/**
 * RdbLoader's record reader: keeps the current database and a pending expire time across
 * read() calls, and counts keys into `stats` as it hands them to onEntry. SELECTDB goes to
 * onSelectDb: the keys after it belong to that database.
 */
export class RdbRecords {
  private readonly typeCounts = new Uint32Array(256);
  private db = 0;
  private expireAt: number | undefined;

  constructor(
    private readonly r: RdbReader,
    private readonly stats: RdbLoadStats,
    private readonly onEntry: RdbEntryHandler,
    private readonly onResize: LoadRdbOptions['onResize'],
    private readonly onBytes?: RdbStringBytesHandler,
    private readonly onSelectDb?: (db: number) => void,
  ) {}

  /** Reads records until maxKeys keys were read (false) or the EOF opcode (true). */
  read(maxKeys: number): boolean {
    const r = this.r;
    const buf = r.buf;
    const stats = this.stats;
    const typeCounts = this.typeCounts;
    const onEntry = this.onEntry;
    const onBytes = this.onBytes;
    let db = this.db;
    let expireAt = this.expireAt;
    let n = 0;
    try {
      while (n < maxKeys) {
        r.mark();
        const type = r.u8('the next opcode');
        switch (type) {
          case RDB_OPCODE_EXPIRETIME_MS: {
            if (r.pos + 8 > r.end) throw r.truncated('an expire time');
            const lo = buf.readUInt32LE(r.pos);
            const hi = buf.readInt32LE(r.pos + 4);
            expireAt = hi * 0x100000000 + lo;
            r.pos += 8;
            continue;
          }
          case RDB_OPCODE_EXPIRETIME:
            if (r.pos + 4 > r.end) throw r.truncated('an expire time');
            expireAt = buf.readInt32LE(r.pos) * 1000;
            r.pos += 4;
            continue;
          case RDB_OPCODE_FREQ:
            r.u8('an LFU frequency');
            continue;
          case RDB_OPCODE_IDLE:
            r.len('an LRU idle time');
            continue;
          case RDB_OPCODE_SELECTDB:
            db = r.len('a database number');
            this.onSelectDb?.(db);
            continue;
          case RDB_OPCODE_RESIZEDB: {
            const dbSize = r.len('the db size hint');
            const expiresSize = r.len('the expires size hint');
            this.onResize?.(dbSize, expiresSize);
            continue;
          }
          case RDB_OPCODE_SLOT_INFO:
            r.len('slot info');
            r.len('slot info');
            r.len('slot info');
            continue;
          case RDB_OPCODE_AUX: {
            const k = r.string('an AUX field name');
            stats.aux[k] = r.string(`AUX field "${k}"`);
            continue;
          }
          case RDB_OPCODE_MODULE_AUX: {
            r.len('module AUX id');
            const whenOp = r.len('module AUX when-opcode');
            if (whenOp !== RDB_MODULE_OPCODE_UINT) throw new RdbError('bad module AUX when-opcode', r.pos);
            r.len('module AUX when');
            r.skipModuleValue('module AUX data');
            continue;
          }
          case RDB_OPCODE_FUNCTION2:
            r.blob('a function library');
            stats.functionsSkipped++;
            continue;
          case RDB_OPCODE_FUNCTION_PRE_GA:
            throw new RdbError('functions in the pre-release 7.0 format (opcode 246) are not supported', r.pos - 1);
          case RDB_OPCODE_EOF:
            return true;
          default: {
            if (type === RDB_TYPE_STRING && onBytes !== undefined) {
              // The byte path: key and value stay bytes from the file to the table.
              const kbuf = r.stringRange('a key', 0);
              const koff = r.rangeStart;
              const klen = r.rangeLen;
              const vbuf = r.stringRange('string value', 1);
              typeCounts[type]!++;
              n++;
              stats.keys++;
              onBytes(kbuf, koff, klen, vbuf, r.rangeStart, r.rangeLen, expireAt);
              expireAt = undefined;
              continue;
            }
            const key = r.string('a key');
            const value = loadObject(r, type, key);
            typeCounts[type]!++;
            n++;
            if (value === EMPTY) stats.emptySkipped++;
            else {
              stats.keys++;
              onEntry(key, value, expireAt);
            }
            expireAt = undefined;
            continue;
          }
        }
      }
      return false;
    } finally {
      this.db = db;
      this.expireAt = expireAt;
    }
  }

  /** Once the file is complete: keys per RDB value type into stats.typeCounts. */
  countTypes(): void {
    const stats = this.stats;
    this.typeCounts.forEach((n, t) => {
      if (n > 0) stats.typeCounts[t] = n;
    });
  }
}
