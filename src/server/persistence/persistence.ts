import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '../commands/command.js';
import type { Config } from '../config.js';
import type { Databases } from '../databases.js';
import type { Logger } from '../log.js';
import { AofBaseEncoder } from './aof/base-aof.js';
import { Aof } from './aof/aof.js';
import type { FlushResult } from './aof/writer.js';
import type { SnapshotStrategy } from './background-save.js';
import { loadRdbFileAsync } from './rdb/index.js';
import { RdbSaves } from './rdb-saves.js';
import { encodesOnThread, rdbEncoderFactory } from './rdb-encoder-choice.js';
import { IdleWarmUp } from './snapshot-warm-up.js';

/** What persistence needs from the server, passed as one object (no import of the Server). */
export interface PersistenceDeps {
  dbs: Databases;
  config: Config;
  log: Logger;
  /** Runs a command read from the AOF (no reply, no propagation). */
  replay(argv: string[], client: Client): void;
  /** True while the dataset loads (a shutdown then never saves). */
  loading(): boolean;
  /** An everysec fsync completed: replies held behind it may go. */
  retryFlush(): void;
  /** Commands run since start (total_commands_processed): idle while it does not move. */
  commandsProcessed(): number;
}

/**
 * The server's persistence, as Redis orders it: load at start (AOF when appendonly yes,
 * else the RDB), save points and background saves, the AOF fed after each write and
 * flushed before replies, rewrites, MISCONF when persisting fails, and a final save or
 * fsync at shutdown. Commands never import this: the server calls propagate().
 */
export class Persistence {
  aof: Aof | null = null;
  /** With appendonly no: what BGREWRITEAOF uses (it writes a base file alone, as Redis 7). */
  private baseOnly: Aof | null = null;
  readonly rdb: RdbSaves;
  latestForkUsec = 0;
  totalForks = 0;
  /** The snapshot path run once while idle (snapshot-warm-up.ts). */
  private readonly warmUp: IdleWarmUp;

  constructor(private readonly server: PersistenceDeps) {
    const rdbEncoder = rdbEncoderFactory(server.config);
    this.rdb = new RdbSaves({
      dbs: server.dbs,
      config: server.config,
      log: server.log,
      rdbEncoder,
      strategy: () => this.strategy(),
      onSnapshotStart: (usec) => this.snapshotStarted(usec),
    });
    if (server.config.yes('appendonly')) this.aof = this.makeAof();
    this.warmUp = new IdleWarmUp({
      commandsProcessed: () => server.commandsProcessed(),
      mayRun: () => !server.loading() && !this.snapshotting && this.cfg.yes('snapshot-warm-up'),
      // The saves' own encoder, so it starts the encoding thread too, even on a server
      // with no save points: a first BGSAVE that started the thread cold held clients 8-11 ms
      // at p99 (1M keys, 20k SET/s) against 2.5-3.2 ms on the main thread. The thread's
      // isolate holds ~15 MB RSS from then on.
      makeEncoder: () => rdbEncoder,
      warning: (msg) => server.log.warning(msg),
    });
  }

  get lastSaveSec(): number {
    return this.rdb.lastSaveSec;
  }

  private get cfg() {
    return this.server.config;
  }

