/**
 * RDB reader, the mirror of encoder.ts and of Redis's rdbLoadRio: it reads what we write
 * and what redis-server 2.x–7.2 writes (plain types and the compact ziplist, listpack,
 * intset, zipmap and quicklist encodings), skips what does not change the dataset (IDLE,
 * FREQ, RESIZEDB, functions, module AUX data), and verifies the CRC-64 footer.
 * Everything malformed is an RdbError that says what and where; nothing reads past the end.
 */
import { List, ZSet, type Value } from '../../keyspace.js';
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_MAX_LOAD_VERSION,
  RDB_MODULE_OPCODE_DOUBLE,
  RDB_MODULE_OPCODE_EOF,
  RDB_MODULE_OPCODE_FLOAT,
  RDB_MODULE_OPCODE_SINT,
  RDB_MODULE_OPCODE_STRING,
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
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_NAMES,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_SET_LISTPACK,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
} from './constants.js';
import { Crc64 } from './crc64.js';
import { intsetMembers } from './intset.js';
import { latin1Slice } from './latin1.js';
import { listpackEntries } from './listpack.js';
import { lzfDecompressInto } from './lzf.js';
import { RdbError } from './rdb-error.js';
import { ziplistEntries } from './ziplist.js';
import { zipmapEntries } from './zipmap.js';

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
}

/** Parses a zset score written as text (ZSET v1 and compact encodings: "inf", "1.5", "3"). */
function parseScore(s: string): number {
  const x = Number(s);
  if (!Number.isNaN(x) && s.length > 0) return x;
  switch (s.toLowerCase()) {
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
  }
  throw new RdbError(`corrupt zset: score "${s}" is not a number`);
}

/** LZF strings up to this size are decompressed into a reused buffer. */
const SCRATCH_MAX = 1 << 20;

const EMPTY: unique symbol = Symbol('empty');

class Reader {
  pos = 0;
  version = 0;
  /** Length of the last LZF string decompressed into scratch. */
  lzfLen = 0;
  lzfCount = 0;
  private scratch = Buffer.alloc(0);
  private readonly end: number;

  constructor(readonly buf: Buffer) {
    this.end = buf.length;
  }

  truncated(what: string): RdbError {
    return new RdbError(`RDB file is truncated: unexpected end of file while reading ${what}`, this.pos);
  }

  u8(what: string): number {
    if (this.pos >= this.end) throw this.truncated(what);
    return this.buf[this.pos++]!;
  }

  /** rdbLoadLen for a plain length (an encoded-value marker is an error here). */
  len(what: string): number {
    const buf = this.buf;
    const p = this.pos;
    if (p >= this.end) throw this.truncated(what);
    const b = buf[p]!;
    const kind = b >>> 6;
    if (kind === 0) {
      this.pos = p + 1;
      return b;
    }
    if (kind === 1) {
      if (p + 2 > this.end) throw this.truncated(what);
      this.pos = p + 2;
      return ((b & 0x3f) << 8) | buf[p + 1]!;
    }
    if (b === 0x80) {
      if (p + 5 > this.end) throw this.truncated(what);
      this.pos = p + 5;
      return buf.readUInt32BE(p + 1);
    }
    if (b === 0x81) {
      if (p + 9 > this.end) throw this.truncated(what);
      const hi = buf.readUInt32BE(p + 1);
      if (hi >= 0x200000) throw new RdbError(`${what}: length ${hi} * 2^32 is too large`, p);
      this.pos = p + 9;
      return hi * 0x100000000 + buf.readUInt32BE(p + 5);
    }
    throw new RdbError(`${what}: bad length encoding 0x${b.toString(16)}`, p);
  }

  /** A collection length, checked against the bytes left (each element takes >= 1 byte). */
  count(what: string): number {
    const n = this.len(what);
    if (n > this.end - this.pos) throw this.truncated(what);
    return n;
  }

