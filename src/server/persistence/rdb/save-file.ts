/**
 * Crash-safe file replacement, as rdbSave does it: write `temp-<pid>.rdb` in the target
 * directory, fsync it, rename it over the target, fsync the directory. A crash at any point
 * leaves either the old file or the complete new one, never a torn file.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Redis's temp file name for a save by this process. */
export function tempFileName(): string {
  return `temp-${process.pid}.rdb`;
}

/** fsync a directory so a rename in it is durable (no-op where directories can't be opened). */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    // Some filesystems refuse fsync on directories; that is not a failed save.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a file chunk by chunk into a temp file; commit() makes it the target atomically,
 * abort() removes the temp file. Synchronous calls: the caller spreads writes over turns.
 */
export class AtomicFileWriter {
  readonly target: string;
  readonly tempPath: string;
  private fd: number | null;
  private bytes = 0;

  constructor(
    readonly dir: string,
    readonly filename: string,
    tempName: string = tempFileName(),
  ) {
    this.target = path.join(dir, filename);
    this.tempPath = path.join(dir, tempName);
    this.fd = fs.openSync(this.tempPath, 'w', 0o644);
  }

  /** Bytes written so far. */
  get size(): number {
    return this.bytes;
  }

  write(buf: Uint8Array): void {
    if (this.fd === null) throw new Error(`AtomicFileWriter for ${this.target} is closed`);
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off);
    this.bytes += buf.length;
  }

  /** fsync, close, rename over the target, fsync the directory. */
  commit(): void {
    if (this.fd === null) throw new Error(`AtomicFileWriter for ${this.target} is closed`);
    const fd = this.fd;
    try {
      fs.fsyncSync(fd);
    } catch (e) {
      this.abort();
      throw e;
    }
    this.fd = null;
    fs.closeSync(fd);
    try {
      fs.renameSync(this.tempPath, this.target);
    } catch (e) {
      this.unlinkTemp();
      throw e;
    }
    fsyncDir(this.dir);
  }

  /** Closes and removes the temp file; the target is untouched. Safe to call twice. */
  abort(): void {
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      try {
        fs.closeSync(fd);
      } catch {
        /* already unusable */
      }
    }
    this.unlinkTemp();
  }

  private unlinkTemp(): void {
    try {
      fs.unlinkSync(this.tempPath);
    } catch {
      /* gone already */
    }
  }
}

/** Writes data to dir/filename atomically and durably (see AtomicFileWriter). */
export function writeFileAtomic(
  dir: string,
  filename: string,
  data: Uint8Array | Iterable<Uint8Array>,
  tempName?: string,
): void {
  const w = new AtomicFileWriter(dir, filename, tempName);
  try {
    if (data instanceof Uint8Array) w.write(data);
    else for (const chunk of data) w.write(chunk);
  } catch (e) {
    w.abort();
    throw e;
  }
  w.commit();
}
