/**
 * RDB persistence: the format (encoder/decoder and their primitives) and whole-file
 * helpers for the keyspace. The background snapshot drives RdbEncoder itself.
 */
import { VERSION } from '../../version.js';
import { type EntryCursor, KeyTable } from '../../key-table.js';
import type { Collection, Keyspace } from '../../keyspace.js';
import { RdbEncoder, type RdbEncoderOptions } from './encoder.js';
import { loadRdb, RdbLoader } from './decoder.js';
import type { LoadRdbOptions, RdbEntryHandler, RdbLoadStats, RdbStringBytesHandler } from './load-types.js';
import { SLICE_MS, sliced } from '../sliced.js';

export * from './constants.js';
export { Crc64, crc64 } from './crc64.js';
export { lzfCompress, lzfDecompress, lzfCompressInto, lzfDecompressInto } from './lzf.js';
export { RdbError } from './rdb-error.js';
export { RdbEncoder, type RdbEncoderOptions } from './encoder.js';
export { RdbWriter, type RdbSink, type RdbWriterOptions } from './writer.js';
export { RdbReader } from './reader.js';
export { loadRdb, RdbLoader } from './decoder.js';
export type { LoadRdbOptions, RdbEntryHandler, RdbLoadStats, RdbStringBytesHandler } from './load-types.js';
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
  if (ks.size > 0) {
    enc.selectDb(0, ks.size, ks.expiresCount);
    for (const e of ks.data.entryNumbers()) enc.stored(ks.data, e);
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
 * Entries collected while a file is parsed, applied once its checksum has passed. They go
 * into a table of their own (off the heap, as the keyspace's), sized from RESIZEDB when the
 * file has it, as Redis sizes its dict; string records go in as bytes, no JS strings made.
 * An empty keyspace (a server starting) then takes the table whole.
 */
interface Collected {
  table: KeyTable<Collection>;
  expired: number;
  onEntry: RdbEntryHandler;
  onStringBytes: RdbStringBytesHandler;
  onResize: (dbSize: number) => void;
}

function collector(options: LoadIntoOptions, fileBytes: number): Collected {
  const skipExpired = options.skipExpired ?? true;
  const now = options.now ?? Date.now();
  const c: Collected = {
    table: new KeyTable<Collection>(),
    expired: 0,
    onEntry: (key, value, expireAt) => {
      if (expireAt !== undefined && skipExpired && expireAt <= now) {
        c.expired++;
        return;
      }
      const e = c.table.set(key, value);
      c.table.setExpireAt(e, expireAt);
    },
    onStringBytes: (kbuf, koff, klen, vbuf, voff, vlen, expireAt) => {
      if (expireAt !== undefined && skipExpired && expireAt <= now) {
        c.expired++;
        return;
      }
      const t = c.table;
      // A key twice in one file: the last one wins (rare; through strings).
      let e = t.findBytes(kbuf, koff, klen);
      if (e < 0) e = t.addBytes(kbuf, koff, klen, vbuf, voff, vlen);
      else t.set(kbuf.latin1Slice(koff, koff + klen), vbuf.latin1Slice(voff, voff + vlen));
      t.setExpireAt(e, expireAt);
    },
    onResize: (dbSize) => {
      // A hint, not trusted: every key takes at least 2 bytes of the file.
      if (c.table.size === 0 && dbSize > 0 && dbSize <= fileBytes / 2) c.table.reserve(dbSize);
    },
  };
  return c;
}

/**
 * Applies collected entries to the keyspace: an empty one adopts the table (O(1)); else
 * they are copied in, up to `max` per call, from where `from` says. Returns true when done.
 */
function apply(c: Collected, ks: Keyspace, from: EntryCursor, max: number): boolean {
  if (ks.adopt(c.table)) return true;
  const t = c.table;
  for (let n = 0; n < max; n++) {
    const e = from.next();
    if (e < 0) return true;
    ks.load(t.key(e), t.value(e), t.expireAt(e));
  }
  return false;
}

/**
 * Loads an RDB file into the keyspace (Keyspace.load: no hooks, no dirty count). The file
 * is fully parsed and its checksum verified before the keyspace is touched, so an RdbError
 * leaves the keyspace as it was.
 */
export function loadRdbInto(buf: Buffer, ks: Keyspace, options: LoadIntoOptions = {}): LoadIntoStats {
  const c = collector(options, buf.length);
  const stats = loadRdb(buf, c.onEntry, { ...options, onResize: c.onResize, onStringBytes: c.onStringBytes });
  const loaded = c.table.size;
  apply(c, ks, c.table.cursor(), Infinity);
  return { ...stats, loaded, expired: c.expired };
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
  const loader = new RdbLoader(buf, c.onEntry, { ...options, onResize: c.onResize, onStringBytes: c.onStringBytes });
  await sliced(every, sliceMs, (k) => loader.step(k));
  const loaded = c.table.size;
  const from = c.table.cursor();
  await sliced(every, sliceMs, (k) => apply(c, ks, from, k));
  return { ...loader.stats, loaded, expired: c.expired };
}