  private get dbs() {
    return this.server.dbs;
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
      rdbEncoder: rdbEncoderFactory(this.cfg, { 'aof-base': '1' }),
      aofEncoder: (sink) => new AofBaseEncoder(sink),
      log: this.server.log,
      onSynced: () => this.server.retryFlush(),
      onRewriteStart: (usec) => this.snapshotStarted(usec),
    });
  }

  private strategy(): SnapshotStrategy {
    return this.cfg.get('snapshot-strategy') as SnapshotStrategy;
  }

  private rdbPath(): string {
    return path.join(this.cfg.get('dir'), this.cfg.get('dbfilename'));
  }

  /** The AOF, or the appendonly-no rewriter when BGREWRITEAOF has been used without one. */
  private get rewriter(): Aof | null {
    return this.aof ?? this.baseOnly;
  }

  get aofOn(): boolean {
    return this.aof !== null;
  }

  /**
   * Loads the dataset at start. Errors (AofError, RdbError) are fatal to the caller. As in
   * redis-server 7.0, the commands replayed from an AOF count as changes since the last save
   * (rdb_changes_since_last_save, save points); an RDB load counts none.
   */
  async load(): Promise<void> {
    const t0 = performance.now();
    const dbs = this.dbs;
    dbs.expireOnRead = false;
    try {
      if (this.aof !== null) {
        if (this.aof.exists()) {
          const loader: Client = { id: -1, name: '', resp: 2, db: 0, authenticated: true, libName: '', libVer: '', closeAfterReply: false };
          const n = await this.aof.load(
            dbs,
            (argv) => this.server.replay(argv, loader),
            () => (loader.db = 0),
          );
          this.server.log.notice(`DB loaded from append only file: ${((performance.now() - t0) / 1000).toFixed(3)} seconds (${n} commands)`);
        }
        this.aof.open(dbs);
      } else if (fs.existsSync(this.rdbPath())) {
        // Yields between steps: clients get -LOADING meanwhile instead of nothing.
        const st = await loadRdbFileAsync(this.rdbPath(), dbs);
        this.server.log.notice(`DB loaded from disk: ${((performance.now() - t0) / 1000).toFixed(3)} seconds (${st.loaded} keys)`);
        dbs.dirty = 0;
      }
    } finally {
      dbs.expireOnRead = true;
    }
  }

  propagate(argv: readonly string[], db: number): void {
    this.aof?.feed(argv, db);
  }

  /**
   * After FLUSHALL, as flushAllDataAndResetRDB: a background save in progress stops (its file
   * would bring the flushed keys back), and with save points the empty dataset is saved now.
   * An AOF rewrite goes on: FLUSHALL follows its snapshot in the new incr file. Redis 7.0
   * does this for a FLUSHALL replayed from the AOF too: the RDB file becomes the empty
   * dataset mid-load, and the changes since the last save count from there.
   */
  flushedAll(): void {
    this.rdb.abort();
    if (this.rdb.hasSavePoints) this.rdb.saveSync(false);
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
    const rdbErr = this.rdb.writeRefusal();
    if (rdbErr !== null) return rdbErr;
    const aofErr = this.aof?.writeError;
    if (aofErr) return `-MISCONF Errors writing to the AOF file: ${aofErr}\r\n`;
    return null;
  }

  cron(): void {
    if (this.aof !== null) this.aof.cron(this.dbs, this.cfg.num('auto-aof-rewrite-percentage'), this.cfg.num('auto-aof-rewrite-min-size'), this.rdb.inProgress);
    else this.baseOnly?.cron(this.dbs, 0, 0, this.rdb.inProgress); // scheduled rewrites only
    this.rdb.cron(this.rewriter?.rewriting ?? false);
    this.warmUp.tick();
  }

  /** A BGSAVE or an AOF rewrite is running. */
  get snapshotting(): boolean {
    return this.rdb.inProgress || (this.rewriter?.rewriting ?? false);
  }

  save(): string {
    return this.rdb.save();
  }

  /**
   * Set by dispatch while EXEC runs its queue: a snapshot started there would hold the
   * transaction's first commands and not the rest (and a rewrite's base would hold writes its
   * new incr file repeats), so BGSAVE and BGREWRITEAOF are scheduled instead, as Redis does.
   */
  inExec = false;

  bgsave(schedule: boolean): string {
    return this.rdb.bgsave(schedule || this.inExec, this.inExec || (this.rewriter?.rewriting ?? false));
  }

  /** A BGSAVE or an AOF rewrite (BGREWRITEAOF or automatic) took its snapshot. */
  private snapshotStarted(pauseUsec: number): void {
    this.latestForkUsec = pauseUsec;
    this.totalForks++;
  }

  bgrewriteaof(): string {
    const aof = this.rewriter ?? (this.baseOnly = this.makeAof());
    if (aof.rewriting) return '-ERR Background append only file rewriting already in progress\r\n';
    if (this.rdb.inProgress || this.inExec) {
      aof.rewriteScheduled = true;
      return '+Background append only file rewriting scheduled\r\n';
    }
    aof.startRewrite(this.dbs);
    return '+Background append only file rewriting started\r\n';
  }

  configChanged(name: string, before: string): void {
    if (name === 'save') this.rdb.savePointsChanged();
    if (name === 'appendonly' && before !== this.cfg.get('appendonly')) {
      this.baseOnly?.close();
      this.baseOnly = null;
      if (this.cfg.yes('appendonly')) {
        this.rdb.abort();
        this.aof = this.makeAof();
        this.aof.enableAtRuntime(this.dbs);
      } else {
        this.aof?.close();
        this.aof = null;
      }
    }
  }

  infoPersistence(): Record<string, string | number> {
    return {
      async_loading: 0,
      ...this.rdb.info(this.dbs.dirty),
      // durabench's own: where a copy-on-write RDB save started now encodes (snapshot-encoder resolved)
      rdb_snapshot_encoder: encodesOnThread(this.cfg) ? 'thread' : 'main',
      // durabench's own: whether the snapshot path has been warmed up while idle (snapshot-warm-up)
      rdb_snapshot_warm_up: this.warmUp.done ? 'done' : this.cfg.yes('snapshot-warm-up') ? 'pending' : 'off',
      aof_enabled: this.aof ? 1 : 0,
      ...(this.aof?.info() ?? this.aofOffInfo()),
    };
  }

  /** The AOF fields Redis shows with appendonly no (BGREWRITEAOF still counts there). */
  private aofOffInfo(): Record<string, string | number> {
    const off: Record<string, string | number> = {
      aof_rewrite_in_progress: 0,
      aof_rewrite_scheduled: 0,
      aof_last_rewrite_time_sec: -1,
      aof_current_rewrite_time_sec: -1,
      aof_last_bgrewrite_status: 'ok',
      aof_rewrites: 0,
      aof_last_write_status: 'ok',
      aof_last_cow_size: 0,
      aof_last_rewrite_max_stall_usec: 0,
    };
    const live = this.baseOnly?.info();
    if (live) for (const k of Object.keys(off)) off[k] = live[k]!;
    return off;
  }

  /** Before exit: finish the AOF, save when asked or when save points are set. */
  prepareShutdown(requested: 'save' | 'nosave' | 'default'): string | null {
    // As Redis: shutting down while loading never saves (it would save a partial dataset).
    const mode = this.server.loading() ? 'nosave' : requested;
    this.rdb.abort();
    this.baseOnly?.close();
    try {
      this.aof?.closeForShutdown();
    } catch (e) {
      this.server.log.warning(`Error flushing the AOF at shutdown: ${(e as Error).message}`);
      if (mode !== 'nosave') return 'ERR Errors trying to SHUTDOWN. Check logs.';
    }
    const wantSave = mode === 'save' || (mode === 'default' && this.rdb.hasSavePoints);
    if (wantSave) {
      this.server.log.notice('Saving the final RDB snapshot before exiting.');
      if (!this.rdb.saveSync(false)) return 'ERR Errors trying to SHUTDOWN. Check logs.';
    }
    return null;
  }

  close(): void {
    this.rdb.abort();
    this.baseOnly?.close();
    this.aof?.close();
  }
}
