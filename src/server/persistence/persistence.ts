import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '../commands/command.js';
import { parseSavePoints, type SavePoint } from '../config.js';
import type { Server } from '../server.js';
import { AofBaseEncoder } from './aof/base-aof.js';
import { Aof } from './aof/aof.js';
import type { FlushResult } from './aof/writer.js';
import { BackgroundSave, type EncoderFactory, type SaveOutcome, type SnapshotStrategy } from './background-save.js';
import { defaultAux, encodeKeyspace, loadRdbIntoAsync, RdbEncoder, writeFileAtomic } from './rdb/index.js';

const BGSAVE_RETRY_SEC = 5;
const MISCONF =
  "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.\r\n";

/**
 * The server's persistence, as Redis orders it: load at start (AOF when appendonly yes,
 * else the RDB), save points and background saves, the AOF fed after each write and
 * flushed before replies, rewrites, MISCONF when persisting fails, and a final save or
 * fsync at shutdown. Commands never import this: the server calls propagate().
 */
export class Persistence {
  aof: Aof | null = null;
  private bgsaveJob: BackgroundSave | null = null;
  private bgsaveScheduled = false;
  lastSaveSec = Math.floor(Date.now() / 1000);
  private lastBgsaveStatus: 'ok' | 'err' = 'ok';
  private lastBgsaveTimeSec = -1;
  private lastBgsaveTry = 0;
  private rdbSaves = 0;
  private lastCowSize = 0;
  latestForkUsec = 0;
  totalForks = 0;
  private savePoints: SavePoint[];

  constructor(private readonly server: Server) {
    this.savePoints = parseSavePoints(server.config.get('save'));
    if (server.config.yes('appendonly')) this.aof = this.makeAof();
  }

  private get cfg() {
    return this.server.config;
  }

  private get ks() {
    return this.server.ks;
  }

  private rdbEncoder(extra: Record<string, string> = {}): EncoderFactory {
    return (sink, keys, expires) => {
      const e = new RdbEncoder(sink);
      e.header(defaultAux(extra));
      e.selectDb(0, keys, expires);
      return { entry: (k, v, x) => e.entry(k, v, x), finish: () => e.footer() };
    };
  }

  private makeAof(): Aof {
    return new Aof({
      dir: this.cfg.get('dir'),
      dirname: this.cfg.get('appenddirname'),
      filename: this.cfg.get('appendfilename'),
      policy: () => this.cfg.get('appendfsync') as 'always' | 'everysec' | 'no',
      preamble: () => this.cfg.yes('aof-use-rdb-preamble'),
      loadTruncated: () => this.cfg.yes('aof-load-truncated'),
      strategy: () => this.strategy(),
      rdbEncoder: this.rdbEncoder({ 'aof-base': '1' }),
      aofEncoder: (sink) => new AofBaseEncoder(sink),
      log: this.server.log,
      onSynced: () => this.server.retryFlush(),
      onRewriteStart: (usec) => this.rewriteStarted(usec),
    });
  }

  private strategy(): SnapshotStrategy {
    return this.cfg.get('snapshot-strategy') as SnapshotStrategy;
  }

  private rdbPath(): string {
    return path.join(this.cfg.get('dir'), this.cfg.get('dbfilename'));
  }

  get aofOn(): boolean {
    return this.aof !== null;
  }

  /** Loads the dataset at start. Errors (AofError, RdbError) are fatal to the caller. */
  async load(): Promise<void> {
    const t0 = performance.now();
    const ks = this.ks;
    ks.expireOnRead = false;
    try {
      if (this.aof !== null) {
        if (this.aof.exists()) {
          const loader: Client = { id: -1, name: '', resp: 2, authenticated: true, libName: '', libVer: '', scanKeys: null, closeAfterReply: false };
          const n = await this.aof.load(ks, (argv) => void this.server.replay(argv, loader));
          this.server.log.notice(`DB loaded from append only file: ${((performance.now() - t0) / 1000).toFixed(3)} seconds (${n} commands)`);
        }
        this.aof.open(ks);
      } else if (fs.existsSync(this.rdbPath())) {
        const buf = fs.readFileSync(this.rdbPath());
        // Yields between steps: clients get -LOADING meanwhile instead of nothing.
        const st = await loadRdbIntoAsync(buf, ks);
        this.server.log.notice(`DB loaded from disk: ${((performance.now() - t0) / 1000).toFixed(3)} seconds (${st.loaded} keys)`);
      }
    } finally {
      ks.expireOnRead = true;
      ks.dirty = 0;
    }
  }

