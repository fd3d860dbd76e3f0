import fs from 'node:fs';
import path from 'node:path';
import type { KeyTable } from '../key-table.js';
import type { Databases } from '../databases.js';
import type { Collection } from '../keyspace.js';
import { type StallWatch, watchStalls } from '../stall-monitor.js';
import { atTurnEndBackground } from '../turn-end.js';
import { ChunkPool } from './chunk-pool.js';
import { DatasetSnapshot } from './dataset-snapshot.js';
import type { EntrySink } from './snapshot.js';

/** Turns snapshot entries into file bytes (RDB, or AOF commands for a .base.aof). */
export interface SnapshotEncoder extends EntrySink {
  /** Database `id` begins: its keys and keys with a TTL at the snapshot instant (RESIZEDB). Only non-empty ones, in id order. */
  db(id: number, keys: number, expires: number): void;
  /** Entry `e` of the live table, read from its bytes where the encoder can. */
  stored(table: KeyTable<Collection>, e: number): void;
  /** Writes any trailer (RDB EOF + checksum) and flushes buffered bytes. */
  finish(): void;
  /**
   * Bytes given to an encoder working on a thread and not yet back through the sink (more
   * than 0 until its last byte is); absent or 0 for one that encodes as it is called.
   */
  readonly backlog?: number;
  /** The save stopped before finish(): drop what is pending. */
  close?(): void;
}

/** How an encoder working on a thread tells the save that its backlog shrank, or that it failed. */
export interface EncoderEvents {
  progress(error?: string): void;
}

/**
 * Makes an encoder writing its header (if any) to `sink`; it may batch into buffers from
 * `pool`, which the sink gives back once written. With both it may encode on a thread;
 * without (a `blocking` save, whose pause must include the encoding) it encodes as called.
 */
export type EncoderFactory = (sink: (chunk: Buffer) => void, pool?: ChunkPool, events?: EncoderEvents) => SnapshotEncoder;

export type SnapshotStrategy = 'cow' | 'blocking';

export interface SaveOutcome {
  ok: boolean;
  error: string | null;
  bytes: number;
  keys: number;
  cowBytes: number;
  durationMs: number;
  /** Longest event-loop stall while the save ran, start pause included (µs). */
  maxStallUsec: number;
}

/**
 * Main-thread time one step may take before yielding to clients (checked every KEYS_PER_CHECK
 * keys): half of what the rest of the event loop took since the last step (the clients'
 * work), within [MIN_STEP_MS, MAX_STEP_MS], and MAX_STEP_MS when nothing else ran. A fixed
 * 1 ms step starved clients that send one command at a time: each gets one command per
 * event-loop turn, so 16 of them got 16 commands per ~1.3 ms, about 12k/s, and `durabench
 * run quick --modes rdb --rate 20000 --preload 100000` queued behind every BGSAVE: p99
 * 208-377 ms, against 28-57 ms with this rule and redis-server's 7-22 ms (single trials,
 * noisy). The cost: a BGSAVE of 1M keys under bench:latency's 20k SET/s took 3.1-5.3 s
 * instead of 2.1-2.6 s (redis-server 4.3-4.6 s). Under a heavy load the step stays at
 * MAX_STEP_MS per turn, so a snapshot still ends (a forked child would have a core of its
 * own). A request that arrives during a step waits for its end: at 100k keys, BGSAVE
 * windows of `bench:latency`, 2 ms steps gave p99 2.5-2.6 ms, 1 ms 1.5-2.2 ms.
 */
const MAX_STEP_MS = 1;
const MIN_STEP_MS = 0.25;
const CLIENT_SHARE = 0.5;
/** Less than this since the last step: only the loop's own overhead ran, no client. */
const IDLE_GAP_MS = 0.015;
const KEYS_PER_CHECK = 16;
/**
 * Bytes with the encoder's thread or waiting for the thread pool's writes before serializing
 * pauses (memory bound).
 * Small, because the queue is ArrayBuffers V8 counts as external memory and adds to the old
 * generation's size: 8 MB of it, filled the moment a save began, helped push a 4M-key
 * server past its ~16 MB old-generation margin into atomic Mark-Compacts (`--trace-gc`:
 * "allocation failure"). The disk takes 2 MB in a millisecond or two of page cache.
 */
const MAX_QUEUED = 2 << 20;
/** The RDB writer's batch size, for the save's pool of them. */
const CHUNK_BYTES = 64 << 10;
/**
 * fdatasync the temp file every this many bytes, as Redis's rdb-save-incremental-fsync
 * (REDIS_AUTOSYNC_BYTES): otherwise the final fsync flushes the whole file at once, and
 * the AOF's everysec fdatasync on the same disk waits behind it. 4 MB as Redis since 7.0
 * (redis#9409; 32 MB before): an AOF fdatasync commits the journal, which first writes out the dirty
 * pages the save left since its last sync. 1M keys, aof-always, BGREWRITEAOF under 20k
 * SET/s (bench:latency): longest event-loop stall 6-12 ms against 15-18 ms with 32 MB.
 */
