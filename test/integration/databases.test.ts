/**
 * Several databases end to end, judged from outside and against redis-server 7: a dataset
 * spread over databases with TTLs survives SIGKILL + AOF replay, BGREWRITEAOF (either base
 * kind) and an RDB restart; redis-server's RDB and AOF load into the built-in server and
 * read back equal, and the reverse; redis-check-rdb and redis-check-aof accept our files;
 * the AOF says SELECT where redis-server says it; a BGSAVE and an AOF rewrite taken while a
 * client SWAPDBs, FLUSHDBs and MOVEs are exactly the dataset of their instant.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Databases } from '../../src/server/databases.js';
import { loadRdbInto } from '../../src/server/persistence/rdb/index.js';
import { hasBinary, type Spawned, tempDir } from '../helpers/spawn-server.js';
import { serversPerTest } from '../helpers/test-servers.js';
import { aofCommands, incrText, maskTime } from '../helpers/aof-files.js';

const execFileP = promisify(execFile);
const hasRedis = hasBinary('redis-server') && hasBinary('redis-check-rdb') && hasBinary('redis-check-aof');
const hasChecks = hasBinary('redis-check-rdb') && hasBinary('redis-check-aof');

const { start, client } = serversPerTest();

const AOF = ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];
const RDB_ONLY = ['--save', '', '--appendonly', 'no'];
const FAR = 4_000_000_000_000; // an absolute expiry in ms, years away

/** Every type in several databases (0, 1, 7, 15), some keys with TTLs, the same names in different databases. */
async function writeDataset(s: Spawned, tag = ''): Promise<void> {
  for (const db of [0, 1, 7, 15]) {
    const r = await client(s, db);
    const p = r.pipeline();
    p.set('same', `db${db}${tag}`);
    p.set(`s${db}`, 'x'.repeat(40 + db), 'PXAT', FAR + db);
    p.set(`n${db}`, String(1000 + db));
    p.rpush(`l${db}`, 'a', 'b', String(db));
    p.hset(`h${db}`, 'f', 'v', 'n', String(db));
    p.sadd(`set${db}`, 'm1', 'm2', String(db));
    p.sadd(`iset${db}`, '1', '2', String(db + 3));
    p.zadd(`z${db}`, 1.5, 'a', db, 'b');
    p.pexpireat(`h${db}`, FAR + 100 + db);
    if (db === 7) {
      // a stream with a consumer group and a pending entry, in a database other than 0
      p.call('XADD', 'st', '1-1', 'f', 'v');
      p.call('XADD', 'st', '2-1', 'g', 'w');
      p.call('XGROUP', 'CREATE', 'st', 'grp', '0', 'MKSTREAM');
      p.call('XREADGROUP', 'GROUP', 'grp', 'alice', 'COUNT', '1', 'STREAMS', 'st', '>');
      // a NOACK reader of an entry each call: propagated as XGROUP SETID … ENTRIESREAD, so the
      // incr file after a rewrite carries its counter too
      p.call('XGROUP', 'CREATE', 'st', 'quiet', '0');
      p.call('XADD', 'st', '*', 'n', tag || '1');
      p.call('XREADGROUP', 'GROUP', 'quiet', 'bob', 'NOACK', 'STREAMS', 'st', '>');
    }
    for (let i = 0; i < 50; i++) p.set(`k${db}:${i}`, `v${i}`);
    await p.exec();
  }
}

type Dump = Record<string, unknown>;

/**
 * XINFO GROUPS, without entries-read and lag unless `exact`: compared with the live server
 * that wrote the files, they differ (redis-server 7.0 replaying its own AOF answers
 * entries-read nil, lag 1 where the live server said 1, 1); compared with the other kind
 * of server loading the same files, they must not.
 */
