/**
 * RDB reader, the mirror of encoder.ts and of Redis's rdbLoadRio: it reads what we write
 * and what redis-server 2.x–7.2 writes (plain types and the compact ziplist, listpack,
 * intset, zipmap and quicklist encodings), skips what does not change the dataset (IDLE,
 * FREQ, RESIZEDB, functions, module AUX data), and verifies the CRC-64 footer.
 * Everything malformed is an RdbError that says what and where; nothing reads past the end.
 * File level only: primitives are in reader.ts, values in load-object.ts.
 *
 * RdbLoader is resumable: step(n) reads up to n keys and returns, so a caller can let the
 * event loop run between steps while a large file loads (Redis answers -LOADING meanwhile,
 * processEventsWhileBlocked). loadRdb() is the one-call form.
 */
import type { Value } from '../../keyspace.js';
import {
  RDB_MAX_LOAD_VERSION,
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
} from './constants.js';
import { Crc64 } from './crc64.js';
import { EMPTY, loadObject } from './load-object.js';
import { RdbError } from './rdb-error.js';
import { RdbReader } from './reader.js';

export type RdbEntryHandler = (key: string, value: Value, expireAtMs: number | undefined) => void;

export interface RdbLoadStats {
  /** Keys handed to onEntry. */
  keys: number;
  aux: Record<string, string>;
  version: number;
  /** Bytes consumed, checksum included (an AOF with an RDB preamble continues there). */
  bytes: number;
  /** Keys holding an empty collection, dropped as Redis 7 drops them. */
  emptySkipped: number;
  /** Function libraries (FUNCTION2) present in the file and skipped. */
  functionsSkipped: number;
  /** Whether a checksum was verified (false: version < 5, or saved with rdbchecksum no). */
  checksumVerified: boolean;
  /** Keys per RDB value type id (RDB_TYPE_*), e.g. {0: 10, 16: 2}. */
  typeCounts: Record<number, number>;
  /** LZF-compressed strings (values, keys or encoded blobs) that were decompressed. */
  compressedStrings: number;
}

export interface LoadRdbOptions {
  /** Verify the CRC-64 footer (default true), as Redis does unless rdbchecksum is off. */
  verifyChecksum?: boolean;
  /** RESIZEDB's hints (keys, keys with a TTL), so a loader can size its tables as Redis does. */
  onResize?: (dbSize: number, expiresSize: number) => void;
}

/** Reads a whole RDB file, calling onEntry for every key in file order. */
export function loadRdb(buf: Buffer, onEntry: RdbEntryHandler, options: LoadRdbOptions = {}): RdbLoadStats {
  const loader = new RdbLoader(buf, onEntry, options);
  while (!loader.step(Infinity));
  return loader.stats;
}

/**
 * A resumable RDB load: the constructor checks the header, each step(maxKeys) reads up to
 * maxKeys key records (and any opcodes before them) and calls onEntry for each. The CRC-64
 * is kept up to date over the bytes consumed, step by step, so step() reports done only
 * after EOF was reached and the checksum verified. Every error is an RdbError; once a step
 * has thrown, the loader is failed and later steps throw the same error.
 */
export class RdbLoader {
  /** Running totals; final once step() returned true (`bytes` is the position so far until then). */
  readonly stats: RdbLoadStats;
  private readonly r: RdbReader;
  private readonly typeCounts = new Uint32Array(256);
  /** Running checksum of buf[0, crcPos), or null when not verifying. */
  private readonly crc: Crc64 | null;
  private crcPos = 0;
  private db = 0;
  private expireAt: number | undefined;
  private state: 'loading' | 'done' | 'failed' = 'loading';
  private failure: unknown;
  private readonly onResize: LoadRdbOptions['onResize'];

