import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { hasBinary, rawExchange, type Spawned, tempDir } from '../helpers/spawn-server.js';
import { serversPerTest } from '../helpers/test-servers.js';
import { incrText } from '../helpers/aof-files.js';
import { fillKeys } from '../helpers/fill-keys.js';

// Persistence of the built-in server, judged from outside: acknowledged writes, SIGKILL,
// restart, read back. Each test uses its own port and temp dir.
const { start, client } = serversPerTest();

async function writeKeys(r: Redis, n: number, prefix = 'k', value = (i: number) => `v${i}`): Promise<void> {
  for (let i = 0; i < n; i += 500) {
    const p = r.pipeline();
    for (let j = i; j < Math.min(n, i + 500); j++) p.set(`${prefix}${j}`, value(j));
    await p.exec();
  }
}

/** A server that acknowledged `n` SETs (k0..), then was SIGKILLed: its dir is ready to restart from. */
async function killedAfterWrites(args: string[], n: number, value?: (i: number) => string): Promise<Spawned> {
  const a = await start(args);
  const r = await client(a);
  await writeKeys(r, n, 'k', value);
  r.disconnect();
  await a.stop('SIGKILL');
  return a;
}

async function waitInfo(r: Redis, field: string, value: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = new RegExp(`${field}:(\\S+)`).exec(await r.info('persistence'));
    if (m?.[1] === value) return;
    if (Date.now() > deadline) throw new Error(`${field} never became ${value}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

const AOF = (fsync: string) => ['--save', '', '--appendonly', 'yes', '--appendfsync', fsync];

describe('AOF', () => {
  it.each(['always', 'everysec', 'no'])('acknowledged writes survive SIGKILL with appendfsync %s', async (fsync) => {
    const a = await start(AOF(fsync));
    const r = await client(a);
    await writeKeys(r, 3000);
    await r.rpush('list', 'a', 'b');
    await r.hset('hash', 'f', 'v');
    await r.set('ttl', 'v', 'EX', 1000);
    r.disconnect();
    await a.stop('SIGKILL');
    const b = await start(AOF(fsync), { dir: a.dir });
    const r2 = await client(b);
    expect(await r2.dbsize()).toBe(3003);
    expect(await r2.get('k2999')).toBe('v2999');
    expect(await r2.lrange('list', 0, -1)).toEqual(['a', 'b']);
    expect(await r2.ttl('ttl')).toBeGreaterThan(900);
    r2.disconnect();
  });

  it('rewrites into a new base + incr, and the result loads with the same data', async () => {
    const a = await start(AOF('everysec'));
    const r = await client(a);
    await writeKeys(r, 2000);
    await writeKeys(r, 2000, 'k', (i) => `w${i}`);
    expect(await r.bgrewriteaof()).toContain('rewriting started');
    await r.set('after', 'rewrite');
    await waitInfo(r, 'aof_rewrite_in_progress', '0');
    const files = fs.readdirSync(path.join(a.dir, 'appendonlydir')).sort();
    expect(files).toEqual(['appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    r.disconnect();
    await a.stop('SIGKILL');
    const b = await start(AOF('everysec'), { dir: a.dir });
    const r2 = await client(b);
    expect(await r2.dbsize()).toBe(2001);
    expect(await r2.get('k5')).toBe('w5');
    expect(await r2.get('after')).toBe('rewrite');
    r2.disconnect();
  });

  it('trims a truncated last command (aof-load-truncated yes) and refuses with no', async () => {
    const a = await killedAfterWrites(AOF('always'), 10);
    const incr = path.join(a.dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
    const good = fs.statSync(incr).size;
    fs.appendFileSync(incr, '*3\r\n$3\r\nSET\r\n$2\r\nzz\r\n$5\r\nab');
    const refused = await start([...AOF('always'), '--aof-load-truncated', 'no'], { dir: a.dir, expectExit: true });
    expect(await refused.stop('SIGCONT')).toBe(1);
    expect(refused.output()).toMatch(/Unexpected end of file/);
    const b = await start(AOF('always'), { dir: a.dir });
    const r2 = await client(b);
    expect(await r2.dbsize()).toBe(10);
    expect(fs.statSync(incr).size).toBe(good);
    expect(b.output()).toMatch(/short read/);
    r2.disconnect();
  });

  it('refuses to start on corruption in the middle, naming the file', async () => {
    const a = await killedAfterWrites(AOF('always'), 10);
    const incr = path.join(a.dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
    const buf = fs.readFileSync(incr);
    buf[23 + 40] = 0x21; // '!' where a '\r' was, in the second SET (after the file's SELECT 0: 23 bytes)
    fs.writeFileSync(incr, buf);
    const b = await start(AOF('always'), { dir: a.dir, expectExit: true });
    expect(await b.stop('SIGCONT')).toBe(1);
    expect(b.output()).toMatch(/Bad file format reading the append only file appendonly\.aof\.1\.incr\.aof/);
  });

  it('refuses to start when the manifest names a missing file', async () => {
    const a = await start(AOF('always'));
    await a.stop('SIGKILL');
    fs.rmSync(path.join(a.dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'));
    const b = await start(AOF('always'), { dir: a.dir, expectExit: true });
    expect(await b.stop('SIGCONT')).toBe(1);
    expect(b.output()).toMatch(/appendonly\.aof\.1\.incr\.aof listed in the manifest doesn't exist/);
  });

  it('CONFIG SET appendonly yes creates the first base in the background', async () => {
    const a = await start(['--save', '', '--appendonly', 'no']);
    const r = await client(a);
    await writeKeys(r, 500);
    expect(await r.config('SET', 'appendonly', 'yes')).toBe('OK');
    await r.set('later', 'x');
    await waitInfo(r, 'aof_rewrite_in_progress', '0');
    r.disconnect();
    await a.stop('SIGKILL');
    const b = await start(AOF('everysec'), { dir: a.dir });
    const r2 = await client(b);
    expect(await r2.dbsize()).toBe(501);
    r2.disconnect();
  });

  it('BGREWRITEAOF with appendonly no writes a base alone, as Redis 7 does, and it loads', async () => {
    const a = await start(['--save', '', '--appendonly', 'no']);
    const r = await client(a);
    await writeKeys(r, 300);
    const dir = path.join(a.dir, 'appendonlydir');
    for (const seq of [1, 2]) {
      expect(await r.bgrewriteaof()).toBe('Background append only file rewriting started');
      await waitInfo(r, 'aof_rewrite_in_progress', '0');
      expect(fs.readFileSync(path.join(dir, 'appendonly.aof.manifest'), 'latin1')).toBe(`file appendonly.aof.${seq}.base.rdb seq ${seq} type b\n`);
      expect(fs.readdirSync(dir).sort()).toEqual([`appendonly.aof.${seq}.base.rdb`, 'appendonly.aof.manifest']);
    }
    expect(await r.info('persistence')).toMatch(/aof_enabled:0[\s\S]*aof_rewrites:2/);
    r.disconnect();
    await a.stop('SIGKILL');
    const b = await start(AOF('everysec'), { dir: a.dir });
    const r2 = await client(b);
    expect(await r2.dbsize()).toBe(300);
    r2.disconnect();
  });
});

describe('RDB', () => {
  it('BGSAVE is point-in-time: writes after it started are not in the file', async () => {
    const a = await start(['--save', '', '--appendonly', 'no']);
    await fillKeys(a.port, 50_000, (i) => `v${i}`);
    const r = await client(a);
    // BGSAVE, then (in the same pipeline, so in the same event-loop turns) overwrite,
    // delete and add while the snapshot is being written.
    const p = r.pipeline();
    p.bgsave();
    for (let i = 0; i < 50_000; i += 7) p.set(`k${i}`, 'changed');
    for (let i = 1; i < 50_000; i += 11) p.del(`k${i}`);
    for (let i = 0; i < 1000; i++) p.set(`new${i}`, 'x');
    const replies = await p.exec();
    expect(replies![0]![1]).toBe('Background saving started');
    await waitInfo(r, 'rdb_bgsave_in_progress', '0');
    const info = await r.info('persistence');
    expect(info).toMatch(/rdb_last_bgsave_status:ok/);
    expect(Number(/rdb_last_cow_size:(\d+)/.exec(info)![1])).toBeGreaterThan(0);
    r.disconnect();
    await a.stop('SIGKILL');
    const b = await start(['--save', '', '--appendonly', 'no'], { dir: a.dir });
    const r2 = await client(b);
    expect(await r2.dbsize()).toBe(50_000);
    expect(await r2.get('k0')).toBe('v0');
    expect(await r2.get('k1')).toBe('v1');
    expect(await r2.get('new0')).toBeNull();
    r2.disconnect();
  });

  it('saves at a save point, on SHUTDOWN SAVE and on SIGTERM when save points are set', async () => {
    const a = await start(['--save', '1 1', '--appendonly', 'no']);
    const r = await client(a);
    await r.set('x', '1');
    // Redis's rule: strictly more than 1 s (in whole seconds) since the last save.
    // The file appears (rename) a moment before the save is counted: wait for the count.
    const saves = async (): Promise<number> => Number(/rdb_saves:(\d+)/.exec(await r.info('persistence'))![1]);
    for (let i = 0; i < 100 && (await saves()) < 1; i++) await new Promise((res) => setTimeout(res, 100));
    expect(await saves()).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(path.join(a.dir, 'dump.rdb'))).toBe(true);
    await r.set('y', '2');
    r.disconnect();
    expect(await a.stop('SIGTERM')).toBe(0);
    const b = await start(['--save', '', '--appendonly', 'no'], { dir: a.dir });
    const r2 = await client(b);
    expect(await r2.get('y')).toBe('2');
    await r2.set('z', '3');
    await r2.call('SHUTDOWN', 'SAVE').catch(() => {});
    r2.disconnect();
    await b.stop('SIGCONT');
    const c = await start(['--save', '', '--appendonly', 'no'], { dir: a.dir });
    const r3 = await client(c);
    expect(await r3.get('z')).toBe('3');
    expect(Number(await r3.lastsave())).toBeGreaterThan(0);
    r3.disconnect();
  });

  it('answers -MISCONF to writes after a failed background save', async () => {
    const a = await start(['--save', '3600 1', '--appendonly', 'no']);
    fs.mkdirSync(path.join(a.dir, 'dump.rdb')); // rename over a directory fails
    const r = await client(a);
    await r.set('x', '1');
    await r.bgsave();
    await waitInfo(r, 'rdb_last_bgsave_status', 'err');
    await expect(r.set('y', '2')).rejects.toThrow(/^MISCONF/);
    expect(await r.get('x')).toBe('1');
    fs.rmdirSync(path.join(a.dir, 'dump.rdb'));
    expect(await r.save()).toBe('OK');
    expect(await r.set('y', '2')).toBe('OK');
    r.disconnect();
  });

  it('refuses to start on a bad RDB checksum', async () => {
    const a = await start(['--save', '', '--appendonly', 'no']);
    const r = await client(a);
    await writeKeys(r, 100);
    await r.save();
    r.disconnect();
    await a.stop('SIGKILL');
    const file = path.join(a.dir, 'dump.rdb');
    const buf = fs.readFileSync(file);
    buf[buf.length - 20] ^= 0xff;
    fs.writeFileSync(file, buf);
    const b = await start(['--save', '', '--appendonly', 'no'], { dir: a.dir, expectExit: true });
    expect(await b.stop('SIGCONT')).toBe(1);
    expect(b.output()).toMatch(/checksum/i);
  });
});

/**
 * A dataset made once and copied into a fresh dir for each test that starts from it: the
 * tests that need 100k–300k keys share the writing (seconds each) where only the files matter.
 */
function sharedDataset(flags: string[], n: number, value: (i: number) => string, save: (r: Redis) => Promise<unknown>): () => Promise<string> {
  let made: Promise<string> | null = null;
  const make = async (): Promise<string> => {
    const a = await start(flags, { dir: tempDir() });
    await fillKeys(a.port, n, value);
    const r = await client(a);
    await save(r);
    r.disconnect();
    await a.stop('SIGKILL');
    return a.dir;
  };
  return async () => {
    const from = await (made ??= make());
    const dir = tempDir();
    fs.cpSync(from, dir, { recursive: true });
    return dir;
  };
}

const RDB_ONLY = ['--save', '', '--appendonly', 'no'];
/** 100k keys in dump.rdb; SAVE and BGSAVE are killed on it */
const rdb100k = sharedDataset(RDB_ONLY, 100_000, () => 'x'.repeat(50), (r) => r.save());
/** 300k keys in dump.rdb (its load takes long enough to be caught loading) */
const rdb300k = sharedDataset(RDB_ONLY, 300_000, (i) => `${i}:${'x'.repeat(100)}`, (r) => r.save());

describe('crash safety', () => {
  // A SIGKILL at any moment of SAVE, BGSAVE or a rewrite leaves a directory that loads.
  it.each([
    ['BGSAVE', RDB_ONLY, 'BGSAVE'],
    ['SAVE', RDB_ONLY, 'SAVE'],
    ['BGREWRITEAOF', AOF('everysec'), 'BGREWRITEAOF'],
  ])('SIGKILL during %s', async (_name, flags, command) => {
    let dir: string;
    if (command === 'BGREWRITEAOF') {
      const a = await start(flags, { dir: tempDir() });
      await fillKeys(a.port, 100_000, () => 'x'.repeat(50));
      await a.stop('SIGKILL');
      dir = a.dir;
    } else dir = await rdb100k();
    for (const delay of [0, 5, 20, 60]) {
      const s = await start(flags, { dir });
      void rawExchange(s.port, `${command}\r\n`, 1000);
      await new Promise((res) => setTimeout(res, delay));
      await s.stop('SIGKILL');
      const t = await start(flags, { dir });
      const rt = await client(t);
      expect(await rt.dbsize()).toBe(100_000);
      rt.disconnect();
      await t.stop('SIGKILL');
    }
  });
});

/** Probes until +PONG; true when some probe on the way got -LOADING. */
async function sawLoadingThenReady(port: number): Promise<boolean> {
  let sawLoading = false;
  for (let i = 0; i < 20_000; i++) {
    const reply = await probe(port);
    if (reply.startsWith('-LOADING')) sawLoading = true;
    if (reply.startsWith('+PONG')) break;
  }
  return sawLoading;
}

/** One PING on a fresh connection: its first reply line, or '' when refused. */
function probe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => (s.destroy(), resolve(d.toString())));
    s.once('error', () => setTimeout(() => resolve(''), 1));
  });
}

describe('loading', () => {
  it('answers -LOADING while a large AOF loads, then serves', async () => {
    const a = await start(AOF('no'));
    await fillKeys(a.port, 300_000, () => 'x'.repeat(20));
    await a.stop('SIGKILL');
    const b = await start(AOF('no'), { dir: a.dir, expectExit: true });
    expect(await sawLoadingThenReady(b.port)).toBe(true);
    const r2 = await client(b);
    expect(await r2.dbsize()).toBe(300_000);
    r2.disconnect();
    await b.stop();
  });

  it('answers -LOADING while a large RDB loads, then serves', async () => {
    const b = await start(RDB_ONLY, { dir: await rdb300k(), expectExit: true });
    expect(await sawLoadingThenReady(b.port)).toBe(true);
    const r2 = await client(b);
    expect(await r2.dbsize()).toBe(300_000);
    expect(await r2.get('k299999')).toBe(`299999:${'x'.repeat(100)}`);
    r2.disconnect();
    expect(b.output()).toMatch(/DB loaded from disk/);
    await b.stop();
  });
});

describe.skipIf(!hasBinary('redis-server') || !hasBinary('redis-check-aof'))('interop with redis-server 7 (skipped: redis-server/redis-tools not installed)', () => {
  for (const preamble of ['yes', 'no']) {
    it(`redis-check-aof accepts our AOF and redis-server loads it (aof-use-rdb-preamble ${preamble})`, async () => {
      const flags = [...AOF('always'), '--aof-use-rdb-preamble', preamble];
      const a = await start(flags);
      const r = await client(a);
      await writeKeys(r, 300);
      await r.rpush('l', 'a', 'b');
      await r.zadd('z', 1.5, 'm');
      await r.set('t', 'v', 'EX', 500);
      await r.bgrewriteaof();
      await waitInfo(r, 'aof_rewrite_in_progress', '0');
      await r.sadd('s', 'x', 'y');
      await r.hset('h', 'f', 'v');
      r.disconnect();
      await a.stop('SIGKILL');
      const check = execFileSync('redis-check-aof', [path.join(a.dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'utf8' });
      expect(check).toMatch(/All AOF files and manifest are valid/);
      const b = await start(flags, { dir: a.dir, binary: 'redis' });
      const r2 = await client(b);
      expect(await r2.dbsize()).toBe(305);
      expect(await r2.lrange('l', 0, -1)).toEqual(['a', 'b']);
      expect(Number(await r2.zscore('z', 'm'))).toBe(1.5);
      expect((await r2.smembers('s')).sort()).toEqual(['x', 'y']);
      expect(await r2.hget('h', 'f')).toBe('v');
      expect(await r2.ttl('t')).toBeGreaterThan(400);
      r2.disconnect();
    });
  }

  it("loads redis-server's appendonlydir with the same contents", async () => {
    const flags = AOF('always');
    const a = await start(flags, { binary: 'redis' });
    const r = await client(a);
    await writeKeys(r, 300);
    await r.rpush('l', 'a', 'b');
    await r.hset('h', 'f', 'v');
    await r.bgrewriteaof();
    await new Promise((res) => setTimeout(res, 500));
    await r.sadd('s', 'x');
    await r.set('t', 'v', 'EX', 500);
    r.disconnect();
    await a.stop('SIGTERM');
    const b = await start(flags, { dir: a.dir });
    const r2 = await client(b);
    expect(await r2.dbsize()).toBe(304);
    expect(await r2.get('k7')).toBe('v7');
    expect(await r2.lrange('l', 0, -1)).toEqual(['a', 'b']);
    expect(await r2.ttl('t')).toBeGreaterThan(400);
    r2.disconnect();
  });
});

describe('shutdown while loading', () => {
  it('SIGTERM during a load never saves a partial dataset over dump.rdb', async () => {
    const flags = ['--save', '3600 1', '--appendonly', 'no'];
    const dir = await rdb300k();
    const b = await start(flags, { dir, expectExit: true });
    let loading = false;
    for (let i = 0; i < 20_000 && !loading; i++) loading = (await probe(b.port)).startsWith('-LOADING');
    expect(loading).toBe(true); // the SIGTERM lands mid-load
    expect(await b.stop('SIGTERM')).toBe(0);
    const c = await start(flags, { dir });
    const r2 = await client(c);
    expect(await r2.dbsize()).toBe(300_000);
    r2.disconnect();
  });
});

describe('one snapshot at a time', () => {
  it('schedules BGREWRITEAOF during BGSAVE and BGSAVE SCHEDULE during a rewrite', async () => {
    const a = await start(['--save', '', ...AOF('everysec').slice(2)]);
    await fillKeys(a.port, 100_000, (i) => `v${i}`);
    const r = await client(a);
    const p = r.pipeline();
    p.bgsave();
    p.bgrewriteaof();
    const replies = await p.exec();
    expect(replies!.map(([, v]) => v)).toEqual(['Background saving started', 'Background append only file rewriting scheduled']);
    await waitInfo(r, 'rdb_bgsave_in_progress', '0');
    for (let i = 0; i < 100 && !/aof_rewrites:1/.test(await r.info('persistence')); i++) await new Promise((res) => setTimeout(res, 50));
    expect(await r.info('persistence')).toMatch(/aof_rewrites:1/);
    const q = r.pipeline();
    q.bgrewriteaof();
    q.bgsave('SCHEDULE');
    const replies2 = await q.exec();
    expect(replies2![1]![1]).toMatch(/Background saving (scheduled|started)/);
    await waitInfo(r, 'aof_rewrite_in_progress', '0');
    for (let i = 0; i < 100 && !/rdb_saves:2/.test(await r.info('persistence')); i++) await new Promise((res) => setTimeout(res, 50));
    expect(await r.info('persistence')).toMatch(/rdb_saves:2/);
    r.disconnect();
  });
});

/** Every key's type, contents (order-free where the type has no order) and whether it has a TTL. */
async function fingerprint(r: Redis): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const k of (await r.keys('*')).sort()) {
    const type = await r.type(k);
    const ttl = (await r.pttl(k)) > 0;
    let v: unknown;
    if (type === 'string') v = await r.get(k);
    else if (type === 'list') v = await r.lrange(k, 0, -1);
    else if (type === 'set') v = (await r.smembers(k)).sort();
    else if (type === 'hash') v = Object.entries(await r.hgetall(k)).sort();
    else v = await r.zrange(k, 0, -1, 'WITHSCORES');
    out[k] = { type, ttl, v };
  }
  return out;
}

describe('the newer commands in the files', () => {
  /** Writes with every newer command family, a served blocking pop and an expired key. */
  async function newerWrites(r: Redis, r2: Redis): Promise<void> {
    await r.rpush('l1', 'a', 'b', 'c', 'd', 'e');
    await r.lmove('l1', 'l2', 'LEFT', 'RIGHT');
    await r.rpoplpush('l1', 'l2');
    await r.linsert('l2', 'BEFORE', 'a', 'X');
    await r.call('LMPOP', '1', 'l1', 'RIGHT', 'COUNT', '1');
    await r.blpop('l2', 0);
    const served = r2.brpop('waitq', 0);
    await new Promise((res) => setTimeout(res, 50));
    await r.rpush('waitq', 'v1', 'v2');
    expect(await served).toEqual(['waitq', 'v2']);
    await r.sadd('s1', '1', '2', '3', 'x');
    await r.sadd('s2', '3', '4');
    await r.sunionstore('s3', 's1', 's2');
    await r.smove('s1', 's2', '1');
    await r.sinterstore('s4', 's1', 's2');
    await r.sdiffstore('s5', 's1', 's2');
    await r.zadd('z1', 1, 'a', 2, 'b', 3, 'c', 4.5, 'd');
    await r.zadd('z2', 10, 'b', 20, 'q');
    await r.zunionstore('z3', 2, 'z1', 'z2', 'WEIGHTS', 2, 1);
    await r.zinterstore('z4', 2, 'z1', 'z2', 'AGGREGATE', 'MAX');
    await r.call('ZRANGESTORE', 'z5', 'z3', '1', '3');
    await r.zpopmin('z1');
    await r.zremrangebyscore('z3', '-inf', '2');
    await r.bzpopmax('z2', 0);
    await r.call('ZMPOP', '1', 'z1', 'MAX', 'COUNT', '1');
    for (let i = 0; i < 3; i++) await r.hincrbyfloat('h', 'f', '0.1');
    await r.set('a', '1');
    await r.copy('a', 'a2');
    await r.expire('a2', 1000);
    await r.expire('a2', 2000, 'GT');
    await r.call('RESTORE', 'rs', '100000', (await r.dumpBuffer('l2'))!);
    await r.sort('l2', 'ALPHA', 'STORE', 'sorted');
    await r.set('ex', 'v', 'PX', 100);
    await new Promise((res) => setTimeout(res, 400)); // expired by the server: a DEL in the AOF
  }

  it('survive SIGKILL + AOF replay, an AOF rewrite and an RDB save, and redis-server reads them equal', async () => {
    const flags = AOF('always');
    const a = await start(flags);
    const [r, r2] = await Promise.all([client(a), client(a)]);
    await newerWrites(r, r2);
    const want = await fingerprint(r);
    expect(Object.keys(want)).not.toContain('ex');
    expect(Object.keys(want).length).toBeGreaterThan(15);
    r.disconnect();
    r2.disconnect();
    await a.stop('SIGKILL');
    // The AOF holds the deterministic, non-blocking effects, and the server's expiry as a DEL.
    const aof = incrText(a.dir);
    expect(aof).not.toMatch(/\r\n(BLPOP|BRPOP|BZPOPMAX|LMPOP|ZMPOP|HINCRBYFLOAT)\r\n/i);
    expect(aof).toMatch(/\r\nDEL\r\n\$2\r\nex\r\n/);
    expect(aof).toMatch(/\r\nRESTORE\r\n[^]*ABSTTL\r\n/);

    const b = await start(flags, { dir: a.dir });
    const rb = await client(b);
    expect(await fingerprint(rb)).toEqual(want);
    await rb.bgrewriteaof();
    await waitInfo(rb, 'aof_rewrite_in_progress', '0');
    await rb.save();
    rb.disconnect();
    await b.stop('SIGKILL');

    const c = await start(flags, { dir: a.dir });
    const rc = await client(c);
    expect(await fingerprint(rc)).toEqual(want);
    rc.disconnect();
    await c.stop('SIGKILL');

    const d = await start(['--save', '', '--appendonly', 'no'], { dir: a.dir });
    const rd = await client(d);
    expect(await fingerprint(rd)).toEqual(want);
    rd.disconnect();
    await d.stop('SIGKILL');

    if (hasBinary('redis-server')) {
      const e = await start(flags, { dir: a.dir, binary: 'redis' });
      const re = await client(e);
      expect(await fingerprint(re)).toEqual(want);
      re.disconnect();
    }
  });
});
