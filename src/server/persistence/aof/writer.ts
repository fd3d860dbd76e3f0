import fs from 'node:fs';
import { CommandLog } from './command-log.js';

export type FsyncPolicy = 'always' | 'everysec' | 'no';

/** strerror() wording for the errors a write or fsync gives, as Redis puts it in -MISCONF. */
const STRERROR: Record<string, string> = {
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
  EFBIG: 'File too large',
  EIO: 'Input/output error',
  EROFS: 'Read-only file system',
  EBADF: 'Bad file descriptor',
};

/** An fs error as strerror() words it (Node's text is "ENOSPC: no space left on device, write"). */
export function ioErrorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code !== undefined && STRERROR[code]) || (e as Error).message;
}

/** A short write is taken for a full disk, as Redis does (its errno is set to ENOSPC). */
class ShortWrite extends Error {
  override name = 'ShortWrite';
  readonly code = 'ENOSPC';
}
export type FlushResult = 'ok' | 'wait' | 'failed';

/**
 * Appends commands to the current incr file. feed() buffers; flush() is called once per
 * event-loop turn before replies leave: write() always, fdatasync() too with `always`
 * (one fsync covers every command of the turn). `everysec` syncs in the background about
 * once a second; once a pending sync is 2 s old, flush() answers 'wait' and replies are
 * held until it completes (counted in aof_delayed_fsync).
 */
export class AofWriter {
  private readonly log = new CommandLog();
  /** The database of the last command fed (-1: none yet). */
  private selectedDb = -1;
  private fsyncInFlightSince = 0;
  private lastFsync = Date.now();
  private unsynced = false;
  private closed = false;
  delayedFsync = 0;
  lastWriteError: string | null = null;
  /** Bytes in the current incr file. */
  size: number;

  constructor(
    private fd: number,
    private readonly policy: () => FsyncPolicy,
    private readonly onSynced: () => void,
  ) {
    this.size = fs.fstatSync(fd).size;
  }

  /**
   * A command that ran in database `db`. A SELECT goes first whenever the database differs
   * from the last one written (feedAppendOnlyFile): a new writer, i.e. a new incr file or a
   * restarted server, starts at none, so every file says where its first command goes.
   */
  feed(argv: readonly string[], db: number): void {
    if (db !== this.selectedDb) {
      this.log.append(['SELECT', String(db)]);
      this.selectedDb = db;
    }
    this.log.append(argv);
  }

  get pendingBytes(): number {
    return this.log.length;
  }

  flush(): FlushResult {
    if (this.log.length === 0) return this.lastWriteError === null ? 'ok' : 'failed';
    const policy = this.policy();
    if (policy === 'everysec' && this.fsyncInFlightSince > 0 && Date.now() - this.fsyncInFlightSince >= 2000) {
      this.delayedFsync++;
      return 'wait';
    }
    const bytes = this.log.length;
    try {
      const n = fs.writeSync(this.fd, this.log.bytes());
      if (n !== bytes) throw new ShortWrite(`short write (${n} of ${bytes} bytes)`);
      if (policy === 'always') fs.fdatasyncSync(this.fd);
    } catch (e) {
      // Remove a partial command so the file stays loadable; keep the buffer to retry.
      try {
        fs.ftruncateSync(this.fd, this.size);
      } catch {
        /* the retry will find out */
      }
      this.lastWriteError = ioErrorText(e);
      return 'failed';
    }
    this.size += bytes;
    this.log.clear();
    this.lastWriteError = null;
    this.unsynced = policy !== 'always';
    if (policy === 'everysec') this.maybeBackgroundSync();
    return 'ok';
  }

  /**
   * everysec: start an fdatasync on the thread pool when the last one is ≥ 1 s old. Only
   * everysec: under `no` redis-server never fsyncs the AOF outside rewrites and shutdown, and
   * neither may we (the cron calls this every tick whatever the policy; a power-loss trace
   * caught it syncing `no` once a second, which made `no` look as safe as everysec).
   */
  maybeBackgroundSync(): void {
    if (this.policy() !== 'everysec') return;
    if (this.closed || !this.unsynced || this.fsyncInFlightSince > 0 || Date.now() - this.lastFsync < 1000) return;
    this.fsyncInFlightSince = Date.now();
    this.unsynced = false;
    const fd = this.fd;
    fs.fdatasync(fd, (err) => {
      this.fsyncInFlightSince = 0;
      this.lastFsync = Date.now();
      if (err) {
        this.unsynced = true;
        this.lastWriteError = ioErrorText(err);
      }
      this.onSynced();
    });
  }

  /** Synchronously writes and fsyncs everything (shutdown, rewrite switch-over). */
  syncNow(): void {
    if (this.log.length > 0) {
      const data = this.log.bytes();
      fs.writeSync(this.fd, data);
      this.size += data.length;
      this.log.clear();
    }
    fs.fsyncSync(this.fd);
    this.unsynced = false;
    this.lastFsync = Date.now();
  }

  /**
   * Rewrite switch-over: what is buffered is written now (the reply order needs it in this
   * file), then the fsync and the close run on the thread pool. An fsync on the event loop
   * here (there were two: syncNow and close) waits for all the file has not written back
   * yet, and every client waits with it at the start of each rewrite. Under `always` the
   * buffered commands' replies leave this turn, after the new file's fsync only: they are
   * synced here (every earlier turn was, so this is one turn's bytes).
   */
  retire(): void {
    if (this.closed) return;
    if (this.log.length > 0) {
      const data = this.log.bytes();
      fs.writeSync(this.fd, data);
      this.size += data.length;
      this.log.clear();
      if (this.policy() === 'always') fs.fdatasyncSync(this.fd);
    }
    this.closed = true;
    const fd = this.fd;
    const inFlight = this.fsyncInFlightSince > 0;
    fs.fsync(fd, () => {
      if (inFlight) setTimeout(() => fs.close(fd, () => {}), 5000);
      else fs.close(fd, () => {});
    });
  }

  /** Closes the file after an fsync (the fd must not be closed under an in-flight sync). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const fd = this.fd;
    try {
      fs.fsyncSync(fd);
    } catch {
      /* closing anyway */
    }
    if (this.fsyncInFlightSince > 0) setTimeout(() => fs.close(fd, () => {}), 5000);
    else fs.closeSync(fd);
  }
}
