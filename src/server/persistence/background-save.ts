import fs from 'node:fs';
import path from 'node:path';
import type { Keyspace, Value } from '../keyspace.js';
import { fsyncDir } from './rdb/save-file.js';
import { CowSnapshot } from './snapshot.js';

/** Turns snapshot entries into file bytes (RDB, or AOF commands for a .base.aof). */
export interface SnapshotEncoder {
  entry(key: string, value: Value, expireAt: number | undefined): void;
  /** Writes any trailer (RDB EOF + checksum) and flushes buffered bytes. */
  finish(): void;
}

export type EncoderFactory = (sink: (chunk: Buffer) => void, keys: number, expires: number) => SnapshotEncoder;

export type SnapshotStrategy = 'cow' | 'blocking';

export interface SaveOutcome {
  ok: boolean;
  error: string | null;
  bytes: number;
  keys: number;
  cowBytes: number;
  durationMs: number;
}

/** Main-thread time one step may take before yielding to clients. */
const STEP_BUDGET_MS = 4;
const KEYS_PER_CHECK = 256;

/**
 * Writes a snapshot of the keyspace as of start() to `dir/name` in the background: the
 * copy-on-write snapshot is serialized a few milliseconds per event-loop turn into a temp
 * file, which is fsynced (on the thread pool), renamed over the target and the directory
 * fsynced, so a crash leaves the old file or the new one. Used for BGSAVE and for the
 * base of an AOF rewrite. `blocking` serializes everything inside start(), as a fork
 * that copied the whole dataset would pause.
 */
export class BackgroundSave {
  /** Main-thread pause to start the save (latest_fork_usec). */
  readonly startPauseUsec: number;
  readonly startedAt = Date.now();
  private readonly snapshot: CowSnapshot;
  private readonly tmp: string;
  private readonly makeEncoder: EncoderFactory;
  private fd = -1;
  private enc: SnapshotEncoder | null = null;
  private bytes = 0;
  private aborted = false;
  private writeError: Error | null = null;

  constructor(
    ks: Keyspace,
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
    const t0 = performance.now();
    this.snapshot = new CowSnapshot(ks);
    if (strategy === 'blocking') {
      const enc = this.open(makeEncoder);
      this.snapshot.step(Infinity, (k, v, e) => enc.entry(k, v, e));
    }
    this.startPauseUsec = Math.max(1, Math.round((performance.now() - t0) * 1000));
    setImmediate(() => this.step());
  }

  private open(makeEncoder: EncoderFactory): SnapshotEncoder {
    if (this.enc !== null) return this.enc;
    this.fd = fs.openSync(this.tmp, 'w');
    this.enc = makeEncoder((chunk) => this.write(chunk), this.snapshot.keysAtStart, this.snapshot.expiresAtStart);
    return this.enc;
  }

  get inProgress(): boolean {
    return !this.aborted;
  }

  private write(chunk: Buffer): void {
    if (this.writeError) return;
    try {
      // write() may take part of a chunk (a nearly full disk): write the rest, and let the
      // next write() say ENOSPC, rather than rename a file with bytes missing over the old one
      let off = 0;
      while (off < chunk.length) {
        const n = fs.writeSync(this.fd, chunk, off, chunk.length - off);
        if (n <= 0) throw new Error(`write took no bytes (${chunk.length - off} left)`);
        off += n;
      }
      this.bytes += chunk.length;
    } catch (e) {
      this.writeError = e as Error;
    }
  }

  private step(): void {
    if (this.aborted) return;
    const t0 = performance.now();
    let enc: SnapshotEncoder;
    try {
      enc = this.open(this.makeEncoder);
    } catch (e) {
      return this.fail((e as Error).message);
    }
    const sink = (k: string, v: Value, e: number | undefined) => enc.entry(k, v, e);
    let done = false;
    while (!done && performance.now() - t0 < STEP_BUDGET_MS) done = this.snapshot.step(KEYS_PER_CHECK, sink);
    if (this.writeError) return this.fail(this.writeError.message);
    if (!done) {
      setImmediate(() => this.step());
      return;
    }
    enc.finish();
    const err = this.writeError as Error | null; // set by the sink during finish()
    if (err) return this.fail(err.message);
    fs.fsync(this.fd, (err) => {
      if (this.aborted) return;
      if (err) return this.fail(err.message);
      try {
        fs.closeSync(this.fd);
        fs.renameSync(this.tmp, path.join(this.dir, this.name));
        fsyncDir(this.dir);
      } catch (e) {
        return this.fail((e as Error).message);
      }
      this.aborted = true;
      this.onDone(this.outcome(true, null));
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
    };
  }

  private fail(message: string): void {
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
    this.snapshot.release();
    if (this.fd >= 0) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* already closed */
      }
      fs.rmSync(this.tmp, { force: true });
    }
  }
}
