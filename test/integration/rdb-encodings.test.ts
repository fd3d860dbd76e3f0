/**
 * Compact encodings against a real redis-server 7.0, side by side: the same commands into
 * both servers, SAVE on both; our RDB passes redis-check-rdb, loads into redis-server with
 * the same values and OBJECT ENCODINGs, and is about the size of redis-server's. The encoding
 * knobs act alike on both (CONFIG SET converts no existing key; a restart judges them as
 * redis-server's loader does), and CONFIG GET * names only options redis-server has.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/shared/prng.js';
import { checkRdb, decodeFile, expectSameEntries, quicklistLayout, readServer } from '../helpers/rdb-compare.js';
import { hasBinary, startServer, tempDir, type Spawned } from '../helpers/spawn-server.js';

const missing = ['redis-server', 'redis-check-rdb'].filter((b) => !hasBinary(b));
const skipReason = missing.length > 0 ? `skipped: ${missing.join(' and ')} not on PATH (apt install redis-server redis-tools)` : '';
if (skipReason) console.warn(`rdb-encodings: ${skipReason}`);

const KNOBS = [
  'hash-max-listpack-entries', 'hash-max-listpack-value', 'zset-max-listpack-entries', 'zset-max-listpack-value',
  'set-max-intset-entries', 'list-max-listpack-size', 'list-compress-depth', 'stream-node-max-bytes', 'stream-node-max-entries',
];

const clients = new Set<Redis>();
afterAll(() => {
  for (const c of clients) c.disconnect();
});

interface Side {
  server: Spawned;
  r: Redis;
}

/** A server (ours or redis-server) with no save points, and a client of it. */
async function start(binary: 'builtin' | 'redis', args: string[] = [], dir?: string): Promise<Side> {
  const server = await startServer(['--save', '', '--appendonly', 'no', ...args], { binary, dir });
  const r = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true, maxRetriesPerRequest: 1 });
  r.on('error', () => {});
  clients.add(r);
  await r.connect();
  return { server, r };
}

async function stop(s: Side): Promise<void> {
  s.r.disconnect();
  clients.delete(s.r);
  await s.server.stop();
}

/** The same commands into every server, pipelined. */
async function runAll(sides: Side[], commands: string[][]): Promise<void> {
  for (const s of sides) {
    for (let i = 0; i < commands.length; i += 500) {
      const p = s.r.pipeline();
      for (const [cmd, ...args] of commands.slice(i, i + 500)) p.call(cmd!, ...args);
      const replies = (await p.exec()) ?? [];
      for (const [err] of replies) if (err) throw err;
    }
  }
}

async function encodings(r: Redis): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const k of (await r.keys('*')).sort()) out[k] = String(await r.call('OBJECT', 'ENCODING', k));
  return out;
}

/**
 * A mixed dataset: small and large hashes, int and non-int sets, zsets and lists, and strings.
 * Its text is random printable characters (it does not compress, as real data mostly does
 * not) or, `repetitive`, a few letters repeated (redis-benchmark's kind, which LZF shrinks).
 */
