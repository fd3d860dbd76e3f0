/**
 * RDB writer, layered like Redis's rdb.c: primitives (length, string, double) → objects
 * (`entry`) → file (`header` … `footer`). Bytes are batched into chunks (64 KB by default)
 * and handed to a sink with a running CRC-64, the way rio.c keeps one, so one encoder serves
 * a whole-file save and an incremental background snapshot (one entry at a time across
 * many event-loop turns, `flush()` at the end of each turn).
 *
 * Value encodings are the plain, universally loadable ones (STRING, LIST, SET, ZSET_2,
 * HASH): redis-server 2.x–7.x loads them and converts small collections to its compact
 * encodings itself. Strings use Redis's integer encodings and LZF exactly where
 * rdbSaveRawString would.
 */
import { List, type Value } from '../../keyspace.js';
import {
  RDB_64BITLEN,
  RDB_32BITLEN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_TYPE_HASH,
  RDB_TYPE_LIST,
  RDB_TYPE_SET,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_VERSION,
} from './constants.js';
import { Crc64 } from './crc64.js';
import { latin1Write } from './latin1.js';
import { lzfCompressInto } from './lzf.js';

export type RdbSink = (chunk: Buffer) => void;

export interface RdbEncoderOptions {
  /** LZF-compress strings longer than 20 bytes when it saves >= 4 bytes (rdbcompression). */
  compress?: boolean;
  /** Write the CRC-64 footer; false writes 8 zero bytes (rdbchecksum no). */
  checksum?: boolean;
  /** Bytes batched before the sink sees them. */
  chunkSize?: number;
}

const DEFAULT_CHUNK = 64 * 1024;
/** Scratch buffers larger than this are dropped after use instead of kept. */
const SCRATCH_KEEP = 1 << 20;

/**
 * When s is the canonical decimal form of an integer that fits in 32 bits, its value
 * (rdbTryIntegerEncoding: string2ll succeeds and ll2string gives back the same bytes);
 * otherwise undefined. Only called for 1..11 chars.
 */
