/**
 * A background save's RDB encoder whose CPU work runs on a thread, as redis-server's runs in
 * its forked child. On the main thread a BGSAVE of 1M keys of random 100-byte values spends
 * ~1.5 µs per key: ~1 µs trying LZF on each value, ~0.25 µs of CRC-64, ~0.25 µs reading the
 * table and copying, all taken from the clients between steps. Here the main thread only
 * copies each key's bytes out of the table (staged-records.ts), in the same copy-on-write
 * steps as before (0.4-0.5 s of main thread per 1M keys instead of 1.4-1.5 s); encode-thread.ts
 * encodes them, and the chunks come back in order to the save's write queue. Collections are
 * encoded here, on the main thread (their values are JS objects), and go through as bytes.
 * Whether a save uses it is persistence.ts's choice (`snapshot-encoder`): not on 2 cores.
 */
import type { Worker } from 'node:worker_threads';
import type { KeyTable } from '../../key-table.js';
import type { Collection } from '../../keyspace.js';
import type { ChunkPool } from '../chunk-pool.js';
import type { EncoderEvents, SnapshotEncoder } from '../background-save.js';
import { RdbEncoder } from './encoder.js';
import { ENCODE_THREAD_MARK, type FromEncodeThread, type ToEncodeThread } from './encode-thread-protocol.js';
import { RecordStager } from './staged-records.js';

/** The thread's code as one script: scripts/bundle-server.mjs defines it in the server bundle. */
declare const __DURABENCH_RDB_THREAD__: string | undefined;

/**
 * The compiled thread module, from the compiled modules (dist/server/persistence/rdb/) and
 * from the sources (src/…, under vitest: `npm test` builds first) alike: both sit four
 * levels below the package root.
 */
const THREAD_MODULE = '../../../../dist/server/persistence/rdb/encode-thread.js';

/** The process's encoding thread: started by the first save, kept for the next (unref'd: it never holds the process). */
class EncodeThread {
  private readonly worker: Worker;
  private readonly saves = new Map<number, ThreadRdbEncoder>();
  private nextId = 1;
  private dead = false;

  constructor() {
    // Loaded here, not at start-up: most runs never save.
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    this.worker =
      typeof __DURABENCH_RDB_THREAD__ === 'string'
        ? new Worker(__DURABENCH_RDB_THREAD__, { eval: true, workerData: ENCODE_THREAD_MARK })
        : new Worker(new URL(THREAD_MODULE, import.meta.url), { workerData: ENCODE_THREAD_MARK });
    this.worker.on('message', (r: FromEncodeThread) => this.saves.get(r.id)?.reply(r));
    this.worker.on('error', (e: Error) => this.die(e.message));
    this.worker.on('exit', (code: number) => this.die(`it exited (code ${code})`));
    this.worker.unref();
  }

  get alive(): boolean {
    return !this.dead;
  }

  open(save: ThreadRdbEncoder): number {
    const id = this.nextId++;
    this.saves.set(id, save);
    return id;
  }

  close(id: number): void {
    this.saves.delete(id);
  }

  post(m: ToEncodeThread, transfer: ArrayBuffer[] = []): void {
    if (!this.dead) this.worker.postMessage(m, transfer);
  }

  /** Ends the thread, failing the saves it serves (tests: what a save does when its thread dies). */
  terminate(): Promise<number> {
    this.die('it was stopped');
    return this.worker.terminate();
  }

  private die(why: string): void {
    if (this.dead) return;
    this.dead = true;
    if (current === this) current = null;
    const saves = [...this.saves.values()];
    this.saves.clear();
    for (const s of saves) s.reply({ id: 0, error: `the RDB encoding thread failed: ${why}` });
  }
}

let current: EncodeThread | null = null;

/** The encoding thread, started now if there is none. */
export function encodeThread(): EncodeThread {
  if (current === null || !current.alive) current = new EncodeThread();
  return current;
}

export interface ThreadRdbEncoderOptions {
  compress: boolean;
  checksum?: boolean;
  /** AUX fields of the header. */
  aux: Readonly<Record<string, string>>;
}

export class ThreadRdbEncoder implements SnapshotEncoder {
  private readonly thread = encodeThread();
  private readonly id: number;
  private readonly stager: RecordStager;
  /** Header, SELECTDB and collections: encoded here, into the stager as raw bytes. */
  private readonly local: RdbEncoder;
  private sent = 0;
  private consumed = 0;
  private finishing = false;
  private closed = false;

  constructor(
    private readonly sink: (chunk: Buffer) => void,
    pool: ChunkPool,
    private readonly events: EncoderEvents,
    options: ThreadRdbEncoderOptions,
  ) {
    this.id = this.thread.open(this);
    this.thread.post({ id: this.id, kind: 'begin', compress: options.compress, checksum: options.checksum ?? true, chunkSize: pool.size });
    this.stager = new RecordStager(pool, (b) => {
      this.sent += b.length;
      this.thread.post({ id: this.id, kind: 'data', batches: [b] }, [b.buffer as ArrayBuffer]);
    });
    this.local = new RdbEncoder((c) => this.stager.raw(c, 0, c.length), { compress: options.compress, crc: false });
    this.local.header(options.aux);
    this.local.flush();
  }

  /** Input bytes the thread has not encoded yet; 1 more until the footer is back. */
  get backlog(): number {
    return this.sent - this.consumed + (this.finishing ? 1 : 0);
  }

  db(id: number, keys: number, expires: number): void {
    this.local.selectDb(id, keys, expires);
    this.local.flush();
  }

  stored(t: KeyTable<Collection>, e: number): void {
    const vlen = t.valueLength(e);
    if (vlen < 0) {
      this.local.entry(t.key(e), t.value(e), t.expireAt(e));
      this.local.flush();
    } else this.stager.pair(t.buffer(e), t.keyOffset(e), t.keyLength(e), vlen, t.expireAt(e));
  }

  /** Sends what is staged and asks for the footer; the save hears of its arrival through events.progress(). */
  finish(): void {
    this.stager.flush();
    this.finishing = true;
    this.thread.post({ id: this.id, kind: 'end' });
  }

  /** The save was aborted: the thread drops it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.thread.post({ id: this.id, kind: 'abort' });
    this.thread.close(this.id);
  }

  /** A reply of the thread (or its death). */
  reply(r: FromEncodeThread): void {
    if (this.closed) return;
    if ('error' in r) {
      this.close();
      return this.events.progress(r.error);
    }
    for (const u of r.out) this.sink(Buffer.from(u.buffer, u.byteOffset, u.byteLength));
    this.consumed += r.consumed;
    if (r.done) {
      this.finishing = false;
      this.closed = true;
      this.thread.close(this.id);
    }
    this.events.progress();
  }
}
