/**
 * The multi-part AOF directory on disk: file naming, the manifest's list of files and every
 * change to it, and base files written synchronously. Aof decides when; this does the disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir } from '../rdb/save-file.js';
import type { Databases } from '../../databases.js';
import type { EncoderFactory } from '../background-save.js';
import { type AofFile, manifestName, parseManifest, writeManifest, writeManifestAsync } from './manifest.js';

/** What the directory layout needs from AofOptions. */
export interface AofLayoutOptions {
  dir: string;
  dirname: string;
  filename: string;
  preamble: () => boolean;
  rdbEncoder: EncoderFactory;
  aofEncoder: EncoderFactory;
}

/**
 * `<dir>/<appenddirname>/` as Redis 7 lays it out: a manifest naming one base file
 * (`<appendfilename>.<seq>.base.rdb|aof`) and incr files (`<appendfilename>.<seq>.incr.aof`).
 */
export class AofLayout {
  readonly dirPath: string;
  private readonly manifest: string;
  /** The manifest's files; while a first base is written, also the new incr it doesn't list yet. */
  files: AofFile[] = [];

  constructor(private readonly o: AofLayoutOptions) {
    this.dirPath = path.join(o.dir, o.dirname);
    this.manifest = manifestName(o.filename);
  }

  exists(): boolean {
    return fs.existsSync(path.join(this.dirPath, this.manifest));
  }

  /**
   * Creates the directory durably: a new directory's name lives in its parent, so the parent
   * is fsynced too, or a power cut can take the whole AOF with it however often its files
   * were synced (redis-server 7.0 does not do this; a power-loss trace shows the difference).
   */
  private makeDir(): void {
    if (fs.existsSync(this.dirPath)) return;
    fs.mkdirSync(this.dirPath, { recursive: true });
    fsyncDir(path.dirname(this.dirPath));
  }

  /** Reads the manifest into `files`. Throws AofError when it is malformed. */
  read(): void {
    const where = path.join(this.dirPath, this.manifest);
    this.files = parseManifest(fs.readFileSync(where, 'latin1'), where);
  }

  /** Creates the directory; `files` are the manifest's, or none when it is missing or unreadable. */
  readIfAny(): void {
    this.makeDir();
    try {
      if (this.exists()) this.read();
      else this.files = [];
    } catch {
      this.files = [];
    }
  }

  /**
   * Startup: creates the directory and, when there is no manifest, base 1 from the dataset
   * plus an empty incr 1. Returns the base written then (name, size), or null.
   */
  createIfMissing(dbs: Databases): { name: string; bytes: number } | null {
    this.makeDir();
    if (this.exists()) return null;
    const base = this.baseName(1);
    const bytes = this.writeBaseSync(dbs, base);
    this.files = [{ name: base, seq: 1, type: 'b' }, { name: this.incrName(1), seq: 1, type: 'i' }];
    fs.closeSync(fs.openSync(path.join(this.dirPath, this.incrName(1)), 'a'));
    writeManifest(this.dirPath, this.manifest, this.files);
    return { name: base, bytes };
  }

  /** The incr file appends go to: the last one listed (incr 1 is listed when there is none). */
  currentIncr(): AofFile {
    let incr = this.files.filter((f) => f.type === 'i').at(-1);
    if (incr === undefined) {
      incr = { name: this.incrName(1), seq: 1, type: 'i' };
      this.files.push(incr);
      writeManifest(this.dirPath, this.manifest, this.files);
    }
    return incr;
  }

  /** Bytes of the listed incr files other than `current` (stat once, at open). */
  incrBytesExcept(current: AofFile): number {
    return this.files
      .filter((f) => f.type === 'i' && f !== current)
      .reduce((n, f) => n + fs.statSync(path.join(this.dirPath, f.name)).size, 0);
  }

  /** Opens a file of the directory for appending; returns its fd. */
  openAppend(name: string): number {
    return fs.openSync(path.join(this.dirPath, name), 'a');
  }