  constructor(
    private readonly buf: Buffer,
    private readonly onEntry: RdbEntryHandler,
    options: LoadRdbOptions = {},
  ) {
    this.onResize = options.onResize;
    const r = new RdbReader(buf);
    const magicLen = Math.min(5, buf.length);
    if (buf.toString('latin1', 0, magicLen) !== 'REDIS'.slice(0, magicLen)) {
      throw new RdbError('not an RDB file: bad magic (expected "REDIS")', 0);
    }
    if (buf.length < 9) throw r.truncated('the header');
    const vtext = buf.toString('latin1', 5, 9);
    const version = /^\d{4}$/.test(vtext) ? Number(vtext) : NaN;
    if (!(version >= 1 && version <= RDB_MAX_LOAD_VERSION)) {
      throw new RdbError(`unsupported RDB format version "${vtext}" (this loader reads 1..${RDB_MAX_LOAD_VERSION})`, 5);
    }
    r.pos = 9;
    this.r = r;
    this.crc = version >= 5 && (options.verifyChecksum ?? true) ? new Crc64() : null;
    this.stats = {
      keys: 0,
      aux: {},
      version,
      bytes: 9,
      emptySkipped: 0,
      functionsSkipped: 0,
      checksumVerified: false,
      typeCounts: {},
      compressedStrings: 0,
    };
  }

  /** True once the whole file was read and its checksum verified. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** Bytes of the buffer consumed so far (for progress: compare with buf.length). */
  get position(): number {
    return this.r.pos;
  }

  /**
   * Reads up to maxKeys key records (at least 1; Infinity for the rest of the file).
   * Returns true when the file is complete: EOF read and checksum verified.
   */
  step(maxKeys: number): boolean {
    if (this.state === 'done') return true;
    if (this.state === 'failed') throw this.failure;
    if (!(maxKeys >= 1)) throw new RangeError(`RdbLoader.step: maxKeys must be at least 1, got ${maxKeys}`);
    try {
      const atEof = this.records(maxKeys);
      const r = this.r;
      if (this.crc !== null && r.pos > this.crcPos) {
        this.crc.update(this.buf.subarray(this.crcPos, r.pos));
        this.crcPos = r.pos;
      }
      this.stats.bytes = r.pos;
      this.stats.compressedStrings = r.lzfCount;
      if (!atEof) return false;
      this.finish();
      this.state = 'done';
      return true;
    } catch (e) {
      const err = e instanceof RangeError ? new RdbError(`RDB file is corrupt: ${e.message}`, this.r.pos) : e;
      this.state = 'failed';
      this.failure = err;
      throw err;
    }
  }

  /** Reads records until maxKeys keys were read (false) or the EOF opcode (true). */
  private records(maxKeys: number): boolean {
    const r = this.r;
    const buf = this.buf;
    const stats = this.stats;
    const typeCounts = this.typeCounts;
    const onEntry = this.onEntry;
    let db = this.db;
    let expireAt = this.expireAt;
    let n = 0;
    try {
      while (n < maxKeys) {
        const type = r.u8('the next opcode');
        switch (type) {
          case RDB_OPCODE_EXPIRETIME_MS: {
            if (r.pos + 8 > buf.length) throw r.truncated('an expire time');
            const lo = buf.readUInt32LE(r.pos);
            const hi = buf.readInt32LE(r.pos + 4);
            expireAt = hi * 0x100000000 + lo;
            r.pos += 8;
            continue;
          }
          case RDB_OPCODE_EXPIRETIME:
            if (r.pos + 4 > buf.length) throw r.truncated('an expire time');
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
            const keyAt = r.pos - 1;
            const key = r.string('a key');
            const value = loadObject(r, type, key);
            if (db !== 0) {
              throw new RdbError(`key "${key}" is in database ${db}: only database 0 is supported`, keyAt);
            }
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

  /** After the EOF opcode: the checksum footer, then the final stats. */
  private finish(): void {
    const r = this.r;
    const buf = this.buf;
    const stats = this.stats;
    if (stats.version >= 5) {
      const eofEnd = r.pos;
      if (eofEnd + 8 > buf.length) throw r.truncated('the checksum');
      const stored = buf.subarray(eofEnd, eofEnd + 8);
      const disabled = stored.every((b) => b === 0);
      const crc = this.crc;
      if (crc !== null && !disabled) {
        // crc covers buf[0, eofEnd): step() brought it up to the EOF opcode included.
        if (!crc.matches(buf, eofEnd)) {
          throw new RdbError(
            `RDB checksum mismatch: file says ${stored.readBigUInt64LE(0).toString(16)}, data gives ${crc.digest().toString(16)}`,
            eofEnd,
          );
        }
        stats.checksumVerified = true;
      }
      r.pos = eofEnd + 8;
    }
    stats.bytes = r.pos;
    stats.compressedStrings = r.lzfCount;
    this.typeCounts.forEach((n, t) => {
      if (n > 0) stats.typeCounts[t] = n;
    });
  }
}
