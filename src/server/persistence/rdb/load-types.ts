/** The RDB load's interface types: the per-key callback, the load options and the stats it reports. */
import type { Value } from '../../keyspace.js';

export type RdbEntryHandler = (key: string, value: Value, expireAtMs: number | undefined) => void;

/**
 * A string record as bytes: key at kbuf[koff, +klen), value at vbuf[voff, +vlen). The
 * buffers are valid only during the call (they may be the reader's scratch).
 */
export type RdbStringBytesHandler = (
  kbuf: Buffer,
  koff: number,
  klen: number,
  vbuf: Buffer,
  voff: number,
  vlen: number,
  expireAtMs: number | undefined,
) => void;

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
  /** SELECTDB: the keys that follow are in database `db` (it may throw an RdbError to refuse it). */
  onSelectDb?: (db: number) => void;
  /** When given, string records come here as bytes instead of to onEntry as JS strings. */
  onStringBytes?: RdbStringBytesHandler;
  /** A file (RdbSource) is read through a window of this many bytes at first (default RDB_WINDOW_BYTES). */
  windowBytes?: number;
}
