import fs from 'node:fs';
import path from 'node:path';
import type { Keyspace } from '../../keyspace.js';
import type { Logger } from '../../log.js';
import { BackgroundSave, type EncoderFactory, type SaveOutcome, type SnapshotStrategy } from '../background-save.js';
import { loadAofFiles } from './loader.js';
import { type AofFile, manifestName, parseManifest, writeManifest } from './manifest.js';
import { type FlushResult, type FsyncPolicy, AofWriter } from './writer.js';

export interface AofOptions {
  dir: string;
  dirname: string;
  filename: string;
  policy: () => FsyncPolicy;
  preamble: () => boolean;
  loadTruncated: () => boolean;
  strategy: () => SnapshotStrategy;
  rdbEncoder: EncoderFactory;
  aofEncoder: EncoderFactory;
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
  private files: AofFile[] = [];
  private writer: AofWriter | null = null;
  private rewriteJob: BackgroundSave | null = null;
  private readonly dirPath: string;
  private readonly manifest: string;
  rewrites = 0;
  lastRewriteStatus: 'ok' | 'err' = 'ok';
  lastRewriteTimeSec = -1;
  lastCowSize = 0;
  baseSize = 0;
  rewriteScheduled = false;
  /** Bytes of live incr files no longer appended to (the current one is the writer's size). */
  private closedIncrBytes = 0;

  constructor(private readonly o: AofOptions) {
    this.dirPath = path.join(o.dir, o.dirname);
    this.manifest = manifestName(o.filename);
  }

  exists(): boolean {
    return fs.existsSync(path.join(this.dirPath, this.manifest));
  }

  /** Replays the AOF into the keyspace, yielding between steps. Throws AofError when unloadable. */
  async load(ks: Keyspace, exec: (argv: string[]) => void): Promise<number> {
    const where = path.join(this.dirPath, this.manifest);
    this.files = parseManifest(fs.readFileSync(where, 'latin1'), where);
    const r = await loadAofFiles(this.dirPath, this.files, ks, exec, { loadTruncated: this.o.loadTruncated(), log: this.o.log });
    this.baseSize = r.baseSize;
    return r.commands;
  }

  /** After loading: create the layout if missing (base from the dataset), open the last incr file. */
  open(ks: Keyspace): void {
    fs.mkdirSync(this.dirPath, { recursive: true });
    if (!this.exists()) {
      const base = this.baseName(1);
      this.writeBaseSync(ks, base);
      this.files = [{ name: base, seq: 1, type: 'b' }, { name: this.incrName(1), seq: 1, type: 'i' }];
      fs.closeSync(fs.openSync(path.join(this.dirPath, this.incrName(1)), 'a'));
      writeManifest(this.dirPath, this.manifest, this.files);
      this.o.log.notice(`Creating AOF base file ${base} on server start`);
    }
    let incr = this.files.filter((f) => f.type === 'i').at(-1);
    if (incr === undefined) {
      incr = { name: this.incrName(1), seq: 1, type: 'i' };
      this.files.push(incr);
      writeManifest(this.dirPath, this.manifest, this.files);
    }
    const current = incr;
    this.closedIncrBytes = this.files
      .filter((f) => f.type === 'i' && f !== current)
      .reduce((n, f) => n + fs.statSync(path.join(this.dirPath, f.name)).size, 0);
    this.writer = this.openWriter(incr.name);
  }

  private openWriter(name: string): AofWriter {
    const fd = fs.openSync(path.join(this.dirPath, name), 'a');
    return new AofWriter(fd, this.o.policy, this.o.onSynced);
  }

