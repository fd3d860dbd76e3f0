import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Databases } from '../../../src/server/databases.js';
import { Keyspace, List } from '../../../src/server/keyspace.js';
import { BackgroundSave, type EncoderFactory, type SaveOutcome } from '../../../src/server/persistence/background-save.js';
import { defaultAux, loadRdbInto, RdbEncoder } from '../../../src/server/persistence/rdb/index.js';

// With the save's pool, as the server's: a batch is reused once written, and the file must say so nowhere.
const rdb: EncoderFactory = (sink, pool) => {
  const e = new RdbEncoder(sink, { pool });
  e.header(defaultAux());
  return { db: (id, keys, expires) => e.selectDb(id, keys, expires), entry: (k, v, x) => e.entry(k, v, x), stored: (t, n) => e.stored(t, n), finish: () => e.footer() };
};

/** The Databases a test's database 0 belongs to. */
const owners = new WeakMap<Keyspace, Databases>();
function newDb0(): Keyspace {
  const dbs = new Databases();
  const ks = dbs.get(0);
  owners.set(ks, dbs);
  return ks;
}
const dbsOf = (ks: Keyspace): Databases => owners.get(ks)!;

const dirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bgsave-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function save(ks: Keyspace | Databases, dir: string, during: () => void = () => {}): Promise<SaveOutcome> {
  return new Promise((resolve) => {
    new BackgroundSave(ks instanceof Databases ? ks : dbsOf(ks), dir, 'dump.rdb', rdb, 'cow', resolve);
    during();
  });
}

describe('BackgroundSave', () => {
  it('writes exactly the dataset of the start instant, off the event loop, and reports its longest stall', async () => {
    const ks = newDb0();
    for (let i = 0; i < 20_000; i++) ks.set(`k${i}`, `value-${i}-${'r'.repeat(i % 50)}`);
    ks.set('list', new List(['a', 'b']));
    const dir = tmpDir();
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    const out = await save(ks, dir, () => {
      ks.set('k0', 'changed');
      ks.delete('k1');
      ks.set('new', 'x');
    });
    clearInterval(ticker);
    expect(out.ok).toBe(true);
    expect(out.keys).toBe(20_001);
    expect(out.maxStallUsec).toBeGreaterThanOrEqual(0);
    expect(turns).toBeGreaterThan(0); // the loop ran while saving
    const loaded = new Keyspace();
    loadRdbInto(fs.readFileSync(path.join(dir, 'dump.rdb')), loaded);
    expect(loaded.size).toBe(20_001);
    expect(loaded.get('k0')).toBe('value-0-');
    expect(loaded.get('k1')).toBe('value-1-r');
    expect(loaded.get('new')).toBeUndefined();
    expect((loaded.get('list') as List).items).toEqual(['a', 'b']);
    expect(fs.readdirSync(dir)).toEqual(['dump.rdb']); // no temp file left
  });

  it('abort leaves no temp file and the old target untouched', async () => {
    const ks = newDb0();
    for (let i = 0; i < 50_000; i++) ks.set(`k${i}`, 'v'.repeat(100));
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'dump.rdb'), 'old');
    let done = false;
    const job = new BackgroundSave(dbsOf(ks), dir, 'dump.rdb', rdb, 'cow', () => (done = true));
    await new Promise((r) => setTimeout(r, 5));
    job.abort();
    expect(ks.beforeWrite).toBeNull(); // copy-on-write hook released
    await new Promise((r) => setTimeout(r, 200));
    expect(done).toBe(false);
    expect(fs.readdirSync(dir)).toEqual(['dump.rdb']);
    expect(fs.readFileSync(path.join(dir, 'dump.rdb'), 'latin1')).toBe('old');
  });

  it('a write error fails the save and removes the temp file', async () => {
    const ks = newDb0();
    ks.set('a', 'b');
    const dir = tmpDir();
    const out = await new Promise<SaveOutcome>((resolve) => new BackgroundSave(dbsOf(ks), path.join(dir, 'missing'), 'dump.rdb', rdb, 'cow', resolve));
    expect(out.ok).toBe(false);
    expect(out.error).toMatch(/ENOENT/);
  });
});

// A write may take fewer bytes than asked (a file system with a page left): the save must
// write the rest or fail, never rename a file with bytes missing over the old one.
describe('BackgroundSave and short writes', () => {
  it('writes the rest of what a writev took only part of', async () => {
    const dir = tmpDir();
    const ks = newDb0();
    for (let i = 0; i < 100; i++) ks.set(`k${i}`, `v${i}`.repeat(20));
    const real = fs.writev.bind(fs) as (fd: number, bufs: Buffer[], cb: (err: Error | null, n: number) => void) => void;
    let shortened = false;
    vi.spyOn(fs, 'writev').mockImplementation(((fd: number, bufs: Buffer[], cb: (err: Error | null, n: number) => void) => {
      if (shortened) return real(fd, bufs, cb);
      shortened = true;
      // the first writev takes 7 bytes only, once
      return real(fd, [Buffer.concat(bufs).subarray(0, 7)], cb);
    }) as unknown as typeof fs.writev);
    const out = await save(ks, dir);
    expect(shortened).toBe(true);
    expect(out.ok).toBe(true);
    const back = new Keyspace();
    loadRdbInto(fs.readFileSync(path.join(dir, 'dump.rdb')), back);
    expect(back.size).toBe(100);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('temp-'))).toEqual([]);
  });
});