  propagate(argv: readonly string[]): void {
    this.aof?.feed(argv);
  }

  flush(): FlushResult {
    if (this.aof === null) return 'ok';
    const r = this.aof.flush();
    if (r === 'failed' && this.cfg.get('appendfsync') === 'always') {
      // As Redis: with `always` a failed write or fsync cannot be recovered from safely.
      this.server.log.warning(`Can't recover from AOF write error when the AOF fsync policy is 'always' (${this.aof.writeError}). Exiting...`);
      process.exit(1);
    }
    return r;
  }

  /** The error a write command gets instead of running, or null. */
  writeRefusal(): string | null {
    if (this.lastBgsaveStatus === 'err' && this.savePoints.length > 0 && this.cfg.yes('stop-writes-on-bgsave-error')) return MISCONF;
    const aofErr = this.aof?.writeError;
    if (aofErr) return `-MISCONF Errors writing to the AOF file: ${aofErr}\r\n`;
    return null;
  }

  cron(): void {
    const ks = this.ks;
    if (this.aof !== null) this.aof.cron(ks, this.cfg.num('auto-aof-rewrite-percentage'), this.cfg.num('auto-aof-rewrite-min-size'));
    if (this.bgsaveJob !== null || this.aof?.rewriting) return;
    if (this.bgsaveScheduled) {
      this.bgsaveScheduled = false;
      this.startBgsave();
      return;
    }
    // Redis's rule (serverCron), in whole seconds: strictly more than `seconds` since the
    // last successful save, and after a failure not again before the retry delay.
    const nowSec = Math.floor(Date.now() / 1000);
    const retryOk = this.lastBgsaveStatus === 'ok' || nowSec - Math.floor(this.lastBgsaveTry / 1000) > BGSAVE_RETRY_SEC;
    for (const sp of this.savePoints) {
      if (ks.dirty >= sp.changes && nowSec - this.lastSaveSec > sp.seconds && retryOk) {
        this.server.log.notice(`${sp.changes} changes in ${sp.seconds} seconds. Saving...`);
        this.startBgsave();
        return;
      }
    }
  }

  save(): string {
    if (this.bgsaveJob !== null) return '-ERR Background save already in progress\r\n';
    return this.saveSync() ? '+OK\r\n' : '-ERR\r\n';
  }

  private saveSync(): boolean {
    try {
      const t0 = performance.now();
      writeFileAtomic(this.cfg.get('dir'), this.cfg.get('dbfilename'), encodeKeyspace(this.ks, defaultAux()));
      this.saved();
      this.server.log.notice(`DB saved on disk (${((performance.now() - t0) / 1000).toFixed(3)} s)`);
      return true;
    } catch (e) {
      this.lastBgsaveStatus = 'err';
      this.server.log.warning(`Failed saving the DB: ${(e as Error).message}`);
      return false;
    }
  }

  private saved(): void {
    this.ks.dirty = 0;
    this.lastSaveSec = Math.floor(Date.now() / 1000);
    this.lastBgsaveStatus = 'ok';
    this.rdbSaves++;
  }

  bgsave(schedule: boolean): string {
    if (this.bgsaveJob !== null) return '-ERR Background save already in progress\r\n';
    if (this.aof?.rewriting) {
      if (!schedule) return "-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.\r\n";
      this.bgsaveScheduled = true;
      return '+Background saving scheduled\r\n';
    }
    const err = this.startBgsave();
    return err === null ? '+Background saving started\r\n' : `-ERR ${err}\r\n`;
  }

  private startBgsave(): string | null {
    this.lastBgsaveTry = Date.now();
    const dirtyAtStart = this.ks.dirty;
    try {
      this.bgsaveJob = new BackgroundSave(this.ks, this.cfg.get('dir'), this.cfg.get('dbfilename'), this.rdbEncoder(), this.strategy(), (o) =>
        this.bgsaveDone(o, dirtyAtStart),
      );
    } catch (e) {
      this.lastBgsaveStatus = 'err';
      return (e as Error).message;
    }
    this.latestForkUsec = this.bgsaveJob.startPauseUsec;
    this.totalForks++;
    this.server.log.notice(`Background saving started (snapshot start ${this.latestForkUsec} us)`);
    return null;
  }