function integerValue(s: string): number | undefined {
  const n = s.length;
  let i = 0;
  let neg = false;
  let c = s.charCodeAt(0);
  if (c === 45 /* - */) {
    if (n === 1) return undefined;
    neg = true;
    i = 1;
    c = s.charCodeAt(1);
    if (c === 48) return undefined; // "-0", "-01"
  } else if (c === 48 /* 0 */) {
    return n === 1 ? 0 : undefined; // no leading zeros
  }
  let v = 0;
  for (; i < n; i++) {
    c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  v = neg ? -v : v;
  return v >= -2147483648 && v <= 2147483647 ? v : undefined;
}

export class RdbEncoder {
  private readonly sink: RdbSink;
  private readonly compress: boolean;
  private readonly checksum: boolean;
  private readonly chunkSize: number;
  private readonly crc = new Crc64();
  private buf: Buffer;
  private pos = 0;
  private written = 0;
  private scratchIn: Buffer = Buffer.alloc(0);
  private scratchOut: Buffer = Buffer.alloc(0);
  private finished = false;

  constructor(sink: RdbSink, options: RdbEncoderOptions = {}) {
    this.sink = sink;
    this.compress = options.compress ?? true;
    this.checksum = options.checksum ?? true;
    this.chunkSize = Math.max(64, options.chunkSize ?? DEFAULT_CHUNK);
    this.buf = Buffer.allocUnsafe(this.chunkSize);
  }

  /** Bytes handed to the sink so far plus bytes still batched. */
  get bytesWritten(): number {
    return this.written + this.pos;
  }

  // ---- file ---------------------------------------------------------------------------

  /** `REDIS00NN` magic and AUX fields (redis-ver, redis-bits, ctime, used-mem, aof-base…). */
  header(aux: Readonly<Record<string, string>> = {}, version = RDB_VERSION): void {
    this.room(9);
    this.pos += this.buf.write(`REDIS${String(version).padStart(4, '0')}`, this.pos, 'latin1');
    for (const [k, v] of Object.entries(aux)) this.aux(k, v);
  }

  aux(key: string, value: string): void {
    this.room(1);
    this.buf[this.pos++] = RDB_OPCODE_AUX;
    this.string(key);
    this.string(value);
  }

  /** SELECTDB, then RESIZEDB with the hash table size hints. */
  selectDb(db: number, dbSize: number, expiresSize: number): void {
    this.room(1);
    this.buf[this.pos++] = RDB_OPCODE_SELECTDB;
    this.len(db);
    this.room(1);
    this.buf[this.pos++] = RDB_OPCODE_RESIZEDB;
    this.len(dbSize);
    this.len(expiresSize);
  }

  /**
   * One key (rdbSaveKeyValuePair). Empty collections are not written (Redis never has
   * them, and its loader rejects or drops them); returns whether the key was written.
   */
  entry(key: string, value: Value, expireAtMs?: number): boolean {
    let type: number;
    if (typeof value === 'string') type = RDB_TYPE_STRING;
    else if (value instanceof List) {
      if (value.items.length === 0) return false;
      type = RDB_TYPE_LIST;
    } else if (value instanceof Map) {
      if (value.size === 0) return false;
      type = RDB_TYPE_HASH;
    } else if (value instanceof Set) {
      if (value.size === 0) return false;
      type = RDB_TYPE_SET;
    } else {
      if (value.scores.size === 0) return false;
      type = RDB_TYPE_ZSET_2;
    }
    this.room(10);
    const buf = this.buf;
    if (expireAtMs !== undefined) {
      buf[this.pos] = RDB_OPCODE_EXPIRETIME_MS;
      const ms = Math.trunc(expireAtMs);
      if (ms >= 0 && ms <= Number.MAX_SAFE_INTEGER) {
        buf.writeUInt32LE(ms % 0x100000000, this.pos + 1);
        buf.writeUInt32LE(Math.floor(ms / 0x100000000), this.pos + 5);
      } else {
        buf.writeBigInt64LE(BigInt(ms), this.pos + 1);
      }
      this.pos += 9;
    }
    buf[this.pos++] = type;
    this.string(key);
    switch (type) {
      case RDB_TYPE_STRING:
        this.string(value as string);
        break;
      case RDB_TYPE_LIST: {
        const items = (value as List).items;
        this.len(items.length);
        for (let i = 0; i < items.length; i++) this.string(items[i]!);
        break;
      }
      case RDB_TYPE_HASH:
        this.len((value as Map<string, string>).size);
        for (const [f, v] of value as Map<string, string>) {
          this.string(f);
          this.string(v);
        }
        break;
      case RDB_TYPE_SET:
        this.len((value as Set<string>).size);
        for (const m of value as Set<string>) this.string(m);
        break;
      default: {
        const scores = (value as { scores: Map<string, number> }).scores;
        this.len(scores.size);
        for (const [m, s] of scores) {
          this.string(m);
          this.room(8);
          this.buf.writeDoubleLE(s, this.pos);
          this.pos += 8;
        }
      }
    }
    return true;
  }

  /** EOF opcode and the checksum; everything is handed to the sink. */
  footer(): void {
    if (this.finished) throw new Error('RdbEncoder.footer() called twice');
    this.room(9);
    this.buf[this.pos++] = RDB_OPCODE_EOF;
    this.crc.update(this.buf.subarray(0, this.pos));
    if (this.checksum) this.crc.digestBytes().copy(this.buf, this.pos);
    else this.buf.fill(0, this.pos, this.pos + 8);
    this.pos += 8;
    this.emit(false);
    this.finished = true;
  }

  /** Hands the batched bytes to the sink (end of an incremental snapshot's turn). */
  flush(): void {
    if (this.pos > 0) this.emit(true);
  }

  // ---- primitives ---------------------------------------------------------------------

  /** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit big-endian length. */
  len(n: number): void {
    this.room(9);
    const buf = this.buf;
    const p = this.pos;
    if (n < 64) {
      buf[p] = n;
      this.pos = p + 1;
    } else if (n < 16384) {
      buf[p] = 0x40 | (n >>> 8);
      buf[p + 1] = n & 0xff;
      this.pos = p + 2;
    } else if (n <= 0xffffffff) {
      buf[p] = RDB_32BITLEN;
      buf.writeUInt32BE(n, p + 1);
      this.pos = p + 5;
    } else {
      buf[p] = RDB_64BITLEN;
      buf.writeUInt32BE(Math.floor(n / 0x100000000), p + 1);
      buf.writeUInt32BE(n >>> 0, p + 5);
      this.pos = p + 9;
    }
  }

  /** rdbSaveRawString: integer encoding, else LZF when it pays, else length + bytes. */
  string(s: string): void {
    const n = s.length;
    if (n <= 11 && n > 0) {
      const v = integerValue(s);
      if (v !== undefined) {
        this.room(5);
        const buf = this.buf;
        const p = this.pos;
        if (v >= -128 && v <= 127) {
          buf[p] = 0xc0 | RDB_ENC_INT8;
          buf.writeInt8(v, p + 1);
          this.pos = p + 2;
        } else if (v >= -32768 && v <= 32767) {
          buf[p] = 0xc0 | RDB_ENC_INT16;
          buf.writeInt16LE(v, p + 1);
          this.pos = p + 3;
        } else {
          buf[p] = 0xc0 | RDB_ENC_INT32;
          buf.writeInt32LE(v, p + 1);
          this.pos = p + 5;
        }
        return;
      }
    }
    if (this.compress && n > 20) {
      this.compressed(s);
      return;
    }
    this.len(n);
    if (this.pos + n <= this.buf.length) {
      this.pos += latin1Write(this.buf, s, this.pos);
    } else if (n <= this.chunkSize) {
      this.emit(true);
      this.pos += latin1Write(this.buf, s, this.pos);
    } else {
      this.emit(true);
      const big = Buffer.allocUnsafe(n);
      latin1Write(big, s, 0);
      this.emitExternal(big);
    }
  }

  /** rdbSaveLzfStringObject, falling back to a raw string when LZF saves < 4 bytes. */
  private compressed(s: string): void {
    const n = s.length;
    if (this.scratchIn.length < n) this.scratchIn = Buffer.allocUnsafe(Math.max(n, 256));
    if (this.scratchOut.length < n) this.scratchOut = Buffer.allocUnsafe(Math.max(n, 256));
    const src = this.scratchIn;
    const dst = this.scratchOut;
    latin1Write(src, s, 0);
    const clen = lzfCompressInto(src, 0, n, dst, 0, n - 4);
    if (clen === 0) {
      this.len(n);
      this.bytes(src, n);
    } else {
      this.room(1);
      this.buf[this.pos++] = 0xc0 | RDB_ENC_LZF;
      this.len(clen);
      this.len(n);
      this.bytes(dst, clen);
    }
    if (n > SCRATCH_KEEP) {
      this.scratchIn = Buffer.alloc(0);
      this.scratchOut = Buffer.alloc(0);
    }
  }

  /** Copies src[0, n) into the output. */
  private bytes(src: Buffer, n: number): void {
    if (this.pos + n <= this.buf.length) {
      src.copy(this.buf, this.pos, 0, n);
      this.pos += n;
    } else if (n <= this.chunkSize) {
      this.emit(true);
      src.copy(this.buf, 0, 0, n);
      this.pos = n;
    } else {
      this.emit(true);
      this.emitExternal(Buffer.from(src.subarray(0, n)));
    }
  }

  /** Makes sure n (<= chunkSize) more bytes fit in the current chunk. */
  private room(n: number): void {
    if (this.pos + n > this.buf.length) this.emit(true);
  }

  /**
   * Hands the batched bytes to the sink. A nearly empty chunk is copied and the batch
   * buffer kept, so that frequent flushes of small snapshot turns don't each pin 64 KB.
   */
  private emit(updateCrc: boolean): void {
    if (this.pos === 0) return;
    let chunk: Buffer;
    if (this.pos < this.chunkSize >>> 2) {
      chunk = Buffer.from(this.buf.subarray(0, this.pos));
    } else {
      chunk = this.buf.subarray(0, this.pos);
      this.buf = Buffer.allocUnsafe(this.chunkSize);
    }
    if (updateCrc) this.crc.update(chunk);
    this.written += chunk.length;
    this.pos = 0;
    this.sink(chunk);
  }

  /** A buffer too big to batch; it belongs to the sink afterwards. */
  private emitExternal(chunk: Buffer): void {
    this.crc.update(chunk);
    this.written += chunk.length;
    this.sink(chunk);
  }
}