  /** rdbGenericLoadStringObject as a latin1 string. */
  string(what: string): string {
    const buf = this.buf;
    const p = this.pos;
    if (p >= this.end) throw this.truncated(what);
    const b = buf[p]!;
    let n: number;
    let start: number;
    if (b < 0x40) {
      n = b;
      start = p + 1;
    } else if (b < 0x80) {
      if (p + 2 > this.end) throw this.truncated(what);
      n = ((b & 0x3f) << 8) | buf[p + 1]!;
      start = p + 2;
    } else if (b >= 0xc0) {
      return this.encodedString(b & 0x3f, what);
    } else {
      n = this.len(what);
      start = this.pos;
    }
    const end = start + n;
    if (end > this.end) {
      this.pos = start;
      throw this.truncated(what);
    }
    this.pos = end;
    return latin1Slice(buf, start, end);
  }

  /** A string as raw bytes (ziplist/listpack/intset blobs): a view when stored raw. */
  blob(what: string): Buffer {
    const p = this.pos;
    if (p >= this.end) throw this.truncated(what);
    const b = this.buf[p]!;
    if (b >= 0xc0) {
      const enc = b & 0x3f;
      if (enc === RDB_ENC_LZF) {
        this.pos = p + 1;
        return this.lzf(what);
      }
      return Buffer.from(this.encodedString(enc, what), 'latin1');
    }
    const n = this.len(what);
    const start = this.pos;
    if (start + n > this.end) throw this.truncated(what);
    this.pos = start + n;
    return this.buf.subarray(start, start + n);
  }

  private encodedString(enc: number, what: string): string {
    const buf = this.buf;
    const p = this.pos;
    switch (enc) {
      case RDB_ENC_INT8:
        if (p + 2 > this.end) throw this.truncated(what);
        this.pos = p + 2;
        return String(buf.readInt8(p + 1));
      case RDB_ENC_INT16:
        if (p + 3 > this.end) throw this.truncated(what);
        this.pos = p + 3;
        return String(buf.readInt16LE(p + 1));
      case RDB_ENC_INT32:
        if (p + 5 > this.end) throw this.truncated(what);
        this.pos = p + 5;
        return String(buf.readInt32LE(p + 1));
      case RDB_ENC_LZF: {
        this.pos = p + 1;
        const out = this.lzf(what, true);
        return latin1Slice(out, 0, this.lzfLen);
      }
      default:
        throw new RdbError(`${what}: unknown string encoding ${enc}`, p);
    }
  }

  /**
   * rdbLoadLzfStringObject, after the encoding byte. With `scratch`, the result is in a
   * shared buffer (valid until the next call; length in lzfLen) to spare an allocation.
   */
  private lzf(what: string, scratch = false): Buffer {
    const clen = this.len(`${what} (compressed length)`);
    const ulen = this.len(`${what} (uncompressed length)`);
    const start = this.pos;
    if (start + clen > this.end) throw this.truncated(what);
    if (ulen > 0x7fffffff) throw new RdbError(`${what}: LZF length ${ulen} is too large`, start);
    // A compressed string of clen bytes expands to at most ~ clen * 264 / 3 bytes: a larger
    // claimed length is corruption, not a reason to allocate it.
    if (ulen > clen * 90 + 64) throw new RdbError(`${what}: LZF length ${ulen} is impossible for ${clen} compressed bytes`, start);
    let out: Buffer;
    if (scratch && ulen <= SCRATCH_MAX) {
      if (this.scratch.length < ulen) this.scratch = Buffer.allocUnsafe(Math.max(ulen, 4096));
      out = this.scratch;
    } else {
      out = Buffer.allocUnsafe(ulen);
    }
    this.lzfLen = ulen;
    this.lzfCount++;
    try {
      lzfDecompressInto(this.buf, start, start + clen, out, 0, ulen);
    } catch (e) {
      throw new RdbError(`${what}: invalid LZF compressed string: ${(e as Error).message}`, start);
    }
    this.pos = start + clen;
    return out;
  }

  /** rdbLoadBinaryDoubleValue. */
  binaryDouble(what: string): number {
    if (this.pos + 8 > this.end) throw this.truncated(what);
    const d = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return d;
  }

