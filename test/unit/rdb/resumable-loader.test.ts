import { describe, expect, it } from 'vitest';
import { Keyspace, type Value } from '../../../src/server/keyspace.js';
import { loadRdb, RdbLoader } from '../../../src/server/persistence/rdb/decoder.js';
import type { RdbLoadStats } from '../../../src/server/persistence/rdb/load-types.js';
import { encodeKeyspace, loadRdbInto, loadRdbIntoAsync } from '../../../src/server/persistence/rdb/index.js';
import { RdbError } from '../../../src/server/persistence/rdb/rdb-error.js';
import { rdbFile, rdbRecord, rdbString } from './blobs.js';
import { keyspaceEntries, plainEntries, sampleKeyspace } from './fixtures.js';

type Entry = [string, Value, number | undefined];

/** Steps a loader with the given budget until done; returns the entries and the step count. */
function stepAll(buf: Buffer, maxKeys: number): { entries: Entry[]; steps: number; stats: RdbLoadStats } {
  const entries: Entry[] = [];
  const loader = new RdbLoader(buf, (k, v, e) => entries.push([k, v, e]));
  let steps = 1;
  while (!loader.step(maxKeys)) steps++;
  expect(loader.done).toBe(true);
  expect(loader.step(maxKeys)).toBe(true); // done stays done, reads nothing more
  return { entries, steps, stats: loader.stats };
}

