/**
 * RDB persistence: the format (encoder/decoder and their primitives) and whole-file
 * helpers for the keyspace. The background snapshot drives RdbEncoder itself.
 */
import fs from 'node:fs';
import { VERSION } from '../../version.js';
import { type EntryCursor, KeyTable } from '../../key-table.js';
import { Databases } from '../../databases.js';
import type { Collection, Keyspace } from '../../keyspace.js';
import { RdbEncoder, type RdbEncoderOptions } from './encoder.js';
import { footerMatches, loadRdb, RdbLoader, type RdbSource } from './decoder.js';
import type { LoadRdbOptions, RdbEntryHandler, RdbLoadStats, RdbStringBytesHandler } from './load-types.js';
import { RdbError } from './rdb-error.js';
import { Crc64 } from './crc64.js';
import { crc64InThread, THREAD_CRC_MIN_BYTES, type ThreadCrc } from './crc64-thread.js';
import { SLICE_MS, sliced } from '../sliced.js';
import { hashBytes } from '../../store/key-hash.js';

export * from './constants.js';
export { Crc64, crc64 } from './crc64.js';
export { lzfCompress, lzfDecompress, lzfCompressInto, lzfDecompressInto } from './lzf.js';
export { RdbError } from './rdb-error.js';
export { RdbEncoder, type RdbEncoderOptions } from './encoder.js';
export { RdbWriter, type RdbSink, type RdbWriterOptions } from './writer.js';
export { RdbReader } from './reader.js';
export { loadRdb, RdbLoader, RDB_WINDOW_BYTES, type RdbSource } from './decoder.js';
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

/** The databases of `source` (one Keyspace is database `ks.id`), non-empty ones in id order. */
function databasesOf(source: Keyspace | Databases): Keyspace[] {
  return (source instanceof Databases ? source.made() : [source]).filter((ks) => ks.size > 0);
}

