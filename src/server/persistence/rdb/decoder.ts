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
 *
 * It reads a Buffer, or a file through a window of a few MB (RdbSource), as redis-server reads
 * through a small buffer: reading a 1M-key file whole took ~100 ms of its load (120 MB of
 * fresh pages to fault in, held until the load ended), through the window ~20 ms.
 */
import { RDB_MAX_LOAD_VERSION } from './constants.js';
import { Crc64 } from './crc64.js';
import type { LoadRdbOptions, RdbEntryHandler, RdbLoadStats } from './load-types.js';
import { RdbError } from './rdb-error.js';
import { NEED_MORE, RdbReader } from './reader.js';
import { RdbRecords } from './records.js';

/** A file read through a window: `size` bytes, read with pread. */
export interface RdbSource {
  readonly size: number;
  /** Reads up to `length` bytes at file offset `position` into buf[offset..]; returns how many (0 at the end). */
  read(buf: Buffer, offset: number, length: number, position: number): number;
}

/** The window a file is read through; it grows for a record larger than it. */
export const RDB_WINDOW_BYTES = 4 << 20;

/** Reads a whole RDB file, calling onEntry for every key in file order. */
export function loadRdb(input: Buffer | RdbSource, onEntry: RdbEntryHandler, options: LoadRdbOptions = {}): RdbLoadStats {
  const loader = new RdbLoader(input, onEntry, options);
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
  /** The checksum stored in the footer, once step() returned true (0n: none, or version < 5). */
  footer = 0n;
  private readonly r: RdbReader;
  private readonly records: RdbRecords;
  /** Running checksum of the file up to the window's crcPos, or null when not verifying. */
  private crc: Crc64 | null = null;
  private crcPos = 0;
  /** The file offset of the window's first byte. */
  private base = 0;
  private readonly source: RdbSource | null;
  private state: 'loading' | 'done' | 'failed' = 'loading';
  private failure: unknown;

  constructor(input: Buffer | RdbSource, onEntry: RdbEntryHandler, options: LoadRdbOptions = {}) {
    let r: RdbReader;
    if (Buffer.isBuffer(input)) {
      this.source = null;
      r = new RdbReader(input);
    } else {
      this.source = input;
      r = new RdbReader(Buffer.allocUnsafe(Math.max(9, Math.min(input.size, options.windowBytes ?? RDB_WINDOW_BYTES))));
      r.end = 0;
      r.more = input.size > 0;
      this.r = r;
      this.fill(0);
    }
    const buf = r.buf;
    const magicLen = Math.min(5, r.end);
    if (buf.toString('latin1', 0, magicLen) !== 'REDIS'.slice(0, magicLen)) {
      throw new RdbError('not an RDB file: bad magic (expected "REDIS")', 0);
    }
    if (r.end < 9) throw r.truncated('the header'); // the window holds 9 bytes: the file has fewer
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

  /** Bytes of the file consumed so far (for progress: compare with its size). */
  get position(): number {
    return this.base + this.r.pos;
  }

  /**
   * Reads up to maxKeys key records (at least 1; Infinity for the rest of the file).
   * Returns true when the file is complete: EOF read and checksum verified.
   */
  step(maxKeys: number): boolean {
    if (this.state === 'done') return true;
    if (this.state === 'failed') throw this.failure;
    if (!(maxKeys >= 1)) throw new RangeError(`RdbLoader.step: maxKeys must be at least 1, got ${maxKeys}`);
    const r = this.r;
    try {
      let atEof: boolean;
      for (;;) {
        try {
          atEof = this.records.read(maxKeys);
          break;
        } catch (e) {
          if (e !== NEED_MORE) throw e;
          // the window ended inside a record: move it to the record's start, read it again
          r.rewind();
          this.fill(r.pos);
        }
      }
      this.sum(r.pos);
      this.stats.bytes = this.base + r.pos;
      this.stats.compressedStrings = r.lzfCount;
      if (!atEof) return false;
      this.finish();
      this.state = 'done';
      return true;
    } catch (e) {
      const err = e instanceof RangeError ? new RdbError(`RDB file is corrupt: ${e.message}`, this.base + r.pos) : e instanceof RdbError ? e.rebased(this.base) : e;
      this.state = 'failed';
      this.failure = err;
      throw err;
    }
  }

  /** The checksum brought up to window offset `to`. */
  private sum(to: number): void {
    if (this.crc !== null && to > this.crcPos) this.crc.update(this.r.buf.subarray(this.crcPos, to));
    this.crcPos = to;
  }

  /**
   * Moves the window of a file to start at window offset `from` (what is before it has been
   * read and summed) and reads as much more as it holds; a window with nothing to drop (a
   * record larger than it) doubles first.
   */
  private fill(from: number): void {
    const r = this.r;
    const src = this.source!;
    this.sum(from);
    let buf = r.buf;
    const kept = r.end - from;
    if (from === 0 && r.end === buf.length) {
      buf = Buffer.allocUnsafe(Math.min(buf.length * 2, src.size - this.base));
      r.buf.copy(buf, 0, 0, kept);
    } else if (from > 0) buf.copyWithin(0, from, r.end);
    this.base += from;
    r.pos -= from;
    this.crcPos = 0;
    let end = kept;
    let more = true;
    const want = Math.min(buf.length, src.size - this.base);
    while (end < want) {
      const got = src.read(buf, end, want - end, this.base + end);
      if (got === 0) {
        more = false; // the file shrank while being read: what is there is all there is
        break;
      }
      end += got;
    }
    r.window(buf, end, more && this.base + end < src.size);
  }

  /** After the EOF opcode: the checksum footer, then the final stats. */
  private finish(): void {
    const r = this.r;
    const stats = this.stats;
    if (stats.version >= 5) {
      if (r.pos + 8 > r.end && r.more) this.fill(r.pos);
      const eofEnd = r.pos;
      if (eofEnd + 8 > r.end) throw new RdbError('RDB file is truncated: unexpected end of file while reading the checksum', eofEnd);
      this.footer = r.buf.readBigUInt64LE(eofEnd);
      // crc covers the file up to the EOF opcode included: step() brought it there.
      if (this.crc !== null) stats.checksumVerified = footerMatches(this.footer, this.crc.digest(), eofEnd); // step() rebases its offset
      r.pos = eofEnd + 8;
    }
    stats.bytes = this.base + r.pos;
    stats.compressedStrings = r.lzfCount;
    this.records.countTypes();
  }
}

/**
 * Checks `sum`, the CRC-64 of the file up to its footer, against `stored` (the footer, at file
 * offset `at`): throws the mismatch RdbError; false when the file was written without a
 * checksum (rdbchecksum no: eight zero bytes), true when verified.
 */
export function footerMatches(stored: bigint, sum: bigint, at: number): boolean {
  if (stored === 0n) return false;
  if (sum !== stored) throw new RdbError(`RDB checksum mismatch: file says ${stored.toString(16)}, data gives ${sum.toString(16)}`, at);
  return true;
}