  private bgsaveDone(o: SaveOutcome, dirtyAtStart: number): void {
    this.bgsaveJob = null;
    this.lastBgsaveTimeSec = Math.round(o.durationMs / 1000);
    this.lastCowSize = o.cowBytes;
    if (!o.ok) {
      this.lastBgsaveStatus = 'err';
      this.server.log.warning(`Background saving error: ${o.error}`);
      return;
    }
    this.ks.dirty = Math.max(0, this.ks.dirty - dirtyAtStart);
    this.lastSaveSec = Math.floor(Date.now() / 1000);
    this.lastBgsaveStatus = 'ok';
    this.rdbSaves++;
    this.server.log.notice(`Background saving terminated with success (${o.keys} keys, ${o.bytes} bytes, cow ${o.cowBytes} B)`);
  }

  /** Called by the AOF when it starts a rewrite (BGREWRITEAOF or automatic). */
  private rewriteStarted(pauseUsec: number): void {
    this.latestForkUsec = pauseUsec;
    this.totalForks++;
  }

  bgrewriteaof(): string {
    if (this.aof === null) return '-ERR Background AOF rewrite needs appendonly yes\r\n';
    if (this.aof.rewriting) return '-ERR Background append only file rewriting already in progress\r\n';
    if (this.bgsaveJob !== null) {
      this.aof.rewriteScheduled = true;
      return '+Background append only file rewriting scheduled\r\n';
    }
    this.aof.startRewrite(this.ks);
    return '+Background append only file rewriting started\r\n';
  }

  configChanged(name: string, before: string): void {
    if (name === 'save') this.savePoints = parseSavePoints(this.cfg.get('save'));
    if (name === 'appendonly' && before !== this.cfg.get('appendonly')) {
      if (this.cfg.yes('appendonly')) {
        if (this.bgsaveJob !== null) this.bgsaveJob.abort();
        this.bgsaveJob = null;
        this.aof = this.makeAof();
        this.aof.enableAtRuntime(this.ks);
      } else {
        this.aof?.close();
        this.aof = null;
      }
    }
  }

  infoPersistence(): Record<string, string | number> {
    const job = this.bgsaveJob;
    return {
      async_loading: 0,
      rdb_changes_since_last_save: this.ks.dirty,
      rdb_bgsave_in_progress: job ? 1 : 0,
      rdb_last_save_time: this.lastSaveSec,
      rdb_last_bgsave_status: this.lastBgsaveStatus,
      rdb_last_bgsave_time_sec: this.lastBgsaveTimeSec,
      rdb_current_bgsave_time_sec: job ? Math.round((Date.now() - job.startedAt) / 1000) : -1,
      rdb_saves: this.rdbSaves,
      rdb_last_cow_size: this.lastCowSize,
      aof_enabled: this.aof ? 1 : 0,
      ...(this.aof?.info() ?? {
        aof_rewrite_in_progress: 0,
        aof_rewrite_scheduled: 0,
        aof_last_rewrite_time_sec: -1,
        aof_current_rewrite_time_sec: -1,
        aof_last_bgrewrite_status: 'ok',
        aof_rewrites: 0,
        aof_last_write_status: 'ok',
        aof_last_cow_size: 0,
      }),
    };
  }

  /** Before exit: finish the AOF, save when asked or when save points are set. */
  prepareShutdown(requested: 'save' | 'nosave' | 'default'): string | null {
    // As Redis: shutting down while loading never saves (it would save a partial dataset).
    const mode = this.server.loading ? 'nosave' : requested;
    this.bgsaveJob?.abort();
    this.bgsaveJob = null;
    try {
      this.aof?.closeForShutdown();
    } catch (e) {
      this.server.log.warning(`Error flushing the AOF at shutdown: ${(e as Error).message}`);
      if (mode !== 'nosave') return 'ERR Errors trying to SHUTDOWN. Check logs.';
    }
    const wantSave = mode === 'save' || (mode === 'default' && this.savePoints.length > 0);
    if (wantSave) {
      this.server.log.notice('Saving the final RDB snapshot before exiting.');
      if (!this.saveSync()) return 'ERR Errors trying to SHUTDOWN. Check logs.';
    }
    return null;
  }

  close(): void {
    this.bgsaveJob?.abort();
    this.aof?.close();
  }
}
