/**
 * A background save's RDB encoder whose CPU work runs on a thread, as redis-server's runs in
 * its forked child. The thread reads the string entries straight from the table's shared
 * memory (snapshot.ts TableReader, store/table-view.ts): the main thread only hands out
 * ranges of entry numbers, and a write to an entry handed out and not yet read takes it back
 * (persistence/entry-claims.ts). What
 * only the main thread has goes through as bytes, staged (staged-records.ts): the header,
 * SELECTDB, collections (JS objects), and the values copy-on-write kept. Before, the main
 * thread copied every key out to the thread, which cost it as much as encoding there (the
 * 2-core VM: 0.4-0.5 s per 1M keys). The chunks come back in order to the save's write queue.
 * Whether a save uses it is rdb-encoder-choice.ts's (`snapshot-encoder`).
 */
import type { Worker } from 'node:worker_threads';
import type { KeyTable } from '../../key-table.js';
import type { Collection } from '../../keyspace.js';
import type { ChunkPool } from '../chunk-pool.js';
import type { EncoderEvents, SnapshotEncoder } from '../background-save.js';
import type { TableReader } from '../snapshot.js';
import { RdbEncoder } from './encoder.js';
import { ENCODE_THREAD_MARK, type EncodeThreadReady, type FromEncodeThread, type ToEncodeThread } from './encode-thread-protocol.js';
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
  /** The thread has started (its first message): until then a save stages its keys to it rather than hand it ranges. */
  ready = false;

  constructor() {
    // Loaded here, not at start-up: most runs never save.
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    this.worker =
      typeof __DURABENCH_RDB_THREAD__ === 'string'
        ? new Worker(__DURABENCH_RDB_THREAD__, { eval: true, workerData: ENCODE_THREAD_MARK })
        : new Worker(new URL(THREAD_MODULE, import.meta.url), { workerData: ENCODE_THREAD_MARK });
    this.worker.on('message', (r: FromEncodeThread | EncodeThreadReady) => {
      if ('ready' in r) this.ready = true;
      else this.saves.get(r.id)?.reply(r);
    });
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

/**
 * Written chunks the save's pool keeps here for staging (collections, copy-on-write values);
 * the rest go back to the thread with the next range. Before, each chunk the thread made was
 * a fresh 64 KB allocation there and, once written here, garbage: ~1,900 ArrayBuffers per
 * 1M-key BGSAVE. Those that lived through two scavenges while queued for the disk reached
 * the old generation, where V8 counts their bytes against its limit until a Mark-Compact
 * (external memory 9.5 -> 15.2 MB during one save, `--trace-gc-verbose`), and frees them in
 * its final pause (finish.sweep_array_buffers 2.1-2.6 ms of 11-12.6, `--trace-gc-nvp`).
 */
const LOCAL_CHUNKS = 2;

export interface ThreadRdbEncoderOptions {
  compress: boolean;
  checksum?: boolean;
  /** AUX fields of the header. */
  aux: Readonly<Record<string, string>>;
}

export class ThreadRdbEncoder implements SnapshotEncoder, TableReader {
  private readonly thread = encodeThread();
  private readonly id: number;
  private readonly stager: RecordStager;
  /** Header, SELECTDB and collections: encoded here, into the stager as raw bytes. */
  private readonly local: RdbEncoder;
  private sent = 0;
  private consumed = 0;
  private finishing = false;
  private closed = false;
  private ranges = 0;
  private keys = 0;

  constructor(
    private readonly sink: (chunk: Buffer) => void,
    private readonly pool: ChunkPool,
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

  /** Input the thread has not encoded yet (staged bytes, plus a ranges' worth each); 1 more until the footer is back. */
  get backlog(): number {
    return this.sent - this.consumed + this.ranges + (this.finishing ? 1 : 0);
  }

  /**
   * Itself, once the thread is up. Until then the keys are staged from here, so the save moves
   * on while the thread starts (~50 ms on the 2-core VM; the idle warm-up starts it before
   * the first save).
   */
  get reader(): TableReader | undefined {
    return this.thread.ready ? this : undefined;
  }

  get pending(): number {
    return this.ranges;
  }

  get keysRead(): number {
    return this.keys;
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

  attach(t: KeyTable<Collection>, end: number, claims: Uint8Array): void {
    this.stager.flush();
    this.thread.post({ id: this.id, kind: 'table', memory: t.memory(), end, claims });
  }

  range(from: number, to: number): void {
    // What is staged goes first: the file's bytes come out in the order they were given.
    this.stager.flush();
    this.ranges++;
    const spare = this.pool.surplus(LOCAL_CHUNKS);
    this.thread.post({ id: this.id, kind: 'range', from, to, spare }, spare.map((b) => b.buffer as ArrayBuffer));
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
    this.ranges -= r.ranges;
    this.keys += r.keys;
    if (r.done) {
      this.finishing = false;
      this.closed = true;
      this.thread.close(this.id);
    }
    this.events.progress();
  }
}