  /** rdbLoadDoubleValue: length byte (253 NaN, 254 +inf, 255 -inf) then ASCII. */
  textDouble(what: string): number {
    const n = this.u8(what);
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    if (this.pos + n > this.end) throw this.truncated(what);
    const s = latin1Slice(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return parseScore(s);
  }

  /** Skips a module's serialized value (rdbLoadCheckModuleValue). */
  skipModuleValue(what: string): void {
    for (;;) {
      const op = this.len(what);
      if (op === RDB_MODULE_OPCODE_EOF) return;
      if (op === RDB_MODULE_OPCODE_SINT || op === RDB_MODULE_OPCODE_UINT) this.len(what);
      else if (op === RDB_MODULE_OPCODE_STRING) this.blob(what);
      else if (op === RDB_MODULE_OPCODE_FLOAT || op === RDB_MODULE_OPCODE_DOUBLE) {
        const n = op === RDB_MODULE_OPCODE_FLOAT ? 4 : 8;
        if (this.pos + n > this.end) throw this.truncated(what);
        this.pos += n;
      } else throw new RdbError(`${what}: unknown module opcode ${op}`, this.pos);
    }
  }

  /** rdbLoadObject: the value of a key of the given type, or EMPTY for an empty collection. */
  value(type: number, key: string): Value | typeof EMPTY {
    switch (type) {
      case RDB_TYPE_STRING:
        return this.string('string value');
      case RDB_TYPE_LIST: {
        const n = this.count('list length');
        if (n === 0) return EMPTY;
        const items = new Array<string>(n);
        for (let i = 0; i < n; i++) items[i] = this.string('list element');
        return new List(items);
      }
      case RDB_TYPE_SET: {
        const n = this.count('set size');
        if (n === 0) return EMPTY;
        const set = new Set<string>();
        for (let i = 0; i < n; i++) set.add(this.string('set member'));
        if (set.size !== n) throw new RdbError(`set "${key}" has duplicate members`, this.pos);
        return set;
      }
      case RDB_TYPE_ZSET:
      case RDB_TYPE_ZSET_2: {
        const n = this.count('zset size');
        if (n === 0) return EMPTY;
        const z = new ZSet();
        for (let i = 0; i < n; i++) {
          const m = this.string('zset member');
          const s = type === RDB_TYPE_ZSET_2 ? this.binaryDouble('zset score') : this.textDouble('zset score');
          if (Number.isNaN(s)) throw new RdbError(`zset "${key}" has a NaN score`, this.pos);
          z.scores.set(m, s);
        }
        if (z.scores.size !== n) throw new RdbError(`zset "${key}" has duplicate members`, this.pos);
        return z;
      }
      case RDB_TYPE_HASH: {
        const n = this.count('hash size');
        if (n === 0) return EMPTY;
        const h = new Map<string, string>();
        for (let i = 0; i < n; i++) {
          const f = this.string('hash field');
          h.set(f, this.string('hash value'));
        }
        if (h.size !== n) throw new RdbError(`hash "${key}" has duplicate fields`, this.pos);
        return h;
      }
      case RDB_TYPE_HASH_ZIPMAP:
        return toHash(zipmapEntries(this.blob('zipmap')), key);
      case RDB_TYPE_LIST_ZIPLIST:
        return toList(ziplistEntries(this.blob('ziplist')));
      case RDB_TYPE_SET_INTSET:
        return toSet(intsetMembers(this.blob('intset')), key);
      case RDB_TYPE_SET_LISTPACK:
        return toSet(listpackEntries(this.blob('listpack')), key);
      case RDB_TYPE_ZSET_ZIPLIST:
        return toZSet(ziplistEntries(this.blob('ziplist')), key);
      case RDB_TYPE_ZSET_LISTPACK:
        return toZSet(listpackEntries(this.blob('listpack')), key);
      case RDB_TYPE_HASH_ZIPLIST:
        return toHash(ziplistEntries(this.blob('ziplist')), key);
      case RDB_TYPE_HASH_LISTPACK:
        return toHash(listpackEntries(this.blob('listpack')), key);
      case RDB_TYPE_LIST_QUICKLIST:
      case RDB_TYPE_LIST_QUICKLIST_2: {
        const nodes = this.count('quicklist length');
        let items: string[] = [];
        for (let i = 0; i < nodes; i++) {
          if (type === RDB_TYPE_LIST_QUICKLIST) {
            items = concat(items, ziplistEntries(this.blob('quicklist ziplist')));
            continue;
          }
          const container = this.len('quicklist container');
          if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
            const b = this.blob('quicklist plain node');
            items.push(latin1Slice(b, 0, b.length));
          } else if (container === QUICKLIST_NODE_CONTAINER_PACKED) {
            items = concat(items, listpackEntries(this.blob('quicklist listpack')));
          } else {
            throw new RdbError(`list "${key}": unknown quicklist container ${container}`, this.pos);
          }
        }
        return toList(items);
      }
      default: {
        const name = RDB_TYPE_NAMES[type];
        throw new RdbError(
          name === undefined
            ? `unknown value type ${type} for key "${key}"`
            : `unsupported value type ${type} (${name}) for key "${key}": durabench's keyspace has no such type`,
          this.pos,
        );
      }
    }
  }
}