function groupsOf(reply: unknown, exact: boolean): unknown {
  if (exact) return reply;
  return (reply as unknown[][]).map((g) => {
    const out: unknown[] = [];
    for (let i = 0; i < g.length; i += 2) if (g[i] !== 'entries-read' && g[i] !== 'lag') out.push(g[i], g[i + 1]);
    return out;
  });
}

/** The whole dataset as `db:key` → [type, value, absolute expiry or -1], read through the protocol. */
async function readAll(s: Spawned, exactGroups = false): Promise<Dump> {
  const out: Dump = {};
  for (let db = 0; db < 16; db++) {
    const r = await client(s, db);
    const keys = (await r.keys('*')).sort();
    for (const k of keys) {
      const type = await r.type(k);
      const value =
        type === 'string' ? await r.get(k)
        : type === 'list' ? await r.lrange(k, 0, -1)
        : type === 'hash' ? await r.hgetall(k)
        : type === 'set' ? (await r.smembers(k)).sort()
        : type === 'zset' ? await r.zrange(k, 0, -1, 'WITHSCORES')
        : type === 'stream' ? [await r.call('XRANGE', k, '-', '+'), groupsOf(await r.call('XINFO', 'GROUPS', k), exactGroups), await r.call('XPENDING', k, 'grp')]
        : '?';
      out[`${db}:${k}`] = [type, value, await r.call('PEXPIRETIME', k)];
    }
    r.disconnect();
  }
  return out;
}

/** INFO keyspace lines (db3:keys=…,expires=…), avg_ttl left out: it is an estimate on both servers. */
async function keyspaceInfo(s: Spawned): Promise<string[]> {
  const r = await client(s);
  const info = await r.info('keyspace');
  return info
    .split('\r\n')
    .filter((l) => l.startsWith('db'))
    .map((l) => l.replace(/,avg_ttl=\d+/, ''));
}

const aofDir = (s: Spawned) => path.join(s.dir, 'appendonlydir');

async function waitNoRewrite(r: Redis): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const p = await r.info('persistence');
    if (/aof_rewrite_in_progress:0/.test(p) && /aof_rewrite_scheduled:0/.test(p) && /rdb_bgsave_in_progress:0/.test(p)) return;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('a rewrite or save never finished');
}

async function checkAof(s: Spawned): Promise<string> {
  const { stdout } = await execFileP('redis-check-aof', [path.join(aofDir(s), 'appendonly.aof.manifest')]);
  return stdout;
}

/** The commands of an AOF's incr files, timestamps masked: what each server propagated. */
const incrCommands = (s: Spawned): string[] => aofCommands(incrText(s.dir), { select: true }).map((argv) => argv.map(maskTime).join(' '));

