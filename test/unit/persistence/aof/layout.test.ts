import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Databases } from '../../../../src/server/databases.js';
import { Keyspace } from '../../../../src/server/keyspace.js';
import { AofBaseEncoder } from '../../../../src/server/persistence/aof/base-aof.js';
import { AofLayout } from '../../../../src/server/persistence/aof/layout.js';
import { type AofFile, parseManifest } from '../../../../src/server/persistence/aof/manifest.js';
import type { EncoderFactory } from '../../../../src/server/persistence/background-save.js';
import { defaultAux, loadRdbInto, RdbEncoder } from '../../../../src/server/persistence/rdb/index.js';

const rdbEncoder: EncoderFactory = (sink) => {
  const e = new RdbEncoder(sink);
  e.header(defaultAux({ 'aof-base': '1' }));
  return { db: (id, keys, expires) => e.selectDb(id, keys, expires), entry: (k, v, x) => e.entry(k, v, x), stored: (t, n) => e.stored(t, n), finish: () => e.footer() };
};
const aofEncoder: EncoderFactory = (sink) => new AofBaseEncoder(sink);

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-layout-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(root, { recursive: true, force: true });
});

function layout(preamble = true, dir = root) {
  return new AofLayout({ dir, dirname: 'appendonlydir', filename: 'appendonly.aof', preamble: () => preamble, rdbEncoder, aofEncoder });
}
const aofDir = () => path.join(root, 'appendonlydir');
const manifestText = () => fs.readFileSync(path.join(aofDir(), 'appendonly.aof.manifest'), 'latin1');
const ls = () => fs.readdirSync(aofDir()).sort();