const AUTOSYNC_BYTES = 4 << 20;

/** fsync a directory on the thread pool (errors of filesystems that refuse it ignored, as fsyncDir). */
function fsyncDirAsync(dir: string, cb: (err: Error | null) => void): void {
  fs.open(dir, 'r', (err, fd) => {
    if (err) return cb(null);
    fs.fsync(fd, (e) => {
      fs.close(fd, () => {
        const code = (e as NodeJS.ErrnoException | null)?.code;
        cb(e && code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' ? e : null);
      });
    });
  });
}

/**
 * Writes a snapshot of every database as of start() to `dir/name` in the background: the
 * copy-on-write snapshot is serialized in steps of at most MAX_STEP_MS per event-loop turn
 * (handed to the encoder's thread, when it has one: rdb/thread-encoder.ts), and
 * every file operation (writes, incremental and final fsync, close, rename, directory
 * fsync) runs on the thread pool, so a slow or busy disk never holds the event loop — a
 * forked child's writes do not hold redis-server's either. A crash leaves the old file or
 * the new one. Used for BGSAVE and for the base of an AOF rewrite. `blocking` serializes
 * everything inside start(), as a fork that copied the whole dataset would pause.
 */
export class BackgroundSave {
  /** Main-thread pause to start the save (latest_fork_usec). */
  readonly startPauseUsec: number;
  readonly startedAt = Date.now();
  private readonly snapshot: DatasetSnapshot;
  private readonly tmp: string;
  private readonly makeEncoder: EncoderFactory;
  private readonly stalls: StallWatch;
  private fd = -1;
  private enc: SnapshotEncoder | null = null;
  /** bytes serialized (queued or written) */
  private bytes = 0;
  private queue: Buffer[] = [];
  /** Batch buffers: what the queue and one writev hold at once, reused. */
  private readonly pool = new ChunkPool(CHUNK_BYTES, 2 * Math.ceil(MAX_QUEUED / CHUNK_BYTES) + 2);
  private queued = 0;
  private writing = false;
  private sinceSync = 0;
  /** serializing waits for the queue to drain below MAX_QUEUED */
  private paused = false;
  private serialized = false;
  private aborted = false;
  private writeError: Error | null = null;
  /** when the last step returned to the event loop (performance.now()) */
  private lastStepEnd = performance.now();
  private readonly events: EncoderEvents | undefined;

  constructor(
    dbs: Databases,
    private readonly dir: string,
    private readonly name: string,
    makeEncoder: EncoderFactory,
    strategy: SnapshotStrategy,
    private readonly onDone: (o: SaveOutcome) => void,
  ) {
    // The pause is only what must happen before clients run again: the snapshot epoch.
    // Opening the file and the header happen in the first step, as in a forked child.
    this.tmp = path.join(dir, `temp-${process.pid}-${Date.now()}.rdb`);
    this.makeEncoder = makeEncoder;
    this.stalls = watchStalls();
    this.events = strategy === 'blocking' ? undefined : { progress: (error) => (error === undefined ? this.progress() : this.fail(error)) };
    const t0 = performance.now();
    this.snapshot = new DatasetSnapshot(dbs);
    if (strategy === 'blocking') {
      const enc = this.open(makeEncoder);
      this.snapshot.step(Infinity, enc);
    }
    this.startPauseUsec = Math.max(1, Math.round((performance.now() - t0) * 1000));
    atTurnEndBackground(() => this.step());
  }

  private open(makeEncoder: EncoderFactory): SnapshotEncoder {
    if (this.enc !== null) return this.enc;
    this.fd = fs.openSync(this.tmp, 'w');
    this.enc = makeEncoder((chunk) => this.write(chunk), this.pool, this.events);
    return this.enc;
  }

  get inProgress(): boolean {
    return !this.aborted;
  }

  /** The encoder's output: queued for the thread pool. */
  private write(chunk: Buffer): void {
    if (this.writeError || chunk.length === 0) return;
    this.queue.push(chunk);
    this.queued += chunk.length;
    this.bytes += chunk.length;
    this.pump();
  }

  /** Serialized bytes not yet written: queued here, or still with the encoder's thread. */
  private get inFlight(): number {
    return this.queued + (this.enc?.backlog ?? 0);
  }

  /** The encoder's thread moved on: resume serializing if it was waiting, write what came. */
  private progress(): void {
    this.resumeIfDrained();
    this.pump();
  }

  private resumeIfDrained(): void {
    if (this.paused && this.inFlight < MAX_QUEUED / 2) {
      this.paused = false;
      atTurnEndBackground(() => this.step());
    }
  }

  /** One writev at a time on the thread pool; fdatasync every AUTOSYNC_BYTES. */
  private pump(): void {
    if (this.writing || this.aborted || this.writeError) return;
    if (this.queue.length === 0) {
      if (this.serialized && (this.enc?.backlog ?? 0) === 0) this.commit();
      return;
    }
    if (this.sinceSync >= AUTOSYNC_BYTES) {
      this.writing = true;
      this.sinceSync = 0;
      fs.fdatasync(this.fd, (err) => this.written(err, 0));
      return;
    }
    const chunks = this.queue;
    this.queue = [];
    let n = 0;
    for (const c of chunks) n += c.length;
    this.writing = true;
    this.writeAll(chunks, n, 0, chunks);
  }

  /** `all`: the whole writev's chunks, back to the pool once written. */
  private writeAll(chunks: Buffer[], total: number, done: number, all: Buffer[]): void {
    fs.writev(this.fd, chunks, (err, n) => {
      if (err || this.aborted) return this.written(err, done + (n ?? 0));
      if (done + n >= total) {
        for (const c of all) this.pool.give(c);
        return this.written(null, total);
      }
      // a write that takes nothing and says nothing would loop forever: call it a full disk
      if (n === 0) return this.written(new Error('No space left on device (write took no bytes)'), done);
      // A short write: the rest of the chunks, from where it stopped.
      let skip = n;
      const rest: Buffer[] = [];
      for (const c of chunks) {
        if (skip >= c.length) skip -= c.length;
        else {
          rest.push(skip > 0 ? c.subarray(skip) : c);
          skip = 0;
        }
      }
      this.writeAll(rest, total, done + n, all);
    });
  }

  private written(err: Error | null, n: number): void {
    this.writing = false;
    this.queued -= n;
    this.sinceSync += n;
    if (this.aborted) return this.closeAndRemove();
    if (err) {
      this.writeError = err;
      return this.fail(err.message);
    }
    this.resumeIfDrained();
    this.pump();
  }

  private step(): void {
    if (this.aborted || this.writeError) return;
    const t0 = performance.now();
    const others = t0 - this.lastStepEnd;
    const budget = others < IDLE_GAP_MS ? MAX_STEP_MS : Math.min(MAX_STEP_MS, Math.max(MIN_STEP_MS, others * CLIENT_SHARE));
    let enc: SnapshotEncoder;
    try {
      enc = this.open(this.makeEncoder);
    } catch (e) {
      return this.fail((e as Error).message);
    }
    let done = false;
    try {
      while (!done && this.inFlight < MAX_QUEUED && performance.now() - t0 < budget) {
        done = this.snapshot.step(KEYS_PER_CHECK, enc);
        if (this.snapshot.waiting) break;
      }
    } catch (e) {
      return this.fail((e as Error).message);
    }
    if (this.writeError) return;
    this.lastStepEnd = performance.now();
    if (!done) {
      // Behind a slow disk, wait for the writes (written() resumes) rather than buffer the
      // dataset; behind the encoder's thread, for its progress (progress() resumes).
      if (this.inFlight >= MAX_QUEUED || this.snapshot.waiting) this.paused = true;
      else atTurnEndBackground(() => this.step());
      return;
    }
    enc.finish();
    this.serialized = true;
    this.pump();
  }

  /** Everything written: fsync, close, rename over the target, fsync the directory, all off the event loop. */
  private commit(): void {
    this.writing = true; // nothing else runs on the fd from here
    fs.fsync(this.fd, (err) => {
      if (this.aborted) return this.closeAndRemove();
      if (err) return this.fail(err.message);
      const fd = this.fd;
      this.fd = -1;
      fs.close(fd, (err) => {
        if (this.aborted) return void fs.rm(this.tmp, { force: true }, () => {});
        if (err) return this.fail(err.message);
        fs.rename(this.tmp, path.join(this.dir, this.name), (err) => {
          if (this.aborted) return;
          if (err) return this.fail(err.message);
          fsyncDirAsync(this.dir, (err) => {
            if (this.aborted) return;
            if (err) return this.fail(err.message);
            this.aborted = true;
            this.onDone(this.outcome(true, null));
          });
        });
      });
    });
  }

  private outcome(ok: boolean, error: string | null): SaveOutcome {
    return {
      ok,
      error,
      bytes: this.bytes,
      keys: this.snapshot.keysWritten,
      cowBytes: this.snapshot.cowBytes,
      durationMs: Date.now() - this.startedAt,
      maxStallUsec: this.stalls.stop(),
    };
  }

  private fail(message: string): void {
    if (this.aborted) return;
    this.cleanup();
    this.onDone(this.outcome(false, message));
  }

  /** Stops the save and removes the temp file (shutdown, SAVE superseding it). */
  abort(): void {
    if (this.aborted) return;
    this.cleanup();
  }

  private cleanup(): void {
    this.aborted = true;
    this.stalls.stop();
    this.snapshot.release();
    this.enc?.close?.();
    this.queue = [];
    // An fd must not be closed under a thread-pool call using it: written()/commit() close it then.
    if (!this.writing) this.closeAndRemove();
  }

  private closeAndRemove(): void {
    if (this.fd >= 0) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* already closed */
      }
      this.fd = -1;
    }
    fs.rmSync(this.tmp, { force: true });
  }
}
