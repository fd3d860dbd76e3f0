/**
 * RDB interoperability with real Redis 7: redis-check-rdb accepts our files, redis-server
 * loads them with identical contents, and our decoder reads what redis-server saves
 * (listpack, quicklist, intset, hashtable and skiplist encodings, LZF, functions).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Keyspace, List, ZSet, type Value } from '../../src/server/keyspace.js';
import {
  AtomicFileWriter,
  RdbEncoder,
  encodeKeyspace,
  loadRdb,
  writeFileAtomic,
} from '../../src/server/persistence/rdb/index.js';
import { ALL_BYTES, keyspaceEntries, plainEntries, sampleKeyspace, type PlainEntry } from '../unit/rdb/fixtures.js';
import { hasBinary, tempDir } from '../helpers/spawn-server.js';
import { serversPerTest } from '../helpers/test-servers.js';

const execFileP = promisify(execFile);

const missing = ['redis-server', 'redis-check-rdb'].filter((b) => !hasBinary(b));
const skipReason = missing.length > 0 ? `skipped: ${missing.join(' and ')} not on PATH (apt install redis-server redis-tools)` : '';
if (skipReason) console.warn(`rdb-interop: ${skipReason}`);

const { start, client } = serversPerTest();

/** redis-server on `dir` (its dump.rdb loaded), with a client */
async function startRedis(dir: string, extraArgs: string[] = []): Promise<{ log: () => string; client: Redis }> {
  const s = await start(['--dbfilename', 'dump.rdb', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extraArgs], { dir, binary: 'redis' });
  return { log: s.output, client: await client(s) };
}

// ---- reading a live server's dataset, binary safe ----------------------------------------

const latin1 = (b: Buffer): string => b.toString('latin1');

function parseScore(s: string): number {
  return s === 'inf' || s === '+inf' ? Infinity : s === '-inf' ? -Infinity : Number(s);
}

async function scanAll(client: Redis, cmd: string, key: Buffer | null): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let cursor = '0';
  do {
    const args = key === null ? [cursor, 'COUNT', '1000'] : [key, cursor, 'COUNT', '1000'];
    const [next, items] = (await client.callBuffer(cmd, args)) as [Buffer, Buffer[]];
    cursor = latin1(next);
    out.push(...items);
  } while (cursor !== '0');
  return out;
}

async function readServer(client: Redis): Promise<PlainEntry[]> {
  const keys = [...new Set((await scanAll(client, 'SCAN', null)).map(latin1))];
  const entries: [string, Value, number | undefined][] = [];
  for (const k of keys) {
    const key = Buffer.from(k, 'latin1');
    const type = String(await client.call('TYPE', key));
    let value: Value;
    if (type === 'string') value = latin1((await client.callBuffer('GET', [key])) as Buffer);
    else if (type === 'list') value = new List(((await client.callBuffer('LRANGE', [key, '0', '-1'])) as Buffer[]).map(latin1));
    else if (type === 'set') value = new Set(((await client.callBuffer('SMEMBERS', [key])) as Buffer[]).map(latin1));
    else if (type === 'hash') {
      const flat = (await scanAll(client, 'HSCAN', key)).map(latin1);
      const h = new Map<string, string>();
      for (let i = 0; i < flat.length; i += 2) h.set(flat[i]!, flat[i + 1]!);
      value = h;
    } else if (type === 'zset') {
      // Flat [member, score, ...] (RESP2) or [member, score] pairs, depending on the client.
      const reply = (await client.callBuffer('ZRANGE', [key, '0', '-1', 'WITHSCORES'])) as unknown[];
      const flat = reply.flatMap((x) => (Array.isArray(x) ? x : [x])) as (Buffer | number)[];
      const z = new ZSet();
      for (let i = 0; i < flat.length; i += 2) {
        const score = flat[i + 1]!;
        z.add(latin1(flat[i] as Buffer), typeof score === 'number' ? score : parseScore(latin1(score)));
      }
      value = z;
    } else throw new Error(`unexpected type ${type} for ${JSON.stringify(k)}`);
    const at = Number(await client.call('PEXPIRETIME', key));
    entries.push([k, value, at >= 0 ? at : undefined]);
  }
  return plainEntries(entries);
}

function decodeFile(file: string): { entries: PlainEntry[]; stats: ReturnType<typeof loadRdb> } {
  const entries: [string, Value, number | undefined][] = [];
  const stats = loadRdb(fs.readFileSync(file), (k, v, e) => entries.push([k, v, e]));
  return { entries: plainEntries(entries), stats };
}