function dataset(seed: number, repetitive: boolean): string[][] {
  const rng = new Rng(seed);
  const text = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(repetitive ? 97 + (i % 4) : 33 + rng.int(94));
    return s;
  };
  const cmds: string[][] = [];
  const int = (): string => String(rng.range(-1, 1) * rng.int(2 ** rng.range(1, 40)));
  for (let i = 0; i < 300; i++) {
    const n = rng.range(1, 30);
    const fv: string[] = [];
    for (let j = 0; j < n; j++) fv.push(`field:${j}`, rng.int(3) === 0 ? int() : text(rng.range(1, 60)));
    cmds.push(['HSET', `hash:small:${i}`, ...fv]);
  }
  for (let i = 0; i < 10; i++) {
    const fv: string[] = [];
    for (let j = 0; j < 700; j++) fv.push(`f${j}`, text(20));
    cmds.push(['HSET', `hash:big:${i}`, ...fv]);
    cmds.push(['HSET', `hash:longval:${i}`, 'a', 'b', 'long', text(65 + i)]);
  }
  for (let i = 0; i < 200; i++) {
    cmds.push(['SADD', `set:int:${i}`, ...Array.from({ length: rng.range(1, 40) }, int)]);
    cmds.push(['SADD', `set:str:${i}`, ...Array.from({ length: rng.range(1, 20) }, () => text(rng.range(1, 30)))]);
  }
  for (let i = 0; i < 5; i++) cmds.push(['SADD', `set:int:big:${i}`, ...Array.from({ length: 600 }, (_, j) => String(j * 1009 - 300000))]);
  for (let i = 0; i < 200; i++) {
    const pairs: string[] = [];
    for (let j = 0; j < rng.range(1, 60); j++) pairs.push(rng.int(2) === 0 ? String(rng.int(1000)) : String(rng.next() * 1000 - 500), text(rng.range(1, 40)));
    cmds.push(['ZADD', `zset:small:${i}`, ...pairs]);
  }
  for (let i = 0; i < 5; i++) {
    cmds.push(['ZADD', `zset:big:${i}`, ...Array.from({ length: 300 }, (_, j) => [String(j / 7), `member:${j}`]).flat()]);
    cmds.push(['ZADD', `zset:longmember:${i}`, '1', 'a', '2', text(65)]);
  }
  for (let i = 0; i < 200; i++) cmds.push(['RPUSH', `list:small:${i}`, ...Array.from({ length: rng.range(1, 50) }, () => (rng.int(4) === 0 ? int() : text(rng.range(0, 50))))]);
  for (let i = 0; i < 5; i++) {
    for (let part = 0; part < 6; part++) cmds.push(['RPUSH', `list:big:${i}`, ...Array.from({ length: 500 }, () => text(rng.range(5, 30)))]);
    cmds.push(['RPUSH', `list:long:${i}`, text(10_000), 'x', text(20_000)]);
  }
  for (let i = 0; i < 200; i++) cmds.push(['SET', `string:${i}`, rng.int(2) === 0 ? int() : text(rng.range(1, 200))]);
  return cmds;
}

async function save(s: Side): Promise<string> {
  expect(await s.r.call('SAVE')).toBe('OK');
  return path.join(s.server.dir, 'dump.rdb');
}