describe('AofLayout', () => {
  it('createIfMissing: the directory, base 1 with the dataset, an empty incr 1, and a manifest naming both', () => {
    const dbs = new Databases();
    const ks = dbs.get(0);
    ks.set('k', 'v');
    const l = layout(true);
    expect(l.exists()).toBe(false);
    const made = l.createIfMissing(dbs);
    expect(fs.statSync(aofDir()).isDirectory()).toBe(true);
    expect(made).toEqual({ name: 'appendonly.aof.1.base.rdb', bytes: fs.statSync(path.join(aofDir(), 'appendonly.aof.1.base.rdb')).size });
    expect(manifestText()).toBe('file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(ls()).toEqual(['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
    expect(fs.statSync(path.join(aofDir(), 'appendonly.aof.1.incr.aof')).size).toBe(0);
    const back = new Keyspace();
    loadRdbInto(fs.readFileSync(path.join(aofDir(), 'appendonly.aof.1.base.rdb')), back);
    expect(back.get('k')).toBe('v');
    expect(l.exists()).toBe(true);
    expect(l.createIfMissing(dbs)).toBeNull(); // a second start keeps what is there
  });

  it('names the base .aof without the RDB preamble, and the dataset is commands', () => {
    const dbs = new Databases();
    const ks = dbs.get(0);
    ks.set('k', 'v');
    expect(layout(false).createIfMissing(dbs)?.name).toBe('appendonly.aof.1.base.aof');
    expect(fs.readFileSync(path.join(aofDir(), 'appendonly.aof.1.base.aof'), 'latin1')).toContain('$1\r\nk\r\n$1\r\nv\r\n');
  });

  it('fsyncs the parent after creating the directory (a new name lives in its parent)', () => {
    const events: string[] = [];
    const fds = new Map<number, string>();
    const mkdir = fs.mkdirSync;
    const open = fs.openSync;
    const fsync = fs.fsyncSync;
    vi.spyOn(fs, 'mkdirSync').mockImplementation(((p: fs.PathLike, o?: fs.MakeDirectoryOptions) => {
      events.push(`mkdir ${String(p)}`);
      return mkdir(p, o);
    }) as typeof fs.mkdirSync);
    vi.spyOn(fs, 'openSync').mockImplementation(((p: fs.PathLike, ...rest: [never]) => {
      const fd = open(p, ...rest);
      fds.set(fd, String(p));
      return fd;
    }) as typeof fs.openSync);
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      events.push(`fsync ${fds.get(fd as number)}`);
      fsync(fd);
    });
    layout().createIfMissing(new Databases());
    const made = events.indexOf(`mkdir ${aofDir()}`);
    expect(made).toBeGreaterThanOrEqual(0);
    expect(events.indexOf(`fsync ${root}`)).toBeGreaterThan(made);
    expect(events).toContain(`fsync ${aofDir()}`); // the manifest's rename
  });

  it('does not fsync the parent when the directory was there', () => {
    fs.mkdirSync(aofDir());
    const fsyncDirs: string[] = [];
    const open = fs.openSync;
    vi.spyOn(fs, 'openSync').mockImplementation(((p: fs.PathLike, ...rest: [never]) => {
      if (String(p) === root) fsyncDirs.push(String(p));
      return open(p, ...rest);
    }) as typeof fs.openSync);
    layout().createIfMissing(new Databases());
    expect(fsyncDirs).toEqual([]);
  });

  it('a rewrite: a live new incr, the next base, then commit (on the thread pool) removes the old files', async () => {
    const l = layout();
    l.createIfMissing(new Databases());
    expect(l.currentIncr()).toEqual({ name: 'appendonly.aof.1.incr.aof', seq: 1, type: 'i' });
    const before = manifestText();
    const added = new Promise<[Error | null, AofFile]>((r) => l.addLiveIncr((err, incr) => r([err, incr])));
    // the manifest is written on the thread pool: until then it stands as it was
    expect(manifestText()).toBe(before);
    const [addErr, incr2] = await added;
    expect(addErr).toBeNull();
    expect(incr2).toEqual({ name: 'appendonly.aof.2.incr.aof', seq: 2, type: 'i' });
    expect(l.files).toContain(incr2);
    expect(parseManifest(manifestText(), 'm').map((f) => f.name)).toEqual(['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.2.incr.aof']);
    const base2 = l.nextBase();
    expect(base2).toEqual({ name: 'appendonly.aof.2.base.rdb', seq: 2, type: 'b' });
    fs.writeFileSync(path.join(aofDir(), base2.name), 'REDIS');
    const done = new Promise<Error | null>((r) => l.commit(base2, incr2, r));
    // Until the commit is done the old manifest stands, naming every file a load needs.
    expect(parseManifest(manifestText(), 'm').map((f) => f.name)).toContain('appendonly.aof.1.base.rdb');
    expect(await done).toBeNull();
    expect(manifestText()).toBe('file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    expect(ls()).toEqual(['appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    expect(l.currentIncr()).toBe(incr2);
  });

  // redis-server 7.0 opens a rewrite's incr file without O_APPEND: after a short write and its
  // ftruncate, the next write lands past the end and leaves a hole of zeros (README, disk-full).
  it("a rewrite's incr file is opened for appending: after a partial write is cut off, the next write goes at the end", async () => {
    const l = layout();
    l.createIfMissing(new Databases());
    const [, incr2] = await new Promise<[Error | null, AofFile]>((r) => l.addLiveIncr((err, incr) => r([err, incr])));
    const fd = l.openAppend(incr2.name);
    try {
      fs.writeSync(fd, '*1\r\n$4\r\nPING\r\n');
      fs.writeSync(fd, '*3\r\n$3\r\nSE'); // a short write ...
      fs.ftruncateSync(fd, 14); // ... cut off, as the writer does
      fs.writeSync(fd, '*1\r\n$4\r\nPING\r\n');
    } finally {
      fs.closeSync(fd);
    }
    expect(fs.readFileSync(path.join(aofDir(), incr2.name), 'latin1')).toBe('*1\r\n$4\r\nPING\r\n'.repeat(2));
  });

  it('a live incr whose manifest cannot be written: the error, the manifest and files as they were', async () => {
    const l = layout();
    l.createIfMissing(new Databases());
    const before = [...l.files];
    const dir = aofDir();
    fs.mkdirSync(path.join(dir, 'temp-appendonly.aof.manifest')); // the temp manifest cannot be opened for writing
    const [err, incr] = await new Promise<[Error | null, AofFile]>((r) => l.addLiveIncr((e, f) => r([e, f])));
    expect(err?.message).toMatch(/EISDIR/);
    expect(parseManifest(manifestText(), 'm').map((f) => f.name)).not.toContain(incr.name);
    expect(l.files).toEqual(before);
  });

  it('a commit that cannot write the manifest says so and leaves the files as they were', async () => {
    const l = layout();
    l.createIfMissing(new Databases());
    const incr2 = await new Promise<AofFile>((r) => l.addLiveIncr((_e, f) => r(f)));
    const before = [...l.files];
    fs.rmSync(aofDir(), { recursive: true });
    const err = await new Promise<Error | null>((r) => l.commit(l.nextBase(), incr2, r));
    expect(err?.message).toMatch(/ENOENT/);
    expect(l.files).toEqual(before);
  });

  it('an incr added while no incr is live is only in files until the base commits', () => {
    const l = layout();
    l.createIfMissing(new Databases());
    const incr2 = l.addIncr();
    expect(l.files).toContain(incr2);
    expect(manifestText()).not.toContain(incr2.name);
  });

  it('readIfAny: an unreadable manifest reads as none; read() throws it', () => {
    fs.mkdirSync(aofDir());
    fs.writeFileSync(path.join(aofDir(), 'appendonly.aof.manifest'), 'file x seq 1 type q\n');
    const l = layout();
    l.readIfAny();
    expect(l.files).toEqual([]);
    expect(() => l.read()).toThrow(/Invalid AOF manifest file format/);
  });

  it('currentIncr lists incr 1 when the manifest names a base alone', () => {
    fs.mkdirSync(aofDir());
    fs.writeFileSync(path.join(aofDir(), 'appendonly.aof.manifest'), 'file appendonly.aof.3.base.rdb seq 3 type b\n');
    const l = layout();
    l.read();
    expect(l.currentIncr().name).toBe('appendonly.aof.1.incr.aof');
    expect(manifestText()).toBe('file appendonly.aof.3.base.rdb seq 3 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  });
});
