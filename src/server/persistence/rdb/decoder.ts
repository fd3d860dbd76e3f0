/**
 * RDB reader, the mirror of encoder.ts and of Redis's rdbLoadRio: it reads what we write
 * and what redis-server 2.x–7.2 writes (plain types and the compact ziplist, listpack,
 * intset, zipmap and quicklist encodings), skips what does not change the dataset (IDLE,
 * FREQ, RESIZEDB, functions, module AUX data), and verifies the CRC-64 footer.
 * Everything malformed is an RdbError that says what and where; nothing reads past the end.
 * File level only: primitives are in reader.ts, values in load-object.ts, the opcodes and
 * key records between header and EOF in records.ts.
 *
 * RdbLoader is resumable: step(n) reads up to n keys and returns, so a caller can let the
 * event loop run between steps while a large file loads (Redis answers -LOADING meanwhile,
 * processEventsWhileBlocked). loadRdb() is the one-call form.
 */
import { RDB_MAX_LOAD_VERSION } from './constants.js';
import { Crc64 } from './crc64.js';
import type { LoadRdbOptions, RdbEntryHandler, RdbLoadStats } from './load-types.js';
import { RdbError } from './rdb-error.js';
import { RdbReader } from './reader.js';
import { RdbRecords } from './records.js';

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
  private readonly records: RdbRecords;
  /** Running checksum of buf[0, crcPos), or null when not verifying. */
  private readonly crc: Crc64 | null;
  private crcPos = 0;
  private state: 'loading' | 'done' | 'failed' = 'loading';
  private failure: unknown;

  constructor(
    private readonly buf: Buffer,
    onEntry: RdbEntryHandler,
    options: LoadRdbOptions = {},
  ) {
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
    this.records = new RdbRecords(r, this.stats, onEntry, options.onResize, options.onStringBytes, options.onSelectDb);
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
      const atEof = this.records.read(maxKeys);
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

  /** After the EOF opcode: the checksum footer, then the final stats. */
  private finish(): void {
    const r = this.r;
    const buf = this.buf;
    const stats = this.stats;
    if (stats.version >= 5) {
      const eofEnd = r.pos;
      if (eofEnd + 8 > buf.length) throw r.truncated('the checksum');
      // crc covers buf[0, eofEnd): step() brought it up to the EOF opcode included.
      if (this.crc !== null) stats.checksumVerified = checkFooter(buf, eofEnd, this.crc.digest());
      r.pos = eofEnd + 8;
    }
    stats.bytes = r.pos;
    stats.compressedStrings = r.lzfCount;
    this.records.countTypes();
  }
}

/**
 * Checks `sum`, the CRC-64 of buf[0, eofEnd), against the footer stored at eofEnd: throws the
 * mismatch RdbError; false when the file was written without a checksum (rdbchecksum no:
 * eight zero bytes), true when verified.
 */
export function checkFooter(buf: Buffer, eofEnd: number, sum: bigint): boolean {
  const stored = buf.readBigUInt64LE(eofEnd);
  if (stored === 0n) return false;
  if (sum !== stored) throw new RdbError(`RDB checksum mismatch: file says ${stored.toString(16)}, data gives ${sum.toString(16)}`, eofEnd);
  return true;
}