/** Deep equality with a readable report: the first differing key rather than a 100-key diff. */
function expectSameEntries(actual: PlainEntry[], expected: PlainEntry[]): void {
  expect(actual.map((e) => e[0])).toEqual(expected.map((e) => e[0]));
  for (let i = 0; i < expected.length; i++) expect(actual[i], `key ${JSON.stringify(expected[i]![0]).slice(0, 80)}`).toStrictEqual(expected[i]);
}

async function checkRdb(file: string): Promise<string> {
  const { stdout, stderr } = await execFileP('redis-check-rdb', [file]);
  return stdout + stderr;
}

/** Writes a keyspace into a live server with ordinary commands. */
async function populate(client: Redis, ks: Keyspace): Promise<void> {
  const b = (s: string): Buffer => Buffer.from(s, 'latin1');
  const batches = <T>(items: T[], n: number): T[][] =>
    Array.from({ length: Math.ceil(items.length / n) }, (_, i) => items.slice(i * n, i * n + n));
  for (const [k, v] of ks.data) {
    const key = b(k);
    if (typeof v === 'string') await client.call('SET', key, b(v));
    else if (v instanceof List) for (const part of batches(v.items, 500)) await client.call('RPUSH', key, ...part.map(b));
    else if (v instanceof Map) for (const part of batches([...v], 500)) await client.call('HSET', key, ...part.flat().map(b));
    else if (v instanceof Set) for (const part of batches([...v], 500)) await client.call('SADD', key, ...part.map(b));
    else
      for (const part of batches([...v.scores], 500))
        await client.call('ZADD', key, ...part.flatMap(([m, s]) => [s === Infinity ? '+inf' : s === -Infinity ? '-inf' : String(s), b(m)]));
    const at = ks.getExpire(k);
    if (at !== undefined) await client.call('PEXPIREAT', key, String(at));
  }
}

/** Data meant to make redis-server 7.0 use each of its encodings. */
function redisShapedKeyspace(now: number): Keyspace {
  const ks = new Keyspace();
  const ints = ['0', '7', '127', '128', '-1', '-4096', '4095', '32767', '-32768', '8388607', '-8388608', '2147483647', '-2147483648', '9223372036854775807', '-9223372036854775808'];
  ks.load('s:int', '12345');
  ks.load('s:neg', '-5');
  ks.load('s:big', '12345678901234');
  ks.load('s:text', 'hello', now + 3_600_000);
  ks.load('s:empty', '');
  ks.load('s:bin', ALL_BYTES);
  ks.load('s:long', 'compressible text; '.repeat(400));
  ks.load(`k:${ALL_BYTES}`, 'binary key');
  ks.load('l:small', new List(['a', 'b', '', ALL_BYTES.slice(0, 60), ...ints]), now + 7_200_000);
  ks.load('l:big', new List(Array.from({ length: 3000 }, (_, i) => `item-${i}`)));
  ks.load('l:longel', new List(Array.from({ length: 6 }, (_, i) => `long element ${i} `.repeat(300))));
  ks.load('h:small', new Map([['f', 'v'], ['n', '42'], ['neg', '-300'], ['big', '9223372036854775807'], ['b', ALL_BYTES.slice(100, 150)]]), now + 3_600_000);
  ks.load('h:big', new Map(Array.from({ length: 300 }, (_, i): [string, string] => [`field-${i}`, `value-${i}`])));
  ks.load('h:longval', new Map([['f', 'x'.repeat(100)], ['g', '1']]));
  ks.load('h:compressible', new Map(Array.from({ length: 60 }, (_, i): [string, string] => [`field-${i}`, 'abcdefgh'])));
  ks.load('set:ints', new Set(['1', '2', '3', '-100', '30000']));
  ks.load('set:ints64', new Set(['1', '-9223372036854775808', '9223372036854775807', '4294967296']));
  ks.load('set:strs', new Set(['a', 'b', ALL_BYTES.slice(0, 30)]));
  ks.load('set:bigints', new Set(Array.from({ length: 600 }, (_, i) => String(i * 3 - 900))));
  const zs = new ZSet();
  for (const [m, s] of [['a', 1], ['b', 2.5], ['c', -Infinity], ['d', Infinity], ['e', -3], ['f', 1e300], ['g', 0.1], ['h', 9007199254740993]] as const) zs.add(m, s);
  ks.load('z:small', zs);
  const zb = new ZSet();
  for (let i = 0; i < 200; i++) zb.add(`member-${i}`, i / 7);
  ks.load('z:big', zb);
  return ks;
}

