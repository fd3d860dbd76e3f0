import type { Databases } from '../../databases.js';
import type { Logger } from '../../log.js';
import { BackgroundSave, type SaveOutcome, type SnapshotStrategy } from '../background-save.js';
import { AofLayout, type AofLayoutOptions } from './layout.js';
import { loadAofFiles } from './loader.js';
import type { AofFile } from './manifest.js';
import { type FlushResult, type FsyncPolicy, AofWriter } from './writer.js';

export interface AofOptions extends AofLayoutOptions {
  policy: () => FsyncPolicy;
  loadTruncated: () => boolean;
  strategy: () => SnapshotStrategy;
  log: Logger;
  onSynced: () => void;
  /** A rewrite began; its snapshot-start pause in µs (latest_fork_usec, total_forks). */
  onRewriteStart: (pauseUsec: number) => void;
}

/**
 * Redis 7's multi-part AOF: `<dir>/<appenddirname>/` holds a manifest, one base file and
 * incr files. Loads it, appends to the last incr file, and rewrites it: the current
 * dataset becomes a new base (copy-on-write snapshot) while new writes go to a new incr
 * file; the manifest is swapped atomically and the old files removed.
 */
export class Aof {
  private readonly layout: AofLayout;
  private writer: AofWriter | null = null;
  private rewriteJob: BackgroundSave | null = null;
  /** The manifest naming the rewrite's new incr file is being written: the snapshot waits. */
  private starting = false;
  /** The new base is written and the manifest commit is on the thread pool: still rewriting. */
  private committing = false;
  /** Bumped by close(): a rewrite start still in flight is then dropped. */
  private generation = 0;
  rewrites = 0;
  lastRewriteStatus: 'ok' | 'err' = 'ok';
  lastRewriteTimeSec = -1;
  lastCowSize = 0;
  /** Longest event-loop stall during the last rewrite, µs. */
  lastMaxStallUsec = 0;
  baseSize = 0;
  rewriteScheduled = false;
  /** Bytes of live incr files no longer appended to (the current one is the writer's size). */
  private closedIncrBytes = 0;

  constructor(private readonly o: AofOptions) {
    this.layout = new AofLayout(o);
  }

  exists(): boolean {
    return this.layout.exists();
  }

  /** Replays the AOF into the keyspace, yielding between steps. Throws AofError when unloadable. */
  /** `beginFile`: a file's replay starts (its commands start in database 0, as each file gets a new fake client in Redis). */
  async load(dbs: Databases, exec: (argv: string[]) => void, beginFile: () => void = () => {}): Promise<number> {
    this.layout.read();
    const r = await loadAofFiles(this.layout.dirPath, this.layout.files, dbs, exec, { loadTruncated: this.o.loadTruncated(), log: this.o.log, beginFile });
    this.baseSize = r.baseSize;
    return r.commands;
  }

  /** After loading: create the layout if missing (base from the dataset), open the last incr file. */
  open(dbs: Databases): void {
    const created = this.layout.createIfMissing(dbs);
    if (created !== null) {
      this.baseSize = created.bytes;
      this.o.log.notice(`Creating AOF base file ${created.name} on server start`);
    }
    const incr = this.layout.currentIncr();
    this.closedIncrBytes = this.layout.incrBytesExcept(incr);
    this.writer = this.openWriter(incr.name);
  }

  private openWriter(name: string): AofWriter {
    return new AofWriter(this.layout.openAppend(name), this.o.policy, this.o.onSynced);
  }

  feed(argv: readonly string[], db: number): void {
    this.writer?.feed(argv, db);
  }

  flush(): FlushResult {
    return this.writer === null ? 'ok' : this.writer.flush();
  }

  get writeError(): string | null {
    return this.writer?.lastWriteError ?? null;
  }

  get rewriting(): boolean {
    return this.rewriteJob !== null || this.starting || this.committing;
  }

  /** everysec syncs, write retries, and scheduled or automatic rewrites (one snapshot at a time). */
  cron(dbs: Databases, pct: number, minSize: number, otherSnapshotRunning: boolean): void {
    this.writer?.maybeBackgroundSync();
    if (this.writer?.lastWriteError) this.writer.flush();
    if (this.rewriting || otherSnapshotRunning) return;
    const size = this.currentSize();
    if (this.rewriteScheduled || (pct > 0 && size > minSize && this.baseSize > 0 && ((size - this.baseSize) * 100) / this.baseSize >= pct)) {
      if (!this.rewriteScheduled) this.o.log.notice(`Starting automatic rewriting of AOF on ${Math.round(((size - this.baseSize) * 100) / this.baseSize)}% growth`);
      this.rewriteScheduled = false;
      this.startRewrite(dbs);
    }
  }

  /** Base plus live incr files, kept from the writes themselves (no stat per cron tick). */
  currentSize(): number {
    return this.baseSize + this.closedIncrBytes + (this.writer?.size ?? 0);
  }