function manyKeys(n: number, value = (i: number) => `value-${i}`): Keyspace {
  const ks = new Keyspace();
  for (let i = 0; i < n; i++) ks.load(`key:${i}`, value(i), i % 3 === 0 ? 4102444800000 + i : undefined);
  return ks;
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('RdbLoader (resumable RDB loading)', () => {
  it('gives the same entries and stats as loadRdb for any step size', () => {
    const now = Date.now();
    const buf = encodeKeyspace(sampleKeyspace(now, { large: true, expired: true }));
    const whole: Entry[] = [];
    const expected = loadRdb(buf, (k, v, e) => whole.push([k, v, e]));
    for (const maxKeys of [1, 2, 3, 7, 50, Infinity]) {
      const { entries, steps, stats } = stepAll(buf, maxKeys);
      expect(entries).toEqual(whole); // same order, same values
      expect(stats).toEqual(expected);
      expect(stats.checksumVerified).toBe(true);
      expect(steps).toBeGreaterThanOrEqual(Math.ceil(expected.keys / maxKeys));
      expect(steps).toBeLessThanOrEqual(Math.floor(expected.keys / maxKeys) + 1);
    }
  });

  it('reads at most maxKeys keys per step and reports progress', () => {
    const buf = encodeKeyspace(manyKeys(1000));
    let seen = 0;
    const loader = new RdbLoader(buf, () => seen++);
    const positions: number[] = [];
    while (!loader.step(100)) {
      expect(seen % 100).toBe(0);
      positions.push(loader.position);
      expect(loader.stats.keys).toBe(seen);
    }
    expect(seen).toBe(1000);
    expect(positions).toHaveLength(10); // 10 full steps, then one that reads EOF and checksum
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(loader.stats.bytes).toBe(buf.length);
  });

  it('keeps an expire time that precedes a key across a step boundary', () => {
    const ks = manyKeys(10);
    const buf = encodeKeyspace(ks);
    expect(plainEntries(stepAll(buf, 1).entries)).toEqual(keyspaceEntries(ks));
  });

  it('throws the checksum mismatch from a step, never reports done, and stays failed', () => {
    const buf = Buffer.from(encodeKeyspace(manyKeys(500)));
    buf[buf.indexOf('value-250') + 1]! ^= 0x20; // inside a value: parses, but the checksum differs
    const loader = new RdbLoader(buf, () => {});
    let err: unknown;
    try {
      while (!loader.step(50));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RdbError);
    expect((err as Error).message).toMatch(/^RDB checksum mismatch/);
    expect(loader.done).toBe(false);
    expect(() => loader.step(50)).toThrow(err as Error);
  });

  it('turns truncation at any byte into RdbError when stepping a key at a time', () => {
    const buf = encodeKeyspace(manyKeys(20));
    for (let i = 0; i < buf.length; i++) {
      expect(() => {
        const loader = new RdbLoader(buf.subarray(0, i), () => {});
        while (!loader.step(1));
      }, `cut at ${i}`).toThrow(/truncated|bad magic/);
    }
  });

  it('rejects a step budget below one key', () => {
    const loader = new RdbLoader(encodeKeyspace(manyKeys(3)), () => {});
    expect(() => loader.step(0)).toThrow(RangeError);
    expect(() => loader.step(NaN)).toThrow(RangeError);
    expect(loader.step(1)).toBe(false); // still usable
  });

  it('still throws header errors from the constructor', () => {
    expect(() => new RdbLoader(Buffer.from('HELLO0010\xff'), () => {})).toThrow(/bad magic/);
    expect(() => new RdbLoader(rdbFile([], 99), () => {})).toThrow(/unsupported RDB format version/);
  });

  it('reports a corrupt record from the step that reaches it, after the keys before it', () => {
    const buf = rdbFile([rdbRecord(0, 'a', rdbString('1')), rdbRecord(0, 'b', rdbString('2')), rdbRecord(30, 'bad', rdbString('v'))]);
    const keys: string[] = [];
    const loader = new RdbLoader(buf, (k) => keys.push(k));
    expect(loader.step(2)).toBe(false);
    expect(keys).toEqual(['a', 'b']);
    expect(() => loader.step(2)).toThrow(/unknown value type 30/);
  });
});

describe('loadRdbIntoAsync', () => {
  it('loads what loadRdbInto loads, with the same stats', async () => {
    const now = Date.now();
    const buf = encodeKeyspace(sampleKeyspace(now, { expired: true }));
    const a = new Keyspace();
    const b = new Keyspace();
    const sync = loadRdbInto(buf, a, { now });
    const async_ = await loadRdbIntoAsync(buf, b, { now, yieldEvery: 3 });
    expect(async_).toEqual(sync);
    expect(async_.expired).toBe(1);
    expect(keyspaceEntries(b)).toEqual(keyspaceEntries(a));
    expect(b.getExpire('ttl:string')).toBe(now + 3_600_000);
  });

  it('lets the event loop run between steps and touches the keyspace only after the checksum passed', async () => {
    const n = 10_000;
    const buf = encodeKeyspace(manyKeys(n));
    const ks = new Keyspace();
    ks.load('existing', 'kept');
    const sizes: number[] = [];
    let loading = true;
    const tick = (): void => {
      sizes.push(ks.size);
      if (loading) setImmediate(tick);
    };
    setImmediate(tick);
    const stats = await loadRdbIntoAsync(buf, ks, { yieldEvery: 1000 });
    loading = false;
    expect(stats.loaded).toBe(n);
    expect(stats.checksumVerified).toBe(true);
    expect(ks.size).toBe(n + 1);
    // ~10 parse steps with an untouched keyspace, then ~10 apply steps.
    expect(sizes.length).toBeGreaterThanOrEqual(15);
    expect(sizes.filter((s) => s === 1).length).toBeGreaterThanOrEqual(9);
    expect(sizes).toEqual([...sizes].sort((x, y) => x - y));
    expect(ks.get('key:1234')).toBe('value-1234');
  });

  it('rejects with RdbError and leaves the keyspace as it was when the file is bad', async () => {
    const buf = Buffer.from(encodeKeyspace(manyKeys(5000)));
    buf[buf.indexOf('value-4900') + 1]! ^= 0x20; // found out only at the checksum
    const ks = new Keyspace();
    ks.load('existing', 'kept');
    let turns = 0;
    let loading = true;
    const tick = (): void => {
      turns++;
      expect([...ks.data.keys()]).toEqual(['existing']);
      if (loading) setImmediate(tick);
    };
    setImmediate(tick);
    await expect(loadRdbIntoAsync(buf, ks, { yieldEvery: 500 })).rejects.toThrow(RdbError);
    loading = false;
    await turn();
    expect(turns).toBeGreaterThanOrEqual(5);
    expect([...ks.data.keys()]).toEqual(['existing']);
    await expect(loadRdbIntoAsync(Buffer.from('nope'), ks)).rejects.toThrow(/bad magic/);
    await expect(loadRdbIntoAsync(buf, ks, { yieldEvery: 0 })).rejects.toThrow(RangeError);
  });
});