  /**
   * Creates the next incr file for a rewrite of an AOF that is not live (CONFIG SET
   * appendonly yes): only `files` lists it, until the new base is done.
   */
  addIncr(): AofFile {
    const incr = this.createNextIncr();
    this.files = [...this.files, incr];
    return incr;
  }

  /**
   * A running AOF's next incr file: the manifest lists it next to the current files, written
   * on the thread pool. On ext4 the manifest's fsync commits the journal, which first writes
   * back the data the AOF has dirty: 180 ms on the event loop at 1M keys with appendfsync no
   * (strace), the longest stall clients saw in a rewrite. `done` gets the file once the new
   * manifest is durable (and `files` lists it). On an error the empty file stays: the error
   * may come after the rename (the directory's fsync), and a manifest naming a missing file
   * would refuse to load.
   */
  addLiveIncr(done: (err: Error | null, incr: AofFile) => void): void {
    const incr = this.createNextIncr();
    const during = [...this.files.filter((f) => f.type !== 'h'), incr];
    writeManifestAsync(this.dirPath, this.manifest, during, (err) => {
      if (err) return done(err, incr);
      this.files = during;
      done(null, incr);
    });
  }

  private createNextIncr(): AofFile {
    const seq = Math.max(0, ...this.files.filter((f) => f.type === 'i').map((f) => f.seq)) + 1;
    const incr: AofFile = { name: this.incrName(seq), seq, type: 'i' };
    fs.closeSync(fs.openSync(path.join(this.dirPath, incr.name), 'a'));
    return incr;
  }

  /** The base a rewrite writes next (its file is written by the caller's BackgroundSave). */
  nextBase(): AofFile {
    const seq = Math.max(0, ...this.files.filter((f) => f.type === 'b').map((f) => f.seq)) + 1;
    return { name: this.baseName(seq), seq, type: 'b' };
  }

  /**
   * A rewrite's base is complete: the manifest names it (and `incr`) alone; then the old
   * files go. All on the thread pool: at 1M keys the old base is ~100 MB, and unlinking it
   * or fsyncing the manifest behind the AOF's dirty pages held the event loop. Until `done`
   * the old manifest stands, which names the old base and every incr since: a crash
   * meanwhile loads the same dataset. `files` changes only once the new manifest is durable.
   */
  commit(base: AofFile, incr: AofFile | null, done: (err: Error | null) => void): void {
    const old = this.files.filter((f) => f !== incr);
    const files = incr === null ? [base] : [base, incr];
    writeManifestAsync(this.dirPath, this.manifest, files, (err) => {
      if (err) return done(err);
      this.files = files;
      const gone = old.filter((f) => f.name !== base.name);
      let left = gone.length;
      if (left === 0) return done(null);
      // A file that will not go is left behind, as redis-server leaves it (it is no longer listed).
      for (const f of gone) fs.rm(path.join(this.dirPath, f.name), { force: true }, () => --left === 0 && done(null));
    });
  }

  /** RDB-preamble base or AOF-commands base, as aof-use-rdb-preamble says now. */
  baseEncoder(): EncoderFactory {
    return this.o.preamble() ? this.o.rdbEncoder : this.o.aofEncoder;
  }

  /** Writes the dataset as base `name` and fsyncs it; returns its size. */
  private writeBaseSync(dbs: Databases, name: string): number {
    const chunks: Buffer[] = [];
    const enc = this.baseEncoder()((c) => chunks.push(c));
    for (const ks of dbs.made()) {
      if (ks.size === 0) continue;
      enc.db(ks.id, ks.size, ks.expiresCount);
      for (const e of ks.data.entryNumbers()) enc.stored(ks.data, e);
    }
    enc.finish();
    const file = path.join(this.dirPath, name);
    const fd = fs.openSync(file, 'w');
    try {
      for (const c of chunks) fs.writeSync(fd, c);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return fs.statSync(file).size;
  }

  private baseName(seq: number): string {
    return `${this.o.filename}.${seq}.base.${this.o.preamble() ? 'rdb' : 'aof'}`;
  }

  private incrName(seq: number): string {
    return `${this.o.filename}.${seq}.incr.aof`;
  }
}
