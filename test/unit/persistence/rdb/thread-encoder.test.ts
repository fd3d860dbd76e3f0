import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Databases } from '../../../../src/server/databases.js';
import { Keyspace, List } from '../../../../src/server/keyspace.js';
import { BackgroundSave, type EncoderFactory, type SaveOutcome } from '../../../../src/server/persistence/background-save.js';
import { loadRdbInto, RdbEncoder } from '../../../../src/server/persistence/rdb/index.js';
import { encodeThread, ThreadRdbEncoder } from '../../../../src/server/persistence/rdb/thread-encoder.js';

// Runs the compiled thread module (dist/): `npm test` builds first.
const aux = { 'redis-ver': '7.0.15', 'redis-bits': '64' };
const onMain: EncoderFactory = (sink, pool) => {
  const e = new RdbEncoder(sink, { pool });
  e.header(aux);
  return { db: (id, keys, expires) => e.selectDb(id, keys, expires), stored: (t, n) => e.stored(t, n), finish: () => e.footer() };
};
const onThread: EncoderFactory = (sink, pool, events) => new ThreadRdbEncoder(sink, pool!, events!, { compress: true, aux });

const dirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'thread-encoder-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function save(dbs: Databases, dir: string, make: EncoderFactory, during: (job: BackgroundSave) => void = () => {}): Promise<SaveOutcome> {
  return new Promise((resolve) => during(new BackgroundSave(dbs, dir, 'dump.rdb', make, 'cow', resolve)));
}

async function threadReady(): Promise<void> {
  const t = encodeThread();
  while (!t.ready) await new Promise((r) => setTimeout(r, 5));
}

/** Every kind of string the encodings tell apart, TTLs, collections, two databases. */
function dataset(): Databases {
  const dbs = new Databases();
  const ks = dbs.get(0);
  const rnd = crypto.randomBytes(100 * 3000);
  for (let i = 0; i < 3000; i++) ks.set(`key:${i}`, rnd.toString('latin1', i * 100, i * 100 + 100));
  for (const v of ['', '0', '12345', '-7', '2147483648', '007', 'x'.repeat(21), 'ab'.repeat(300)]) ks.set(`s:${JSON.stringify(v)}`, v);
  ks.set('big-compressible', 'z'.repeat(200_000));
  ks.set('big-random', crypto.randomBytes(150_000).toString('latin1'));
  ks.set('ttl', 'soon');
  ks.setExpire('ttl', Date.now() + 3_600_000);
  ks.set('list', new List(['a', 'b', 'c'.repeat(70)]));
  dbs.get(3).set('other', 'db');
  return dbs;
}

