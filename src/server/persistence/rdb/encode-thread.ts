/**
 * The RDB encoding thread of a background save (thread-encoder.ts starts it): reads ranges
 * of the key table's string entries from its shared memory (each entry claimed while read,
 * entry-claims.ts), takes the records the main thread staged (collections, values kept by
 * copy-on-write: staged-records.ts), and does what a forked child's CPU does in
 * redis-server: LZF on every string over 20 bytes, the integer encodings, the CRC-64. It hands the file's bytes back in order; the main thread writes
 * them (its write queue handles short writes, a full disk, fsync and rename as before).
 * One thread serves every save of the process, each under its own id.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkPool } from '../chunk-pool.js';
import { RdbEncoder } from './encoder.js';
import { ENCODE_THREAD_MARK, type EncodeThreadReady, type FromEncodeThread, type ToEncodeThread } from './encode-thread-protocol.js';
import { readRecords, type RecordHandler } from './staged-records.js';
import { TableView } from '../../store/table-view.js';
import { OPEN, READ, READING } from '../entry-claims.js';

export type Post = (reply: FromEncodeThread, transfer: ArrayBuffer[]) => void;

interface Session {
  enc: RdbEncoder;
  pool: ChunkPool;
  /** Encoded chunks not yet posted. */
  out: Buffer[];
  records: RecordHandler;
  /** The table being read in ranges, and the snapshot's shared state for it. */
  table: SharedTable | null;
}

interface SharedTable {
  view: TableView;
  end: number;
  claims: Uint8Array;
}

/**
 * Encodes the string entries of [from, to) still OPEN, straight from the table's memory,
 * each claimed while read (entry-claims.ts); returns how many. A collection here means the
 * main thread did not take it: an error, not a silent loss.
 */
function readRange(enc: RdbEncoder, t: SharedTable, from: number, to: number): number {
  if (!(from >= 0 && to <= t.end && from <= to)) throw new Error(`range [${from}, ${to}) outside the snapshot's ${t.end} entries`);
  const { view, claims } = t;
  let keys = 0;
  for (let e = from; e < to; e++) {
    if (Atomics.compareExchange(claims, e, OPEN, READING) !== OPEN) continue; // a write kept it
    try {
      const klen = view.keyLength(e);
      if (klen < 0) continue;
      const vlen = view.valueLength(e);
      if (vlen < 0) throw new Error(`entry ${e} holds a collection the main thread did not take`);
      const buf = view.buffer(e);
      const off = view.keyOffset(e);
      if (off + klen + vlen > buf.length) throw new Error(`entry ${e} lies outside its block`);
      enc.stringPair(buf, off, klen, vlen, view.expireAt(e));
      keys++;
    } finally {
      // released on every path: a write waiting on it must not wait for the save to fail
      Atomics.store(claims, e, READ);
    }
  }
  return keys;
}

function newSession(m: Extract<ToEncodeThread, { kind: 'begin' }>): Session {
  const pool = new ChunkPool(m.chunkSize, 64);
  const out: Buffer[] = [];
  const enc = new RdbEncoder((c) => out.push(c), { compress: m.compress, checksum: m.checksum, pool });
  const records: RecordHandler = {
    raw: (b, off, n) => enc.writer.raw(b.subarray(off, off + n)),
    pair: (b, off, klen, vlen, expireAtMs) => enc.stringPair(b, off, klen, vlen, expireAtMs),
  };
  return { enc, pool, out, records, table: null };
}

/** A chunk the main thread can own outright: a whole ArrayBuffer of its own, or a copy (a small one may be a slice of Node's shared pool). */
function owned(b: Buffer, chunkSize: number): Buffer {
  return b.byteOffset === 0 && (b.buffer.byteLength === b.length || b.buffer.byteLength === chunkSize) ? b : Buffer.from(new Uint8Array(b));
}

/** The thread's message handler; `post` sends a reply (the thread's parentPort, or a test's). */
export function encodeThreadHandler(post: Post): (m: ToEncodeThread) => void {
  const sessions = new Map<number, Session>();
  const reply = (id: number, s: Session, consumed: number, done: boolean, ranges = 0, keys = 0) => {
    const out = s.out.splice(0).map((b) => owned(b, s.pool.size));
    post({ id, out, consumed, ranges, keys, done }, out.map((b) => b.buffer as ArrayBuffer));
  };
  return (m) => {
    if (m.kind === 'begin') {
      sessions.set(m.id, newSession(m));
      return;
    }
    const s = sessions.get(m.id);
    if (s === undefined) return; // aborted, or failed already
    try {
      if (m.kind === 'abort') sessions.delete(m.id);
      else if (m.kind === 'table') s.table = { view: new TableView(m.memory), end: m.end, claims: m.claims };
      else if (m.kind === 'range') {
        for (const u of m.spare) s.pool.give(Buffer.from(u.buffer, u.byteOffset, u.byteLength));
        if (s.table === null) throw new Error('a range before its table');
        reply(m.id, s, 0, false, 1, readRange(s.enc, s.table, m.from, m.to));
      } else if (m.kind === 'data') {
        let consumed = 0;
        for (const u of m.batches) {
          const b = Buffer.from(u.buffer, u.byteOffset, u.byteLength);
          readRecords(b, s.records);
          consumed += b.length;
          // Emptied, the batch becomes an output buffer: one circulation of buffers, none made per batch.
          s.pool.give(b);
        }
        reply(m.id, s, consumed, false);
      } else {
        s.enc.footer();
        sessions.delete(m.id);
        reply(m.id, s, 0, true);
      }
    } catch (e) {
      sessions.delete(m.id);
      post({ id: m.id, error: (e as Error).message }, []);
    }
  };
}

/** This thread's own nice value (setpriority on its thread id; Linux): see lowerPriority. */
const THREAD_NICE = Number(process.env.DURABENCH_RDB_THREAD_NICE ?? 10);

/**
 * Lowers this thread's priority below the main thread's, which serves the clients: on a
 * busy core the kernel then runs the main thread as soon as it wakes, where a thread of equal
 * weight keeps the core for the rest of its time slice. Best effort: raising one's nice
 * value needs no privilege, and where /proc/thread-self is missing nothing changes.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0 && THREAD_NICE > 0) setPriority(tid, Math.min(19, THREAD_NICE));
  } catch {
    // not Linux, or no /proc: equal priority
  }
}

if (parentPort !== null && workerData === ENCODE_THREAD_MARK) {
  lowerPriority();
  const port = parentPort;
  port.on('message', encodeThreadHandler((r, t) => port.postMessage(r, t)));
  port.postMessage({ id: 0, ready: true } satisfies EncodeThreadReady);
}
