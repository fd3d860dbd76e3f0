/**
 * The RDB encoding thread of a background save (thread-encoder.ts starts it): takes the
 * records the main thread copied out of the key table (staged-records.ts) and does what a
 * forked child's CPU does in redis-server: LZF on every string over 20 bytes, the integer
 * encodings, the CRC-64. It hands the file's bytes back in order; the main thread writes
 * them (its write queue handles short writes, a full disk, fsync and rename as before).
 * One thread serves every save of the process, each under its own id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkPool } from '../chunk-pool.js';
import { RdbEncoder } from './encoder.js';
import { ENCODE_THREAD_MARK, type FromEncodeThread, type ToEncodeThread } from './encode-thread-protocol.js';
import { readRecords, type RecordHandler } from './staged-records.js';

export type Post = (reply: FromEncodeThread, transfer: ArrayBuffer[]) => void;

interface Session {
  enc: RdbEncoder;
  pool: ChunkPool;
  /** Encoded chunks not yet posted. */
  out: Buffer[];
  records: RecordHandler;
}

function newSession(m: Extract<ToEncodeThread, { kind: 'begin' }>): Session {
  const pool = new ChunkPool(m.chunkSize, 64);
  const out: Buffer[] = [];
  const enc = new RdbEncoder((c) => out.push(c), { compress: m.compress, checksum: m.checksum, pool });
  const records: RecordHandler = {
    raw: (b, off, n) => enc.writer.raw(b.subarray(off, off + n)),
    pair: (b, off, klen, vlen, expireAtMs) => enc.stringPair(b, off, klen, vlen, expireAtMs),
  };
  return { enc, pool, out, records };
}

/** A chunk the main thread can own outright: a whole ArrayBuffer of its own, or a copy (a small one may be a slice of Node's shared pool). */
function owned(b: Buffer, chunkSize: number): Buffer {
  return b.byteOffset === 0 && (b.buffer.byteLength === b.length || b.buffer.byteLength === chunkSize) ? b : Buffer.from(new Uint8Array(b));
}

/** The thread's message handler; `post` sends a reply (the thread's parentPort, or a test's). */
export function encodeThreadHandler(post: Post): (m: ToEncodeThread) => void {
  const sessions = new Map<number, Session>();
  const reply = (id: number, s: Session, consumed: number, done: boolean) => {
    const out = s.out.splice(0).map((b) => owned(b, s.pool.size));
    post({ id, out, consumed, done }, out.map((b) => b.buffer as ArrayBuffer));
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
      else if (m.kind === 'data') {
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

if (parentPort !== null && workerData === ENCODE_THREAD_MARK) {
  const port = parentPort;
  port.on('message', encodeThreadHandler((r, t) => port.postMessage(r, t)));
}