describe('ThreadRdbEncoder', () => {
  it('writes the same file, byte for byte, as encoding on the main thread', async () => {
    const dbs = dataset();
    const [a, b] = [tmpDir(), tmpDir()];
    expect((await save(dbs, a, onMain)).ok).toBe(true);
    const out = await save(dbs, b, onThread);
    expect(out).toMatchObject({ ok: true, keys: dbs.get(0).size + 1 });
    const [fa, fb] = [fs.readFileSync(path.join(a, 'dump.rdb')), fs.readFileSync(path.join(b, 'dump.rdb'))];
    expect(fb.length).toBe(out.bytes);
    expect(fb.equals(fa)).toBe(true);
    expect(fs.readdirSync(b)).toEqual(['dump.rdb']);
  });

  it('saves the dataset of the start instant while writes go on', async () => {
    const dbs = new Databases();
    const ks = dbs.get(0);
    for (let i = 0; i < 30_000; i++) ks.set(`k${i}`, `value-${i}`);
    const out = await save(dbs, tmpDir(), onThread, () => {
      ks.set('k0', 'changed');
      ks.delete('k1');
      ks.set('new', 'x');
    });
    expect(out.ok).toBe(true);
    const back = new Keyspace();
    loadRdbInto(fs.readFileSync(path.join(dirs.at(-1)!, 'dump.rdb')), back);
    expect(back.size).toBe(30_000);
    expect([back.get('k0'), back.get('k1'), back.get('new')]).toEqual(['value-0', 'value-1', undefined]);
  });

  it('reads the table on its thread while writes hit every part of it: the file holds the start instant', async () => {
    await threadReady();
    const dbs = new Databases();
    const ks = dbs.get(0);
    const rnd = crypto.randomBytes(40 * 60_000);
    const N = 60_000;
    for (let i = 0; i < N; i++) {
      ks.set(`k${i}`, rnd.toString('latin1', i * 40, i * 40 + 40));
      if (i % 97 === 0) ks.set(`l${i}`, new List([`a${i}`, `b${i}`]));
      if (i % 13 === 0) ks.setExpire(`k${i}`, Date.now() + 3_600_000 + i);
    }
    for (let i = 5; i < N; i += 211) ks.delete(`k${i}`); // free entries below the mark
    // The reference: the same dataset saved on the main thread before any write.
    const [a, b] = [tmpDir(), tmpDir()];
    expect((await save(dbs, a, onMain)).ok).toBe(true);
    let writes = 0;
    const out = await save(dbs, b, onThread, (job) => {
      // Writes between the save's steps, all over the table: ahead of the thread, in the
      // ranges it holds (the write takes the entry back), behind it; overwrites, deletes, TTLs,
      // lists, new keys.
      const write = () => {
        if (!job.inProgress) return;
        for (let j = 0; j < 40; j++, writes++) {
          const i = (writes * 7919) % N;
          if (j % 5 === 0) ks.delete(`k${i}`);
          else if (j % 5 === 1) ks.set(`new${writes}`, 'fresh');
          else if (j % 5 === 2) ks.setExpire(`k${i}`, Date.now() + 1000);
          else if (j % 5 === 3 && ks.get(`l${i - (i % 97)}`) instanceof List) ks.mutate(`l${i - (i % 97)}`, ks.get(`l${i - (i % 97)}`) as List).items.push('x');
          else ks.set(`k${i}`, 'overwritten');
        }
        setImmediate(write);
      };
      setImmediate(write);
    });
    expect(out.ok).toBe(true);
    expect(writes).toBeGreaterThan(1000);
    const [fa, fb] = [fs.readFileSync(path.join(a, 'dump.rdb')), fs.readFileSync(path.join(b, 'dump.rdb'))];
    // Same keys and values; the order differs only where copy-on-write kept a value (emitted last).
    const [back, ref] = [new Keyspace(), new Keyspace()];
    loadRdbInto(fa, ref);
    loadRdbInto(fb, back);
    expect(back.size).toBe(ref.size);
    for (const [k, v] of ref.data.entries()) {
      expect(back.get(k), k).toEqual(v);
      expect(back.getExpire(k), k).toBe(ref.getExpire(k));
    }
    expect(out.keys).toBe(ref.size);
  });

  it('a save begun while its thread starts stages its first keys, then hands the thread ranges', async () => {
    await encodeThread().terminate();
    const dbs = new Databases();
    const ks = dbs.get(0);
    for (let i = 0; i < 300_000; i++) ks.set(`k${i}`, `value-${i}`);
    let enc: ThreadRdbEncoder | null = null;
    const make: EncoderFactory = (sink, pool, events) => (enc = new ThreadRdbEncoder(sink, pool!, events!, { compress: true, aux }));
    expect(encodeThread().ready).toBe(false);
    const out = await save(dbs, tmpDir(), make, () => {
      ks.set('k0', 'changed');
      ks.set('k299999', 'changed');
    });
    expect(out).toMatchObject({ ok: true, keys: 300_000 });
    // some keys went as ranges: the thread came up during the save
    expect(enc!.keysRead).toBeGreaterThan(0);
    expect(enc!.keysRead).toBeLessThan(300_000);
    const back = new Keyspace();
    loadRdbInto(fs.readFileSync(path.join(dirs.at(-1)!, 'dump.rdb')), back);
    expect(back.size).toBe(300_000);
    expect([back.get('k0'), back.get('k299999'), back.get('k123456')]).toEqual(['value-0', 'value-299999', 'value-123456']);
  });

  it('an aborted save leaves no temp file, and the thread serves the next save', async () => {
    const dbs = dataset();
    const dir = tmpDir();
    let done = false;
    const job = new BackgroundSave(dbs, dir, 'dump.rdb', onThread, 'cow', () => (done = true));
    await new Promise((r) => setTimeout(r, 2));
    job.abort();
    await new Promise((r) => setTimeout(r, 100));
    expect(done).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect((await save(dbs, dir, onThread)).ok).toBe(true);
  });

  it('a thread that dies fails its save with the reason, and the next save starts a new one', async () => {
    const dbs = dataset();
    const dir = tmpDir();
    // the save's first step (queued by its constructor) has handed the thread work by then
    const out = await save(dbs, dir, onThread, () => setImmediate(() => void encodeThread().terminate()));
    expect(out.ok).toBe(false);
    expect(out.error).toBe('the RDB encoding thread failed: it was stopped');
    expect(fs.readdirSync(dir)).toEqual([]);
    expect((await save(dbs, dir, onThread)).ok).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['dump.rdb']);
  });
});