describe.skipIf(skipReason !== '')('RDB interop with redis 7', () => {
  it('redis-check-rdb accepts our files (every type, TTLs, compressed strings, incremental writes)', async () => {
    const dir = tempDir('durabench-rdb-interop-');
    const ks = sampleKeyspace(Date.now(), { large: true, expired: true });
    writeFileAtomic(dir, 'whole.rdb', encodeKeyspace(ks));
    const whole = await checkRdb(path.join(dir, 'whole.rdb'));
    expect(whole).toContain('RDB looks OK');
    expect(whole).toMatch(new RegExp(`${ks.size} keys read`));
    expect(whole).toContain('1 already expired');

    // The background-snapshot shape: small chunks straight into an AtomicFileWriter.
    const w = new AtomicFileWriter(dir, 'incremental.rdb');
    const enc = new RdbEncoder((c) => w.write(c), { chunkSize: 512 });
    enc.header({ 'redis-ver': '7.0.0', 'aof-base': '0' });
    enc.selectDb(0, ks.size, ks.expiresCount);
    for (const [k, v] of ks.data) {
      enc.entry(k, v, ks.getExpire(k));
      enc.flush();
    }
    enc.footer();
    w.commit();
    expect(await checkRdb(path.join(dir, 'incremental.rdb'))).toContain('RDB looks OK');
    expect(fs.readFileSync(path.join(dir, 'incremental.rdb')).subarray(9).length).toBeGreaterThan(1_000_000);
  });

  it('redis-server loads our file with identical keys, values and TTLs', async () => {
    const dir = tempDir('durabench-rdb-interop-');
    const now = Date.now();
    const ks = sampleKeyspace(now, { large: true, expired: true });
    writeFileAtomic(dir, 'dump.rdb', encodeKeyspace(ks));
    const server = await startRedis(dir);
    expect(server.log()).toMatch(/keys loaded: \d+, keys expired: 1/);
    ks.data.delete('ttl:past');
    const expected = keyspaceEntries(ks);
    expectSameEntries(await readServer(server.client), expected);

    // And what it saves from our data decodes to the same thing.
    fs.renameSync(path.join(dir, 'dump.rdb'), path.join(dir, 'ours.rdb'));
    expect(await server.client.call('SAVE')).toBe('OK');
    expectSameEntries(decodeFile(path.join(dir, 'dump.rdb')).entries, expected);
  });

  it('our decoder reads what redis-server 7 saves (listpack, quicklist, intset, skiplist, LZF, functions)', async () => {
    const dir = tempDir('durabench-rdb-interop-');
    const now = Date.now();
    const ks = redisShapedKeyspace(now);
    // Redis 7.0's documented thresholds, pinned (distribution builds may change defaults).
    const server = await startRedis(dir, [
      '--hash-max-listpack-entries', '128',
      '--hash-max-listpack-value', '64',
      '--zset-max-listpack-entries', '128',
      '--zset-max-listpack-value', '64',
      '--set-max-intset-entries', '512',
      '--list-max-listpack-size', '-2',
    ]);
    await populate(server.client, ks);
    await server.client.call('FUNCTION', 'LOAD', "#!lua name=durabenchlib\nredis.register_function('one', function() return 1 end)");
    const encodings: Record<string, string> = {};
    for (const k of ['l:small', 'l:big', 'h:small', 'h:big', 'h:longval', 'set:ints', 'set:strs', 'set:bigints', 'z:small', 'z:big', 's:int', 's:long']) {
      encodings[k] = String(await server.client.call('OBJECT', 'ENCODING', k));
    }
    expect(encodings).toMatchObject({
      'h:small': 'listpack',
      'h:big': 'hashtable',
      'h:longval': 'hashtable',
      'set:ints': 'intset',
      'set:bigints': 'hashtable',
      'z:small': 'listpack',
      'z:big': 'skiplist',
      's:int': 'int',
    });
    expect(['quicklist', 'listpack']).toContain(encodings['l:big']);
    expect(await server.client.call('SAVE')).toBe('OK');

    const { entries, stats } = decodeFile(path.join(dir, 'dump.rdb'));
    expect(stats.version).toBe(10);
    expect(stats.aux['redis-ver']).toMatch(/^7\./);
    expect(stats.functionsSkipped).toBe(1);
    expect(stats.checksumVerified).toBe(true);
    // The compact encodings really were exercised: listpack hash/zset, quicklist v2,
    // intset, and the hashtable/skiplist ones saved as plain SET/HASH/ZSET_2.
    expect(Object.keys(stats.typeCounts).map(Number).sort((a, b) => a - b)).toEqual([0, 2, 4, 5, 11, 16, 17, 18]);
    expect(stats.compressedStrings).toBeGreaterThanOrEqual(3);
    expectSameEntries(entries, keyspaceEntries(ks));
    expectSameEntries(entries, await readServer(server.client));
  });
});