  /**
   * Once the manifest lists a new incr file next to the current ones (written on the thread
   * pool; appends go on into the current file meanwhile), switches appends to the new file
   * and snapshots the dataset into a new base in the same event-loop turn, so base + new incr
   * is exactly the dataset from then on. Until the base is complete the manifest lists old
   * base, old incrs and the new incr.
   */
  startRewrite(dbs: Databases): void {
    if (this.rewriting) return;
    if (this.writer === null) {
      // BGREWRITEAOF with appendonly no, as Redis 7 does it: the dataset becomes a new base
      // and the manifest then names that base alone (nothing is appended, so no incr file).
      this.enableAtRuntime(dbs, false);
      return;
    }
    this.starting = true;
    const generation = this.generation;
    this.layout.addLiveIncr((err, incr) => {
      if (generation !== this.generation || this.writer === null) return;
      this.starting = false;
      if (err) {
        this.lastRewriteStatus = 'err';
        this.o.log.warning(`Background AOF rewrite failed: writing the manifest: ${err.message}`);
        return;
      }
      this.writer.retire();
      this.closedIncrBytes += this.writer.size;
      this.writer = this.openWriter(incr.name);
      this.snapshotInto(dbs, incr);
    });
  }

  /**
   * CONFIG SET appendonly yes: whatever is in the directory is stale, so the first base is
   * written in the background and the manifest only names the new files once it is done.
   * `withIncr`: appends go to a new incr file.
   */
  enableAtRuntime(dbs: Databases, withIncr = true): void {
    this.layout.readIfAny();
    const newIncr = withIncr ? this.layout.addIncr() : null;
    if (newIncr !== null) this.writer = this.openWriter(newIncr.name);
    this.snapshotInto(dbs, newIncr);
  }

  /** Starts the snapshot that becomes the new base; its commit names `newIncr` after it. */
  private snapshotInto(dbs: Databases, newIncr: AofFile | null): void {
    const base = this.layout.nextBase();
    const enc = this.layout.baseEncoder();
    const started = Date.now();
    this.rewriteJob = new BackgroundSave(dbs, this.layout.dirPath, base.name, enc, this.o.strategy(), (out) => this.rewriteDone(out, base, newIncr, started));
    this.o.onRewriteStart(this.rewriteJob.startPauseUsec);
    this.o.log.notice(`Background append only file rewriting started`);
  }

  private rewriteDone(out: SaveOutcome, base: AofFile, incr: AofFile | null, started: number): void {
    this.rewriteJob = null;
    this.lastRewriteTimeSec = Math.round((Date.now() - started) / 1000);
    this.lastCowSize = out.cowBytes;
    this.lastMaxStallUsec = out.maxStallUsec;
    if (!out.ok) {
      this.lastRewriteStatus = 'err';
      this.o.log.warning(`Background AOF rewrite failed: ${out.error}`);
      return;
    }
    this.committing = true;
    this.layout.commit(base, incr, (err) => {
      this.committing = false;
      if (err) {
        this.lastRewriteStatus = 'err';
        this.o.log.warning(`Background AOF rewrite failed: writing the manifest: ${err.message}`);
        return;
      }
      this.closedIncrBytes = 0;
      this.baseSize = out.bytes;
      this.rewrites++;
      this.lastRewriteStatus = 'ok';
      this.o.log.notice(`Background AOF rewrite finished successfully (${out.keys} keys, ${out.bytes} bytes)`);
    });
  }

  /** A rewrite start in flight will not switch files (the manifest may list an empty incr: harmless). */
  private dropRewriteStart(): void {
    this.generation++;
    this.starting = false;
  }

  info(): Record<string, string | number> {
    return {
      aof_rewrite_in_progress: this.rewriting ? 1 : 0,
      aof_rewrite_scheduled: this.rewriteScheduled ? 1 : 0,
      aof_last_rewrite_time_sec: this.lastRewriteTimeSec,
      aof_current_rewrite_time_sec: this.rewriteJob ? Math.round((Date.now() - this.rewriteJob.startedAt) / 1000) : -1,
      aof_last_bgrewrite_status: this.lastRewriteStatus,
      aof_rewrites: this.rewrites,
      aof_last_write_status: this.writeError ? 'err' : 'ok',
      aof_last_cow_size: this.lastCowSize,
      aof_last_rewrite_max_stall_usec: this.lastMaxStallUsec,
      aof_current_size: this.writer ? this.currentSize() : 0,
      aof_base_size: this.baseSize,
      aof_buffer_length: this.writer?.pendingBytes ?? 0,
      aof_delayed_fsync: this.writer?.delayedFsync ?? 0,
    };
  }

  /** Shutdown: everything written and fsynced. */
  closeForShutdown(): void {
    this.dropRewriteStart();
    this.rewriteJob?.abort();
    this.rewriteJob = null;
    if (this.writer) {
      this.writer.syncNow();
      this.writer.close();
      this.writer = null;
    }
  }

  /** Turning appendonly off at runtime: what was fed still reaches the file. */
  close(): void {
    this.dropRewriteStart();
    this.rewriteJob?.abort();
    this.rewriteJob = null;
    try {
      this.writer?.syncNow();
    } catch (e) {
      this.o.log.warning(`Error flushing the AOF while turning it off: ${(e as Error).message}`);
    }
    this.writer?.close();
    this.writer = null;
  }
}