/** The whole dataset as one RDB file, synchronously: SELECTDB + RESIZEDB and the keys of each non-empty database. */
export function encodeKeyspace(source: Keyspace | Databases, aux?: Readonly<Record<string, string>>, options: RdbEncoderOptions = {}): Buffer {
  const chunks: Buffer[] = [];
  const enc = new RdbEncoder((c) => chunks.push(c), options);
  enc.header(aux ?? defaultAux());
  for (const ks of databasesOf(source)) {
    enc.selectDb(ks.id, ks.size, ks.expiresCount);
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
 * into tables of their own, one per database the file selects (off the heap, as the
 * keyspace's), sized from RESIZEDB when the file has it, as Redis sizes its dicts; string
 * records go in as bytes, no JS strings made. An empty database (a server starting) then
 * takes its table whole.
 */
interface Collected {
  /** Tables by database id, in the order the file selects them. */
  tables: Map<number, KeyTable<Collection>>;
  table: KeyTable<Collection>;
  expired: number;
  onEntry: RdbEntryHandler;
  onStringBytes: RdbStringBytesHandler;
  onResize: (dbSize: number) => void;
  onSelectDb: (db: number) => void;
  /** Inserts the staged string records; before any other record, and once the file ends. */
  flush: () => void;
}

/**
 * String records are staged (copied to the arena, hashed) and inserted STAGE at a time: the
 * batch first reads the index slot of each (KeyTable.firstSlot), so their cache misses overlap.
 */
const STAGE = 64;

function collector(options: LoadIntoOptions, fileBytes: number, databases: number): Collected {
  const staged = { count: 0, hash: new Int32Array(STAGE), ref: new Int32Array(STAGE), klen: new Int32Array(STAGE), vlen: new Int32Array(STAGE), expireAt: new Float64Array(STAGE), sink: 0 };
  const skipExpired = options.skipExpired ?? true;
  const now = options.now ?? Date.now();
  const first = new KeyTable<Collection>();
  const c: Collected = {
    tables: new Map([[0, first]]),
    table: first,
    expired: 0,
    onEntry: (key, value, expireAt) => {
      c.flush();
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
      const n = staged.count++;
      staged.hash[n] = hashBytes(kbuf, koff, klen);
      staged.ref[n] = c.table.stage(kbuf, koff, klen, vbuf, voff, vlen);
      staged.klen[n] = klen;
      staged.vlen[n] = vlen;
      staged.expireAt[n] = expireAt ?? NaN;
      if (n + 1 === STAGE) c.flush();
    },
    flush: () => {
      const t = c.table;
      const n = staged.count;
      staged.count = 0;
      // the slot reads first, their misses in flight together (kept in `sink` so they stay)
      let sink = 0;
      for (let i = 0; i < n; i++) sink |= t.firstSlot(staged.hash[i]!);
      staged.sink = sink;
      for (let i = 0; i < n; i++) {
        const klen = staged.klen[i]!;
        const vlen = staged.vlen[i]!;
        let e = t.addStaged(staged.hash[i]!, staged.ref[i]!, klen, vlen);
        // A key twice in one file: the last one wins (rare; through strings).
        if (e < 0) e = t.replaceStaged(staged.ref[i]!, klen, vlen);
        const at = staged.expireAt[i]!;
        t.setExpireAt(e, at === at ? at : undefined);
      }
    },
    onResize: (dbSize) => {
      c.flush();
      // A hint, not trusted: every key takes at least 2 bytes of the file.
      if (c.table.size === 0 && dbSize > 0 && dbSize <= fileBytes / 2) c.table.reserve(dbSize);
    },
    onSelectDb: (db) => {
      c.flush();
      if (db >= databases) {
        // As rdbLoadRio refuses it (and exits): the keys would have nowhere to go.
        throw new RdbError(`Data file was created with a Redis server configured to handle more than ${databases} databases (it selects database ${db})`);
      }
      let t = c.tables.get(db);
      if (t === undefined) {
        t = new KeyTable<Collection>();
        c.tables.set(db, t);
      }
      c.table = t;
    },
  };
  return c;
}

/** Where a load puts its keys: the server's databases, or one Keyspace standing for database 0 alone. */
export type LoadTarget = Keyspace | Databases;

function targetOf(target: LoadTarget): { count: number; get(id: number): Keyspace } {
  return target instanceof Databases ? target : { count: 1, get: () => target };
}

/**
 * Applies collected entries to the databases: an empty one adopts its table (O(1)); else
 * they are copied in, up to `max` per call, from where the cursor is. Returns true when done.
 */
class Applier {
  private readonly order: Array<[number, KeyTable<Collection>]>;
  private i = 0;
  private from: EntryCursor | null = null;

  constructor(
    c: Collected,
    private readonly target: { get(id: number): Keyspace },
  ) {
    this.order = [...c.tables].filter(([, t]) => t.size > 0);
  }

  step(max: number): boolean {
    let n = 0;
    while (this.i < this.order.length) {
      const [id, t] = this.order[this.i]!;
      const ks = this.target.get(id);
      if (this.from === null) {
        if (ks.adopt(t)) {
          this.i++;
          continue;
        }
        this.from = t.cursor();
      }
      for (; n < max; n++) {
        const e = this.from.next();
        if (e < 0) break;
        ks.load(t.key(e), t.value(e), t.expireAt(e));
      }
      if (n >= max) return false;
      this.from = null;
      this.i++;
    }
    return true;
  }
}

function loadedKeys(c: Collected): number {
  let n = 0;
  for (const t of c.tables.values()) n += t.size;
  return n;
}

/**
 * Loads an RDB file into the databases (Keyspace.load: no hooks, no dirty count). The file
 * is fully parsed and its checksum verified before any database is touched, so an RdbError
 * leaves them as they were.
 */
export function loadRdbInto(buf: Buffer, target: LoadTarget, options: LoadIntoOptions = {}): LoadIntoStats {
  const t = targetOf(target);
  const c = collector(options, buf.length, t.count);
  const stats = loadRdb(buf, c.onEntry, { ...options, onResize: c.onResize, onStringBytes: c.onStringBytes, onSelectDb: c.onSelectDb });
  c.flush();
  const loaded = loadedKeys(c);
  new Applier(c, t).step(Infinity);
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
export function loadRdbIntoAsync(buf: Buffer, target: LoadTarget, options: LoadIntoAsyncOptions = {}): Promise<LoadIntoStats> {
  return loadAsync(buf, buf.length, null, target, options);
}

/**
 * loadRdbIntoAsync of a file, read through a window (RdbLoader) rather than whole; a large
 * one is checksummed on a thread meanwhile, which reads the file itself.
 */
export async function loadRdbFileAsync(file: string, target: LoadTarget, options: LoadIntoAsyncOptions = {}): Promise<LoadIntoStats> {
  const fd = fs.openSync(file, 'r');
  let thread: ThreadCrc | null = null;
  try {
    const size = fs.fstatSync(fd).size;
    const source: RdbSource = { size, read: (buf, offset, length, position) => fs.readSync(fd, buf, offset, length, position) };
    if ((options.verifyChecksum ?? true) && size >= THREAD_CRC_MIN_BYTES) thread = crc64InThread(fd, size - 8);
    return await loadAsync(source, size, thread, target, options);
  } finally {
    // the thread reads through the fd: it stops before the fd goes
    await thread?.cancel();
    fs.closeSync(fd);
  }
}

async function loadAsync(input: Buffer | RdbSource, bytes: number, thread: ThreadCrc | null, target: LoadTarget, options: LoadIntoAsyncOptions): Promise<LoadIntoStats> {
  const every = options.yieldEvery ?? DEFAULT_LOAD_YIELD_EVERY;
  if (!(every >= 1)) throw new RangeError(`yieldEvery must be at least 1, got ${every}`);
  const sliceMs = options.sliceMs ?? SLICE_MS;
  const t = targetOf(target);
  const c = collector(options, bytes, t.count);
  const loader = new RdbLoader(input, c.onEntry, {
    ...options,
    verifyChecksum: thread === null ? (options.verifyChecksum ?? true) : false,
    onResize: c.onResize,
    onStringBytes: c.onStringBytes,
    onSelectDb: c.onSelectDb,
  });
  await sliced(every, sliceMs, (k) => loader.step(k));
  c.flush();
  if (thread !== null) await checkThreadFooter(loader, input as RdbSource, thread);
  const loaded = loadedKeys(c);
  const applier = new Applier(c, t);
  await sliced(every, sliceMs, (k) => applier.step(k));
  return { ...loader.stats, loaded, expired: c.expired };
}

/** The footer check, for a checksum taken on a thread (of all but the file's last 8 bytes). */
async function checkThreadFooter(loader: RdbLoader, src: RdbSource, thread: ThreadCrc): Promise<void> {
  const stats = loader.stats;
  if (stats.version < 5) return;
  const eofEnd = stats.bytes - 8;
  // bytes after the footer (not Redis's own files): the thread summed the wrong range
  const sum = eofEnd === thread.length ? await thread.result : crc64OfSource(src, eofEnd);
  stats.checksumVerified = footerMatches(loader.footer, sum, eofEnd);
}

function crc64OfSource(src: RdbSource, length: number): bigint {
  const crc = new Crc64();
  const buf = Buffer.allocUnsafe(1 << 20);
  for (let at = 0; at < length; ) {
    const got = src.read(buf, 0, Math.min(buf.length, length - at), at);
    if (got === 0) throw new RdbError('RDB file is truncated: it shrank while being read', at);
    crc.update(buf.subarray(0, got));
    at += got;
  }
  return crc.digest();
}