  private writeBaseSync(ks: Keyspace, name: string): void {
    const chunks: Buffer[] = [];
    const enc = (this.o.preamble() ? this.o.rdbEncoder : this.o.aofEncoder)((c) => chunks.push(c), ks.size, ks.expires.size);
    for (const [k, v] of ks.data) enc.entry(k, v, ks.expires.get(k));
    enc.finish();
    const file = path.join(this.dirPath, name);
    const fd = fs.openSync(file, 'w');
    try {
      for (const c of chunks) fs.writeSync(fd, c);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.baseSize = fs.statSync(file).size;
  }

  private baseName(seq: number): string {
    return `${this.o.filename}.${seq}.base.${this.o.preamble() ? 'rdb' : 'aof'}`;
  }

  private incrName(seq: number): string {
    return `${this.o.filename}.${seq}.incr.aof`;
  }

  feed(argv: readonly string[]): void {
    this.writer?.feed(argv);
  }

  flush(): FlushResult {
    return this.writer === null ? 'ok' : this.writer.flush();
  }

  get writeError(): string | null {
    return this.writer?.lastWriteError ?? null;
  }

  get rewriting(): boolean {
    return this.rewriteJob !== null;
  }

  /** everysec syncs, write retries, and scheduled or automatic rewrites (one snapshot at a time). */
  cron(ks: Keyspace, pct: number, minSize: number, otherSnapshotRunning: boolean): void {
    this.writer?.maybeBackgroundSync();
    if (this.writer?.lastWriteError) this.writer.flush();
    if (this.rewriteJob !== null || otherSnapshotRunning) return;
    const size = this.currentSize();
    if (this.rewriteScheduled || (pct > 0 && size > minSize && this.baseSize > 0 && ((size - this.baseSize) * 100) / this.baseSize >= pct)) {
      if (!this.rewriteScheduled) this.o.log.notice(`Starting automatic rewriting of AOF on ${Math.round(((size - this.baseSize) * 100) / this.baseSize)}% growth`);
      this.rewriteScheduled = false;
      this.startRewrite(ks);
    }
  }

  /** Base plus live incr files, kept from the writes themselves (no stat per cron tick). */
  currentSize(): number {
    return this.baseSize + this.closedIncrBytes + (this.writer?.size ?? 0);
  }

  /**
   * Switches appends to a new incr file and snapshots the dataset into a new base in the
   * same event-loop turn, so base + new incr is exactly the dataset from then on. Until the
   * base is complete the manifest lists old base, old incrs and the new incr.
   */
  startRewrite(ks: Keyspace): void {
    if (this.rewriteJob !== null) return;
    if (this.writer === null) {
      // BGREWRITEAOF with appendonly no, as Redis 7 does it: the dataset becomes a new base
      // and the manifest then names that base alone (nothing is appended, so no incr file).
      this.enableAtRuntime(ks, false);
      return;
    }
    this.writer.syncNow();
    this.writer.close();
    this.closedIncrBytes += this.writer.size;
    this.beginRewrite(ks, true);
  }

  /**
   * CONFIG SET appendonly yes: whatever is in the directory is stale, so the first base is
   * written in the background and the manifest only names the new files once it is done.
   */
  enableAtRuntime(ks: Keyspace, withIncr = true): void {
    fs.mkdirSync(this.dirPath, { recursive: true });
    try {
      const where = path.join(this.dirPath, this.manifest);
      this.files = this.exists() ? parseManifest(fs.readFileSync(where, 'latin1'), where) : [];
    } catch {
      this.files = [];
    }
    this.beginRewrite(ks, false, withIncr);
  }

  /**
   * `live`: the current files stay in the manifest until the new base is done (a running
   * AOF); otherwise the manifest only changes then. `withIncr`: appends go to a new incr file.
   */
  private beginRewrite(ks: Keyspace, filesAreLive: boolean, withIncr = true): void {
    const incrSeq = Math.max(0, ...this.files.filter((f) => f.type === 'i').map((f) => f.seq)) + 1;
    const baseSeq = Math.max(0, ...this.files.filter((f) => f.type === 'b').map((f) => f.seq)) + 1;
    const newIncr: AofFile | null = withIncr ? { name: this.incrName(incrSeq), seq: incrSeq, type: 'i' } : null;
    if (newIncr !== null) {
      fs.closeSync(fs.openSync(path.join(this.dirPath, newIncr.name), 'a'));
      if (filesAreLive) {
        const during = [...this.files.filter((f) => f.type !== 'h'), newIncr];
        writeManifest(this.dirPath, this.manifest, during);
        this.files = during;
      } else {
        this.files = [...this.files, newIncr];
      }
      this.writer = this.openWriter(newIncr.name);
    }
    const base: AofFile = { name: this.baseName(baseSeq), seq: baseSeq, type: 'b' };
    const enc = this.o.preamble() ? this.o.rdbEncoder : this.o.aofEncoder;
    const started = Date.now();
    this.rewriteJob = new BackgroundSave(ks, this.dirPath, base.name, enc, this.o.strategy(), (out) => this.rewriteDone(out, base, newIncr, started));
    this.o.onRewriteStart(this.rewriteJob.startPauseUsec);
    this.o.log.notice(`Background append only file rewriting started`);
  }

  private rewriteDone(out: SaveOutcome, base: AofFile, incr: AofFile | null, started: number): void {
    this.rewriteJob = null;
    this.lastRewriteTimeSec = Math.round((Date.now() - started) / 1000);
    this.lastCowSize = out.cowBytes;
    if (!out.ok) {
      this.lastRewriteStatus = 'err';
      this.o.log.warning(`Background AOF rewrite failed: ${out.error}`);
      return;
    }
    const old = this.files.filter((f) => f !== incr);
    this.files = incr === null ? [base] : [base, incr];
    this.closedIncrBytes = 0;
    writeManifest(this.dirPath, this.manifest, this.files);
    for (const f of old) if (f.name !== base.name) fs.rmSync(path.join(this.dirPath, f.name), { force: true });
    this.baseSize = out.bytes;
    this.rewrites++;
    this.lastRewriteStatus = 'ok';
    this.o.log.notice(`Background AOF rewrite finished successfully (${out.keys} keys, ${out.bytes} bytes)`);
  }

  info(): Record<string, string | number> {
    return {
      aof_rewrite_in_progress: this.rewriteJob ? 1 : 0,
      aof_rewrite_scheduled: this.rewriteScheduled ? 1 : 0,
      aof_last_rewrite_time_sec: this.lastRewriteTimeSec,
      aof_current_rewrite_time_sec: this.rewriteJob ? Math.round((Date.now() - this.rewriteJob.startedAt) / 1000) : -1,
      aof_last_bgrewrite_status: this.lastRewriteStatus,
      aof_rewrites: this.rewrites,
      aof_last_write_status: this.writeError ? 'err' : 'ok',
      aof_last_cow_size: this.lastCowSize,
      aof_current_size: this.writer ? this.currentSize() : 0,
      aof_base_size: this.baseSize,
      aof_buffer_length: this.writer?.pendingBytes ?? 0,
      aof_delayed_fsync: this.writer?.delayedFsync ?? 0,
    };
  }

  /** Shutdown: everything written and fsynced. */
  closeForShutdown(): void {
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