describe('several databases survive the built-in server’s own persistence', () => {
  it('SIGKILL + AOF replay, then BGREWRITEAOF with either base, restart after restart', { timeout: 60_000 }, async () => {
    const a = await start(AOF);
    await writeDataset(a);
    const r = await client(a, 7);
    await r.move('k7:1', 3);
    await r.swapdb(1, 2);
    await r.copy('n7', 'n7', 'DB', '9');
    await r.flushdb(); // database 7 only
    const expected = await readAll(a);
    expect(Object.keys(expected).some((k) => k.startsWith('2:'))).toBe(true);
    expect(Object.keys(expected).some((k) => k.startsWith('7:'))).toBe(false);
    const info = await keyspaceInfo(a);
    expect(info).toEqual(['db0:keys=58,expires=2', 'db2:keys=58,expires=2', 'db3:keys=1,expires=0', 'db9:keys=1,expires=0', 'db15:keys=58,expires=2']);
    await a.stop('SIGKILL');

    let b = await start(AOF, { dir: a.dir });
    expect(await readAll(b)).toEqual(expected);
    expect(await keyspaceInfo(b)).toEqual(info);
    for (const preamble of ['yes', 'no']) {
      const rb = await client(b);
      await rb.config('SET', 'aof-use-rdb-preamble', preamble);
      await rb.bgrewriteaof();
      await waitNoRewrite(rb);
      await (await client(b, 15)).set('after', preamble); // lands in the new incr file, after a SELECT
      expected['15:after'] = ['string', preamble, -1];
      expect(await checkAof(b)).toMatch(/is valid/);
      await b.stop('SIGKILL');
      b = await start([...AOF, '--aof-use-rdb-preamble', preamble], { dir: a.dir });
      expect(await readAll(b)).toEqual(expected);
    }
  });

  it('an RDB restart brings every database back, and redis-check-rdb accepts the file', { timeout: 30_000 }, async () => {
    const a = await start(RDB_ONLY);
    await writeDataset(a);
    const expected = await readAll(a);
    const r = await client(a);
    expect(await r.save()).toBe('OK');
    await a.stop('SIGKILL');
    const { stdout } = await execFileP('redis-check-rdb', [path.join(a.dir, 'dump.rdb')]);
    expect(stdout).toMatch(/RDB looks OK/);
    const back = new Databases(16);
    loadRdbInto(fs.readFileSync(path.join(a.dir, 'dump.rdb')), back);
    expect(back.made().filter((d) => d.size > 0).map((d) => d.id)).toEqual([0, 1, 7, 15]);
    const b = await start(RDB_ONLY, { dir: a.dir });
    expect(await readAll(b)).toEqual(expected);
  });

  it('--databases: fewer databases refuse SELECT beyond them, and a file that uses more does not load', { timeout: 30_000 }, async () => {
    const a = await start([...RDB_ONLY, '--databases', '4']);
    const r = await client(a);
    expect(await r.config('GET', 'databases')).toEqual(['databases', '4']);
    await expect(r.select(4)).rejects.toThrow('DB index is out of range');
    await r.select(3);
    await r.set('k', 'v');
    await r.save();
    await a.stop('SIGKILL');
    const wide = await start(RDB_ONLY, { dir: a.dir });
    expect((await readAll(wide))['3:k']).toEqual(['string', 'v', -1]);
    await wide.stop('SIGKILL');
    const narrow = await start([...RDB_ONLY, '--databases', '2'], { dir: a.dir, expectExit: true });
    const code = narrow.proc.exitCode ?? (await new Promise((res) => narrow.proc.once('exit', res)));
    expect(code).not.toBe(0);
    expect(narrow.output()).toMatch(/more than 2 databases/);
  });

  it('a BGSAVE taken while a client SWAPDBs, FLUSHDBs, MOVEs and FLUSHALLs… is the dataset of its instant', { timeout: 60_000 }, async () => {
    const a = await start(RDB_ONLY);
    const r = await client(a);
    const N = 60_000;
    for (const [db, prefix] of [[0, 'a'], [1, 'b'], [2, 'c']] as const) {
      const rc = await client(a, db);
      for (let i = 0; i < N; i += 5000) {
        const p = rc.pipeline();
        for (let j = i; j < i + 5000; j++) p.set(`${prefix}${j}`, `${prefix}-value-${j}`);
        await p.exec();
      }
    }
    await (await client(a, 1)).pexpireat('b7', FAR);
    // In one pipeline: the save starts, then the writes run while it is in progress.
    const p = r.pipeline();
    p.bgsave();
    p.swapdb(0, 1);
    p.info('persistence');
    p.select(2);
    p.move('c5', 5);
    p.set('c6', 'changed');
    p.flushdb();
    p.select(1);
    p.set('a1', 'changed after swap');
    const replies = (await p.exec())!;
    expect(replies[0]![1]).toBe('Background saving started');
    expect(String(replies[2]![1])).toMatch(/rdb_bgsave_in_progress:1/); // SWAPDB ran during the save
    await waitNoRewrite(r);
    const saved = new Databases(16);
    loadRdbInto(fs.readFileSync(path.join(a.dir, 'dump.rdb')), saved);
    expect(saved.made().filter((d) => d.size > 0).map((d) => [d.id, d.size])).toEqual([[0, N], [1, N], [2, N]]);
    expect(saved.get(0).get('a1')).toBe('a-value-1');
    expect(saved.get(1).get('b7')).toBe('b-value-7');
    expect(saved.get(1).getExpire('b7')).toBe(FAR);
    expect(saved.get(2).get('c5')).toBe('c-value-5');
    expect(saved.get(2).get('c6')).toBe('c-value-6');
    // ...while the live server has moved on
    expect(await keyspaceInfo(a)).toEqual([`db0:keys=${N},expires=1`, `db1:keys=${N},expires=0`, 'db5:keys=1,expires=0']);
    // and FLUSHALL during a BGSAVE stops it, as redis-server kills its child
    const q = r.pipeline();
    q.bgsave();
    q.flushall();
    q.info('persistence');
    const after = (await q.exec())!;
    expect(String(after[2]![1])).toMatch(/rdb_bgsave_in_progress:0/);
    expect(fs.readdirSync(a.dir).filter((f) => f.startsWith('temp-'))).toEqual([]);
  });

  it('an AOF rewrite during SWAPDB/FLUSHALL/MOVE: base + new incr is the live dataset after a SIGKILL', { timeout: 60_000 }, async () => {
    const a = await start([...AOF, '--appendfsync', 'everysec']);
    const r = await client(a);
    const N = 40_000;
    for (const [db, prefix] of [[0, 'a'], [3, 'b']] as const) {
      const rc = await client(a, db);
      for (let i = 0; i < N; i += 5000) {
        const p = rc.pipeline();
        for (let j = i; j < i + 5000; j++) p.set(`${prefix}${j}`, `${prefix}-value-${j}`);
        await p.exec();
      }
    }
    const p = r.pipeline();
    p.bgrewriteaof();
    p.swapdb(0, 3);
    p.info('persistence');
    p.move('b1', 9);
    p.select(3);
    p.set('a2', 'changed');
    p.flushall();
    p.set('after-flushall', 'x');
    p.select(9);
    p.set('in9', 'y');
    const replies = (await p.exec())!;
    expect(String(replies[2]![1])).toMatch(/aof_rewrite_in_progress:1/);
    await waitNoRewrite(r);
    const expected = await readAll(a);
    expect(Object.keys(expected).sort()).toEqual(['3:after-flushall', '9:in9']);
    await new Promise((res) => setTimeout(res, 1200)); // everysec: let the last writes be synced
    await a.stop('SIGKILL');
    const b = await start(AOF, { dir: a.dir });
    expect(await readAll(b)).toEqual(expected);
  });
});

