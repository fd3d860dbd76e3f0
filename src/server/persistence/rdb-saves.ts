import type { Config } from '../config.js';
import { parseSavePoints, type SavePoint } from '../config-options.js';
import type { Databases } from '../databases.js';
import type { Logger } from '../log.js';
import { BackgroundSave, type EncoderFactory, type SaveOutcome, type SnapshotStrategy } from './background-save.js';
import { defaultAux, encodeKeyspace, writeFileAtomic } from './rdb/index.js';

const BGSAVE_RETRY_SEC = 5;
export const MISCONF =
  "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.\r\n";

export interface RdbSavesHost {
  dbs: Databases;
  config: Config;
  log: Logger;
  rdbEncoder: EncoderFactory;
  strategy(): SnapshotStrategy;
  /** A snapshot started: its start pause in µs (latest_fork_usec, total_forks). */
  onSnapshotStart(pauseUsec: number): void;
}

/**
 * dump.rdb: SAVE, BGSAVE (copy-on-write, one at a time), save points as Redis's serverCron
 * applies them, and the status behind LASTSAVE, MISCONF and INFO's rdb_* fields.
 */
export class RdbSaves {
  private job: BackgroundSave | null = null;
  private scheduled = false;
  lastSaveSec = Math.floor(Date.now() / 1000);
  private status: 'ok' | 'err' = 'ok';
  private lastTimeSec = -1;
  private lastTry = 0;
  private saves = 0;
  private lastCowSize = 0;
  private lastMaxStallUsec = 0;
  private savePoints: SavePoint[];

  constructor(private readonly h: RdbSavesHost) {
    this.savePoints = parseSavePoints(h.config.get('save'));
  }

  get inProgress(): boolean {
    return this.job !== null;
  }

  get hasSavePoints(): boolean {
    return this.savePoints.length > 0;
  }

  savePointsChanged(): void {
    this.savePoints = parseSavePoints(this.h.config.get('save'));
  }

  /** MISCONF after a failed save, when save points are set (stop-writes-on-bgsave-error). */
  writeRefusal(): string | null {
    return this.status === 'err' && this.hasSavePoints && this.h.config.yes('stop-writes-on-bgsave-error') ? MISCONF : null;
  }

  /** Save points, in Redis's rule: ≥ changes, strictly more than `seconds` (whole seconds) since the last save, retry delay after a failure. */
  cron(otherSnapshotRunning: boolean): void {
    if (this.job !== null || otherSnapshotRunning) return;
    if (this.scheduled) {
      this.scheduled = false;
      this.start();
      return;
    }
    const nowSec = Math.floor(Date.now() / 1000);
    const retryOk = this.status === 'ok' || nowSec - Math.floor(this.lastTry / 1000) > BGSAVE_RETRY_SEC;
    for (const sp of this.savePoints) {
      if (this.h.dbs.dirty >= sp.changes && nowSec - this.lastSaveSec > sp.seconds && retryOk) {
        this.h.log.notice(`${sp.changes} changes in ${sp.seconds} seconds. Saving...`);
        this.start();
        return;
      }
    }
  }

  save(): string {
    if (this.job !== null) return '-ERR Background save already in progress\r\n';
    return this.saveSync(true) ? '+OK\r\n' : '-ERR\r\n';
  }

  /** A blocking save (SAVE, shutdown, FLUSHALL); only SAVE counts in rdb_saves, as saveCommand does. */
  saveSync(counted: boolean): boolean {
    const cfg = this.h.config;
    try {
      const t0 = performance.now();
      writeFileAtomic(cfg.get('dir'), cfg.get('dbfilename'), encodeKeyspace(this.h.dbs, defaultAux()));
      this.h.dbs.dirty = 0;
      this.succeeded();
      if (counted) this.saves++;
      this.h.log.notice(`DB saved on disk (${((performance.now() - t0) / 1000).toFixed(3)} s)`);
      return true;
    } catch (e) {
      this.status = 'err';
      this.h.log.warning(`Failed saving the DB: ${(e as Error).message}`);
      return false;
    }
  }

  bgsave(schedule: boolean, otherSnapshotRunning: boolean): string {
    if (this.job !== null) return '-ERR Background save already in progress\r\n';
    if (otherSnapshotRunning) {
      if (!schedule) return "-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.\r\n";
      this.scheduled = true;
      return '+Background saving scheduled\r\n';
    }
    const err = this.start();
    return err === null ? '+Background saving started\r\n' : `-ERR ${err}\r\n`;
  }

  private start(): string | null {
    const cfg = this.h.config;
    this.lastTry = Date.now();
    const dirtyAtStart = this.h.dbs.dirty;
    try {
      this.job = new BackgroundSave(this.h.dbs, cfg.get('dir'), cfg.get('dbfilename'), this.h.rdbEncoder, this.h.strategy(), (o) => this.done(o, dirtyAtStart));
    } catch (e) {
      this.status = 'err';
      return (e as Error).message;
    }
    this.h.onSnapshotStart(this.job.startPauseUsec);
    this.h.log.notice(`Background saving started (snapshot start ${this.job.startPauseUsec} us)`);
    return null;
  }

  private done(o: SaveOutcome, dirtyAtStart: number): void {
    this.job = null;
    this.lastTimeSec = Math.round(o.durationMs / 1000);
    this.lastCowSize = o.cowBytes;
    this.lastMaxStallUsec = o.maxStallUsec;
    if (!o.ok) {
      this.status = 'err';
      this.h.log.warning(`Background saving error: ${o.error}`);
      return;
    }
    this.h.dbs.dirty = Math.max(0, this.h.dbs.dirty - dirtyAtStart);
    this.succeeded();
    this.saves++;
    this.h.log.notice(`Background saving terminated with success (${o.keys} keys, ${o.bytes} bytes, cow ${o.cowBytes} B)`);
  }

  private succeeded(): void {
    this.lastSaveSec = Math.floor(Date.now() / 1000);
    this.status = 'ok';
  }

  abort(): void {
    this.job?.abort();
    this.job = null;
  }

  info(dirty: number): Record<string, string | number> {
    const job = this.job;
    return {
      rdb_changes_since_last_save: dirty,
      rdb_bgsave_in_progress: job ? 1 : 0,
      rdb_last_save_time: this.lastSaveSec,
      rdb_last_bgsave_status: this.status,
      rdb_last_bgsave_time_sec: this.lastTimeSec,
      rdb_current_bgsave_time_sec: job ? Math.round((Date.now() - job.startedAt) / 1000) : -1,
      rdb_saves: this.saves,
      rdb_last_cow_size: this.lastCowSize,
      rdb_last_bgsave_max_stall_usec: this.lastMaxStallUsec,
    };
  }
}
