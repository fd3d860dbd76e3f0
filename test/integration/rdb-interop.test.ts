/**
 * RDB interoperability with real Redis 7: redis-check-rdb accepts our files, redis-server
 * loads them with identical contents, and our decoder reads what redis-server saves
 * (listpack, quicklist, intset, hashtable and skiplist encodings, LZF, functions).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Keyspace, List, ZSet } from '../../src/server/keyspace.js';
import {
  AtomicFileWriter,
  RdbEncoder,
  encodeKeyspace,
  writeFileAtomic,
} from '../../src/server/persistence/rdb/index.js';
import { ALL_BYTES, keyspaceEntries, sampleKeyspace } from '../unit/rdb/fixtures.js';
import { checkRdb, decodeFile, expectSameEntries, populate, readServer } from '../helpers/rdb-compare.js';
import { hasBinary, tempDir } from '../helpers/spawn-server.js';
import { serversPerTest } from '../helpers/test-servers.js';

const missing = ['redis-server', 'redis-check-rdb'].filter((b) => !hasBinary(b));
const skipReason = missing.length > 0 ? `skipped: ${missing.join(' and ')} not on PATH (apt install redis-server redis-tools)` : '';
if (skipReason) console.warn(`rdb-interop: ${skipReason}`);

const { start, client } = serversPerTest();

/** redis-server on `dir` (its dump.rdb loaded), with a client */
async function startRedis(dir: string, extraArgs: string[] = []): Promise<{ log: () => string; client: Redis }> {
  const s = await start(['--dbfilename', 'dump.rdb', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extraArgs], { dir, binary: 'redis' });
  return { log: s.output, client: await client(s) };
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
