/**
 * RDB persistence: the format (encoder/decoder and their primitives) and whole-file
 * helpers for the keyspace. The background snapshot drives RdbEncoder itself.
 */
import { VERSION } from '../../version.js';
import type { Keyspace, Value } from '../../keyspace.js';
import { RdbEncoder, type RdbEncoderOptions } from './encoder.js';
import { loadRdb, RdbLoader } from './decoder.js';
import type { LoadRdbOptions, RdbEntryHandler, RdbLoadStats } from './load-types.js';
import { SLICE_MS, sliced } from '../sliced.js';

export * from './constants.js';
export { Crc64, crc64 } from './crc64.js';
export { lzfCompress, lzfDecompress, lzfCompressInto, lzfDecompressInto } from './lzf.js';
export { RdbError } from './rdb-error.js';
export { RdbEncoder, type RdbEncoderOptions } from './encoder.js';
export { RdbWriter, type RdbSink, type RdbWriterOptions } from './writer.js';
export { RdbReader } from './reader.js';
export { loadRdb, RdbLoader } from './decoder.js';
export type { LoadRdbOptions, RdbEntryHandler, RdbLoadStats } from './load-types.js';
export { ziplistEntries } from './ziplist.js';
export { listpackEntries } from './listpack.js';
export { intsetMembers } from './intset.js';
export { zipmapEntries } from './zipmap.js';
export { AtomicFileWriter, writeFileAtomic, fsyncDir, tempFileName } from './save-file.js';

/**
 * The AUX fields redis-server writes (rdbSaveInfoAuxFields), overridable. `redis-ver` is
 * the Redis version whose format we follow; `durabench` says who really wrote the file.
 */
export function defaultAux(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    'redis-ver': VERSION,
    'redis-bits': '64',
    ctime: String(Math.floor(Date.now() / 1000)),
    'used-mem': String(process.memoryUsage.rss()),
    'aof-base': '0',
    durabench: '1',
    ...extra,
  };
}

/** The whole dataset as one RDB file, synchronously. */
export function encodeKeyspace(ks: Keyspace, aux?: Readonly<Record<string, string>>, options: RdbEncoderOptions = {}): Buffer {
  const chunks: Buffer[] = [];
  const enc = new RdbEncoder((c) => chunks.push(c), options);
  enc.header(aux ?? defaultAux());
  if (ks.data.size > 0) {
    enc.selectDb(0, ks.data.size, ks.expires.size);
    const expires = ks.expires;
    const hasExpires = expires.size > 0;
    for (const [key, value] of ks.data) enc.entry(key, value, hasExpires ? expires.get(key) : undefined);
  }
  enc.footer();
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

export interface LoadIntoOptions extends LoadRdbOptions {
  /** Drop keys whose TTL has passed (default true, as a Redis master does; not for AOF preambles). */
  skipExpired?: boolean;
  /** The clock for skipExpired (unix ms). */
  now?: number;
}

export interface LoadIntoStats extends RdbLoadStats {
  /** Keys added to the keyspace. */
  loaded: number;
  /** Keys dropped because they had already expired. */
  expired: number;
}

/**
 * Entries collected while a file is parsed, applied once its checksum has passed. The
 * arrays are sized from RESIZEDB when the file has it (as Redis sizes its dict), and
 * expiry times are kept only for keys that have one.
 */
interface Collected {
  keys: string[];
  values: Value[];
  count: number;
  ttlKeys: string[];
  ttls: number[];
  expired: number;
  onEntry: RdbEntryHandler;
  onResize: (dbSize: number) => void;
}

function collector(options: LoadIntoOptions, fileBytes: number): Collected {
  const skipExpired = options.skipExpired ?? true;
  const now = options.now ?? Date.now();
  const c: Collected = {
    keys: [],
    values: [],
    count: 0,
    ttlKeys: [],
    ttls: [],
    expired: 0,
    onEntry: (key, value, expireAt) => {
      if (expireAt !== undefined) {
        if (skipExpired && expireAt <= now) {
          c.expired++;
          return;
        }
        c.ttlKeys.push(key);
        c.ttls.push(expireAt);
      }
      const n = c.count++;
      c.keys[n] = key;
      c.values[n] = value;
    },
    onResize: (dbSize) => {
      // A hint, not trusted: every key takes at least 2 bytes of the file.
      if (c.count === 0 && dbSize > 0 && dbSize <= fileBytes / 2) {
        c.keys = new Array(dbSize);
        c.values = new Array(dbSize);
      }
    },
  };
  return c;
}

/** Applies collected entries [from, to) to the keyspace (TTLs with the last slice). */
function apply(c: Collected, ks: Keyspace, from: number, to: number): void {
  const { keys, values } = c;
  // Size the table once for the whole file, as Redis sizes its dict from RESIZEDB.
  if (from === 0) {
    ks.data.reserve(ks.size + c.count);
    ks.expires.reserve(ks.expires.size + c.ttlKeys.length);
  }
  for (let i = from; i < to; i++) ks.load(keys[i]!, values[i]!);
  if (to === c.count) for (let i = 0; i < c.ttlKeys.length; i++) ks.expires.set(c.ttlKeys[i]!, c.ttls[i]!);
}

/**
 * Loads an RDB file into the keyspace (Keyspace.load: no hooks, no dirty count). The file
 * is fully parsed and its checksum verified before the keyspace is touched, so an RdbError
 * leaves the keyspace as it was.
 */
export function loadRdbInto(buf: Buffer, ks: Keyspace, options: LoadIntoOptions = {}): LoadIntoStats {
  const c = collector(options, buf.length);
  const stats = loadRdb(buf, c.onEntry, { ...options, onResize: c.onResize });
  apply(c, ks, 0, c.count);
  return { ...stats, loaded: c.count, expired: c.expired };
}

export interface LoadIntoAsyncOptions extends LoadIntoOptions {
  /** At most this many keys parsed (then applied) between turns of the event loop. Default 50_000. */
  yieldEvery?: number;
  /** ...and at most about this long, ms (default 2): a load answers -LOADING promptly at any size. */
  sliceMs?: number;
}

export const DEFAULT_LOAD_YIELD_EVERY = 50_000;
/**
 * loadRdbInto that lets the event loop run every `yieldEvery` keys or `sliceMs`, whichever
 * comes first, so a server loading a
 * large file keeps answering (-LOADING), as Redis does with processEventsWhileBlocked.
 * Same guarantee: the keyspace is touched only after the whole file parsed and its checksum
 * verified; a rejected promise (RdbError) leaves it as it was. Until the promise settles
 * the keyspace is partial: nothing else may write it, and nothing may save it (a shutdown
 * while loading must not save, as Redis forces NOSAVE then).
 */
export async function loadRdbIntoAsync(buf: Buffer, ks: Keyspace, options: LoadIntoAsyncOptions = {}): Promise<LoadIntoStats> {
  const every = options.yieldEvery ?? DEFAULT_LOAD_YIELD_EVERY;
  if (!(every >= 1)) throw new RangeError(`yieldEvery must be at least 1, got ${every}`);
  const sliceMs = options.sliceMs ?? SLICE_MS;
  const c = collector(options, buf.length);
  const loader = new RdbLoader(buf, c.onEntry, { ...options, onResize: c.onResize });
  await sliced(every, sliceMs, (k) => loader.step(k));
  const n = c.count;
  let i = 0;
  await sliced(every, sliceMs, (k) => {
    const to = Math.min(n, i + k);
    apply(c, ks, i, to);
    i = to;
    return i >= n;
  });
  return { ...loader.stats, loaded: n, expired: c.expired };
}