describe.skipIf(skipReason !== '')('compact encodings side by side with redis-server 7.0', () => {
  it('the knobs default to what redis-server says', async () => {
    const [ours, redis] = [await start('builtin'), await start('redis')];
    try {
      for (const k of KNOBS) expect(await ours.r.config('GET', k), k).toEqual(await redis.r.config('GET', k));
    } finally {
      await Promise.all([stop(ours), stop(redis)]);
    }
  });

  it.each([
    ['random', false],
    ['repetitive', true],
  ])('same data (%s text): our RDB passes redis-check-rdb, loads into redis-server with the same values and encodings, and is within 1.05 of its size in either direction', async (kind, repetitive) => {
    const [ours, redis] = [await start('builtin'), await start('redis')];
    const sides = [ours, redis];
    try {
      await runAll(sides, dataset(11, repetitive));
      const want = await encodings(redis.r);
      expect(await encodings(ours.r)).toEqual(want);
      const used = new Set(Object.values(want));
      for (const e of ['listpack', 'hashtable', 'intset', 'skiplist', 'quicklist', 'int', 'embstr', 'raw']) expect(used, e).toContain(e);

      const [ourFile, redisFile] = [await save(ours), await save(redis)];
      const [ourSize, redisSize] = [fs.statSync(ourFile).size, fs.statSync(redisFile).size];
      const ratio = ourSize / redisSize;
      console.log(`rdb-encodings (${kind} text): our RDB ${ourSize} B, redis-server's ${redisSize} B, ours ÷ redis = ${ratio.toFixed(4)}`);
      expect(ratio).toBeLessThanOrEqual(1.05);
      expect(ratio).toBeGreaterThanOrEqual(1 / 1.05);
      expect(await checkRdb(ourFile)).toContain('RDB looks OK');
      // The same RDB types, key for key: listpack, intset and quicklist where redis-server used them.
      const [mine, theirs] = [decodeFile(ourFile), decodeFile(redisFile)];
      expect(mine.stats.typeCounts).toEqual(theirs.stats.typeCounts);
      expectSameEntries(mine.entries, theirs.entries);

      // redis-server loads our file: every value and encoding as in the server that wrote it.
      const dir = tempDir();
      fs.copyFileSync(ourFile, path.join(dir, 'dump.rdb'));
      const loaded = await start('redis', [], dir);
      sides.push(loaded);
      expect(await encodings(loaded.r)).toEqual(want);
      expectSameEntries(await readServer(loaded.r), await readServer(redis.r));

      // The AOF rewrite's RDB preamble takes the same path.
      await ours.r.config('SET', 'appendonly', 'yes');
      const base = path.join(ours.server.dir, 'appendonlydir', 'appendonly.aof.1.base.rdb');
      for (let t = Date.now(); !(await ours.r.info('persistence')).includes('aof_rewrite_in_progress:0') || !fs.existsSync(base); ) {
        if (Date.now() - t > 20_000) throw new Error('no AOF rewrite');
        await new Promise((res) => setTimeout(res, 20));
      }
      expect(decodeFile(base).stats.typeCounts).toEqual(theirs.stats.typeCounts);
    } finally {
      await Promise.all(sides.map(stop));
    }
  });

  it('CONFIG SET of a knob: new keys follow it, existing keys keep their encoding; a restart loads them alike', async () => {
    const [ours, redis] = [await start('builtin'), await start('redis')];
    const sides = [ours, redis];
    const both = async (...cmd: string[]): Promise<void> => runAll(sides, [cmd]);
    const same = async (step: string): Promise<Record<string, string>> => {
      const want = await encodings(redis.r);
      expect(await encodings(ours.r), step).toEqual(want);
      return want;
    };
    try {
      await both('HSET', 'h:kept', 'a', '1', 'b', '2', 'c', '3');
      await both('HSET', 'h:update', 'a', '1', 'b', '2', 'c', '3');
      await both('HSET', 'h:longval', 'a', 'x'.repeat(30));
      await both('ZADD', 'z:kept', '1', 'a', '2', 'b', '3', 'c');
      await both('SADD', 's:kept', '1', '2', '3');
      await both('HSET', 'h:big', ...Array.from({ length: 600 }, (_, i) => [`f${i}`, 'v']).flat());
      await both('RPUSH', 'l:before', ...Array.from({ length: 2000 }, (_, i) => `e${i}`));
      await same('before');

      await both('CONFIG', 'SET', 'hash-max-listpack-entries', '2', 'zset-max-listpack-entries', '2', 'set-max-intset-entries', '2');
      await both('CONFIG', 'SET', 'hash-max-ziplist-value', '10'); // the alias
      await both('CONFIG', 'SET', 'list-max-listpack-size', '5', 'list-compress-depth', '1');
      await both('HSET', 'h:new', 'a', '1', 'b', '2', 'c', '3');
      await both('ZADD', 'z:new', '1', 'a', '2', 'b', '3', 'c');
      await both('SADD', 's:new', '1', '2', '3');
      await both('RPUSH', 'l:after', ...Array.from({ length: 2000 }, (_, i) => `e${i}`));
      const after = await same('after lowering the limits');
      // Each list keeps the node size and compression it was made with.
      for (const k of ['l:before', 'l:after']) {
        const [mine, theirs] = await Promise.all(sides.map(async (s) => quicklistLayout((await s.r.dumpBuffer(k))!).replace(/z/g, '')));
        expect(mine, k).toBe(theirs);
      }
      expect(after).toMatchObject({ 'h:kept': 'listpack', 'h:new': 'hashtable', 'z:kept': 'listpack', 'z:new': 'skiplist', 's:kept': 'intset', 's:new': 'hashtable' });

      // Writes to kept keys: Redis checks what is added and the new size, not what is there.
      await both('ZADD', 'z:kept', '5', 'a'); // an update: stays
      await both('SADD', 's:kept', '2'); // nothing added: stays
      await both('HSET', 'h:longval', 'b', 'short'); // 2 fields > 2? no; short args: stays
      await same('writes that keep');
      await both('HSET', 'h:update', 'a', '9'); // hashTypeSet checks the size: converts
      await both('ZADD', 'z:kept', '4', 'd');
      await both('SADD', 's:kept', '4');
      await both('HSET', 'h:longval', 'c', 'y'.repeat(11));
      await both('HDEL', 'h:big', ...Array.from({ length: 599 }, (_, i) => `f${i}`));
      await both('CONFIG', 'SET', 'hash-max-listpack-entries', '1000'); // raising converts nothing back
      await both('HSET', 'h:kept', 'd', '4'); // under the new limits: stays listpack
      expect(await same('writes that convert')).toMatchObject({ 'h:update': 'hashtable', 'z:kept': 'skiplist', 's:kept': 'hashtable', 'h:longval': 'hashtable', 'h:big': 'hashtable', 'h:kept': 'listpack' });

      // Saved as each holds them; loaded back under the same knobs, as redis-server's loader
      // judges them (a listpack over the value limit stays one; a small hashtable becomes one).
      await both('HSET', 'h:reload', 'a', 'x'.repeat(5));
      await both('CONFIG', 'SET', 'hash-max-listpack-value', '64');
      await both('HSET', 'h:reload', 'b', 'y'.repeat(40));
      const [ourFile, redisFile] = [await save(ours), await save(redis)];
      expect(decodeFile(ourFile).stats.typeCounts).toEqual(decodeFile(redisFile).stats.typeCounts);
      const knobs = ['--hash-max-listpack-entries', '1000', '--hash-max-listpack-value', '10', '--zset-max-listpack-entries', '2', '--set-max-intset-entries', '2'];
      await Promise.all(sides.map(stop));
      sides.length = 0;
      const [ours2, redis2, oursFromRedis] = [
        await start('builtin', knobs, ours.server.dir),
        await start('redis', knobs, redis.server.dir),
        await start('builtin', knobs, copyDir(redis.server.dir)),
      ];
      sides.push(ours2, redis2, oursFromRedis);
      const reloaded = await encodings(redis2.r);
      expect(reloaded['h:reload']).toBe('listpack');
      expect(await encodings(ours2.r)).toEqual(reloaded);
      expect(await encodings(oursFromRedis.r)).toEqual(reloaded);
    } finally {
      await Promise.all(sides.map(stop));
    }
  });

  it('CONFIG GET *: every option ours takes is one redis-server lists, aliases included', async () => {
    const [ours, redis] = [await start('builtin'), await start('redis')];
    try {
      const names = async (r: Redis): Promise<string[]> => ((await r.config('GET', '*')) as string[]).filter((_, i) => i % 2 === 0).sort();
      const [mine, theirs] = [await names(ours.r), await names(redis.r)];
      const extra = mine.filter((n) => !theirs.includes(n));
      // durabench's own options: how a background save serializes, and on which thread.
      expect(extra).toEqual(['snapshot-encoder', 'snapshot-strategy', 'snapshot-warm-up']);
      for (const k of KNOBS) expect(mine).toContain(k);
      for (const alias of ['hash-max-ziplist-entries', 'hash-max-ziplist-value', 'zset-max-ziplist-entries', 'zset-max-ziplist-value', 'list-max-ziplist-size']) expect(mine).toContain(alias);
      const lacking = theirs.filter((n) => !mine.includes(n));
      console.log(`rdb-encodings: redis-server lists ${theirs.length} options, ours ${mine.length}; ours lacks ${lacking.length}: ${lacking.join(' ')}`);
      // A name asked for exactly comes back as typed; an alias reads its option.
      for (const s of [ours, redis]) expect(await s.r.config('GET', 'HASH-MAX-ZIPLIST-ENTRIES')).toEqual(['HASH-MAX-ZIPLIST-ENTRIES', '512']);
    } finally {
      await Promise.all([stop(ours), stop(redis)]);
    }
  });
});

/** A copy of a server's RDB in a new directory (a second server starts from it). */
function copyDir(dir: string): string {
  const d = tempDir();
  fs.copyFileSync(path.join(dir, 'dump.rdb'), path.join(d, 'dump.rdb'));
  return d;
}