describe.skipIf(!hasRedis)('several databases between redis-server 7 and the built-in server', () => {
  /** Starts a server of either kind on `dir`. */
  const server = (kind: 'builtin' | 'redis', args: string[], dir?: string) =>
    start(kind === 'redis' ? ['--daemonize', 'no', '--bind', '127.0.0.1', ...args] : args, { binary: kind, dir });

  /** The dataset with later writes in several databases, then files of both kinds on disk. */
  async function produce(kind: 'builtin' | 'redis'): Promise<{ dir: string; expected: Dump; exact: Dump }> {
    const s = await server(kind, [...AOF, '--aof-use-rdb-preamble', 'yes']);
    await writeDataset(s);
    const r = await client(s);
    await r.bgrewriteaof(); // a base with every database
    await waitNoRewrite(r);
    await writeDataset(s, ':2'); // the incr file, with a SELECT per database
    const r1 = await client(s, 1);
    await r1.move('k1:3', 4);
    await r1.swapdb(7, 8);
    await r.save(); // dump.rdb of the same dataset
    const expected = await readAll(s);
    const exact = await readAll(s, true);
    await s.stop('SIGKILL');
    return { dir: s.dir, expected, exact };
  }

  for (const [from, to] of [['redis', 'builtin'], ['builtin', 'redis']] as const) {
    it(`${from}'s RDB and AOF (several databases, TTLs) load into ${to} and read back equal`, { timeout: 60_000 }, async () => {
      const { dir, expected, exact } = await produce(from);
      expect(Object.keys(expected).some((k) => k.startsWith('8:'))).toBe(true);
      if (from === 'builtin') {
        expect((await execFileP('redis-check-rdb', [path.join(dir, 'dump.rdb')])).stdout).toMatch(/RDB looks OK/);
        expect((await execFileP('redis-check-aof', [path.join(dir, 'appendonlydir', 'appendonly.aof.manifest')])).stdout).toMatch(/is valid/);
      }
      // the AOF (RDB-preamble base + incr with SELECTs), and the same files loaded by the writer's kind
      const copy = (): string => {
        const d = tempDir();
        fs.cpSync(dir, d, { recursive: true });
        return d;
      };
      const viaAof = await server(to, AOF, copy());
      expect(await readAll(viaAof)).toEqual(expected);
      const sameAof = await server(from, AOF, copy());
      expect(await readAll(viaAof, true)).toEqual(await readAll(sameAof, true));
      await Promise.all([viaAof.stop('SIGKILL'), sameAof.stop('SIGKILL')]);
      // the RDB alone
      const rdbDir = tempDir();
      fs.copyFileSync(path.join(dir, 'dump.rdb'), path.join(rdbDir, 'dump.rdb'));
      const viaRdb = await server(to, RDB_ONLY, rdbDir);
      // an RDB keeps entries-read: the load reads back as the live server read
      expect(await readAll(viaRdb, true)).toEqual(exact);
    });
  }

  it('writes SELECT into the AOF exactly where redis-server does (writes, MOVE, SWAPDB, COPY … DB, FLUSH*, expiry, MULTI … EXEC)', { timeout: 30_000 }, async () => {
    const got: Record<string, string[]> = {};
    for (const kind of ['redis', 'builtin'] as const) {
      const s = await server(kind, [...AOF, '--hz', '10']);
      const r0 = await client(s);
      const r2 = await client(s, 2);
      const r3 = await client(s, 3);
      await r0.set('a', '1');
      await r2.set('b', '2');
      await r2.expire('b', 100);
      await r2.move('b', 0);
      await r0.get('a'); // reads propagate nothing
      await r0.set('c', '3');
      await r2.swapdb(0, 2);
      await r2.copy('a', 'a', 'DB', '5');
      await r3.set('short', 'v', 'PX', 50);
      await new Promise((res) => setTimeout(res, 600)); // expired by the cron: a DEL in database 3
      await r2.flushdb();
      await r0.set('d', '4');
      await r3.flushall();
      await r3.set('e', '5');
      // a transaction across databases: SELECT before MULTI, between commands, EXEC in the last one's
      await r0.multi().set('t0', '1').select(6).set('t6', '2').move('t6', 7).exec();
      await r0.set('after', 'x'); // the connection is in database 6 now
      got[kind] = incrCommands(s);
      expect((await execFileP('redis-check-aof', [path.join(aofDir(s), 'appendonly.aof.manifest')])).stdout).toMatch(/is valid/);
    }
    expect(got['builtin']).toEqual(got['redis']);
    expect(got['builtin']!.filter((c) => c.startsWith('SELECT'))).toEqual(['SELECT 0', 'SELECT 2', 'SELECT 0', 'SELECT 2', 'SELECT 3', 'SELECT 2', 'SELECT 0', 'SELECT 3', 'SELECT 0', 'SELECT 6']);
    expect(got['builtin']!.slice(-8)).toEqual(['SELECT 0', 'MULTI', 'set t0 1', 'SELECT 6', 'set t6 2', 'move t6 7', 'EXEC', 'set after x']);
  });
});