function concat(a: string[], b: string[]): string[] {
  if (a.length === 0) return b;
  for (let i = 0; i < b.length; i++) a.push(b[i]!);
  return a;
}

function toList(items: string[]): List | typeof EMPTY {
  return items.length === 0 ? EMPTY : new List(items);
}

function toSet(members: string[], key: string): Set<string> | typeof EMPTY {
  if (members.length === 0) return EMPTY;
  const s = new Set(members);
  if (s.size !== members.length) throw new RdbError(`set "${key}" has duplicate members`);
  return s;
}

function toHash(flat: string[], key: string): Map<string, string> | typeof EMPTY {
  if (flat.length % 2 !== 0) throw new RdbError(`hash "${key}" has a field without a value`);
  if (flat.length === 0) return EMPTY;
  const h = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) h.set(flat[i]!, flat[i + 1]!);
  if (h.size * 2 !== flat.length) throw new RdbError(`hash "${key}" has duplicate fields`);
  return h;
}

function toZSet(flat: string[], key: string): ZSet | typeof EMPTY {
  if (flat.length % 2 !== 0) throw new RdbError(`zset "${key}" has a member without a score`);
  if (flat.length === 0) return EMPTY;
  const z = new ZSet();
  for (let i = 0; i < flat.length; i += 2) z.scores.set(flat[i]!, parseScore(flat[i + 1]!));
  if (z.scores.size * 2 !== flat.length) throw new RdbError(`zset "${key}" has duplicate members`);
  return z;
}

/** Reads a whole RDB file, calling onEntry for every key in file order. */
export function loadRdb(buf: Buffer, onEntry: RdbEntryHandler, options: LoadRdbOptions = {}): RdbLoadStats {
  const r = new Reader(buf);
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
  r.version = version;
  r.pos = 9;

  const stats: RdbLoadStats = {
    keys: 0,
    aux: {},
    version,
    bytes: 0,
    emptySkipped: 0,
    functionsSkipped: 0,
    checksumVerified: false,
    typeCounts: {},
    compressedStrings: 0,
  };
  const typeCounts = new Uint32Array(256);
  let db = 0;
  let expireAt: number | undefined;
  try {
    for (;;) {
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
        case RDB_OPCODE_RESIZEDB:
          r.len('the db size hint');
          r.len('the expires size hint');
          continue;
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
          break;
        default: {
          const keyAt = r.pos - 1;
          const key = r.string('a key');
          const value = r.value(type, key);
          if (db !== 0) {
            throw new RdbError(`key "${key}" is in database ${db}: only database 0 is supported`, keyAt);
          }
          typeCounts[type]!++;
          if (value === EMPTY) stats.emptySkipped++;
          else {
            stats.keys++;
            onEntry(key, value, expireAt);
          }
          expireAt = undefined;
          continue;
        }
      }
      break;
    }
  } catch (e) {
    if (e instanceof RdbError) throw e;
    if (e instanceof RangeError) throw new RdbError(`RDB file is corrupt: ${e.message}`, r.pos);
    throw e;
  }

  if (version >= 5) {
    const eofEnd = r.pos;
    if (eofEnd + 8 > buf.length) throw r.truncated('the checksum');
    const stored = buf.subarray(eofEnd, eofEnd + 8);
    const disabled = stored.every((b) => b === 0);
    if ((options.verifyChecksum ?? true) && !disabled) {
      const crc = new Crc64();
      crc.update(buf.subarray(0, eofEnd));
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
  typeCounts.forEach((n, t) => {
    if (n > 0) stats.typeCounts[t] = n;
  });
  return stats;
}
