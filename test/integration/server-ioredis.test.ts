import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Spawned, startServer } from '../helpers/spawn-server.js';

// The built-in server driven by the design card's client, in each protocol mode it uses.
let srv: Spawned;
beforeAll(async () => {
  srv = await startServer(['--save', '', '--appendonly', 'no']);
});
afterAll(async () => {
  await srv?.stop();
});

const modes = [
  { name: 'RESP2', opts: { protocol: 2 as const } },
  { name: 'RESP3 (default, legacy mapping)', opts: {} },
  { name: 'RESP3 (resp3 mapping)', opts: { replyMapping: 'resp3' as const } },
];

describe.each(modes)('ioredis over $name', ({ name, opts }) => {
  let r: Redis;
  const p = name.replace(/\W+/g, '_') + ':';
  beforeAll(async () => {
    r = new Redis({ port: srv.port, lazyConnect: true, maxRetriesPerRequest: 0, ...opts });
    await r.connect();
  });
  afterAll(() => r?.disconnect());

  it('strings', async () => {
    expect(await r.set(p + 's', 'v')).toBe('OK');
    expect(await r.get(p + 's')).toBe('v');
    expect(await r.set(p + 's', 'w', 'GET')).toBe('v');
    expect(await r.set(p + 's', 'x', 'NX')).toBeNull();
    expect(await r.set(p + 'e', 'v', 'EX', 100)).toBe('OK');
    expect(await r.ttl(p + 'e')).toBeGreaterThan(98);
    expect(await r.setnx(p + 'n', '1')).toBe(1);
    expect(await r.setex(p + 'x', 50, 'v')).toBe('OK');
    expect(await r.mset(p + 'a', '1', p + 'b', '2')).toBe('OK');
    expect(await r.mget(p + 'a', p + 'b', p + 'missing')).toEqual(['1', '2', null]);
    expect(await r.incr(p + 'a')).toBe(2);
    expect(await r.incrby(p + 'a', 10)).toBe(12);
    expect(await r.decr(p + 'a')).toBe(11);
    expect(await r.decrby(p + 'a', 5)).toBe(6);
    expect(await r.append(p + 'a', 'xy')).toBe(3);
    expect(await r.strlen(p + 'a')).toBe(3);
    expect(await r.getdel(p + 'a')).toBe('6xy');
    await expect(r.incr(p + 's')).rejects.toThrow('ERR value is not an integer or out of range');
    const bin = Buffer.from([0, 255, 13, 10, 128]);
    await r.set(p + 'bin', bin);
    expect(await r.getBuffer(p + 'bin')).toEqual(bin);
  });

  it('keys', async () => {
    await r.set(p + 'k1', '1');
    expect(await r.exists(p + 'k1', p + 'nope')).toBe(1);
    expect(await r.type(p + 'k1')).toBe('string');
    expect(await r.expire(p + 'k1', 100)).toBe(1);
    expect(await r.pexpire(p + 'k1', 100000)).toBe(1);
    expect(await r.pttl(p + 'k1')).toBeGreaterThan(99000);
    expect(await r.persist(p + 'k1')).toBe(1);
    expect(await r.ttl(p + 'k1')).toBe(-1);
    expect(await r.expireat(p + 'k1', Math.floor(Date.now() / 1000) + 100)).toBe(1);
    expect(await r.keys(p + 'k*')).toEqual([p + 'k1']);
    expect(await r.rename(p + 'k1', p + 'k2')).toBe('OK');
    await expect(r.rename(p + 'nope', p + 'x')).rejects.toThrow('ERR no such key');
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', p + '*', 'COUNT', 3);
      keys.forEach((k) => seen.add(k));
      cursor = next;
    } while (cursor !== '0');
    expect(seen.has(p + 'k2')).toBe(true);
    expect(typeof (await r.randomkey())).toBe('string');
    expect(await r.del(p + 'k2', p + 'nope')).toBe(1);
    expect(await r.unlink(p + 'k2')).toBe(0);
    expect(await r.dbsize()).toBeGreaterThan(0);
    await expect(r.get('a', 'b' as never)).rejects.toThrow("ERR wrong number of arguments for 'get' command");
  });

  it('lists', async () => {
    expect(await r.rpush(p + 'l', 'a', 'b', 'c')).toBe(3);
    expect(await r.lpush(p + 'l', 'z')).toBe(4);
    expect(await r.lrange(p + 'l', 0, -1)).toEqual(['z', 'a', 'b', 'c']);
    expect(await r.llen(p + 'l')).toBe(4);
    expect(await r.lindex(p + 'l', -1)).toBe('c');
    expect(await r.lpop(p + 'l')).toBe('z');
    expect(await r.rpop(p + 'l')).toBe('c');
    await expect(r.lpush(p + 's', 'x')).rejects.toThrow('WRONGTYPE');
  });

  it('hashes (a map in RESP3)', async () => {
    expect(await r.hset(p + 'h', 'f1', 'v1', 'f2', 'v2')).toBe(2);
    expect(await r.hget(p + 'h', 'f1')).toBe('v1');
    expect(await r.hmget(p + 'h', 'f1', 'nope')).toEqual(['v1', null]);
    expect(await r.hgetall(p + 'h')).toEqual({ f1: 'v1', f2: 'v2' });
    expect(await r.hlen(p + 'h')).toBe(2);
    expect(await r.hexists(p + 'h', 'f2')).toBe(1);
    expect(await r.hincrby(p + 'h', 'n', 5)).toBe(5);
    expect(await r.hdel(p + 'h', 'f1', 'nope')).toBe(1);
  });

  it('sets and sorted sets', async () => {
    expect(await r.sadd(p + 'set', 'a', 'b', 'a')).toBe(2);
    expect((await r.smembers(p + 'set')).sort()).toEqual(['a', 'b']);
    expect(await r.sismember(p + 'set', 'a')).toBe(1);
    expect(await r.scard(p + 'set')).toBe(2);
    expect(await r.srem(p + 'set', 'a')).toBe(1);
    expect(await r.zadd(p + 'z', 2, 'b', 1, 'a', 1.5, 'c')).toBe(3);
    expect(await r.zrange(p + 'z', 0, -1)).toEqual(['a', 'c', 'b']);
    expect(await r.zcard(p + 'z')).toBe(3);
    expect(await r.zrem(p + 'z', 'c')).toBe(1);
    const score = await r.zscore(p + 'z', 'b');
    expect(Number(score)).toBe(2);
    const ws = await r.zrange(p + 'z', 0, -1, 'WITHSCORES');
    expect(ws.flat().map(String)).toEqual(['a', '1', 'b', '2']);
  });

  it('server commands', async () => {
    expect(await r.ping()).toBe('PONG');
    expect(await r.echo('hi')).toBe('hi');
    const info = await r.info('persistence');
    expect(info).toContain('# Persistence');
    expect(info).toContain('rdb_bgsave_in_progress:0');
    expect(await r.info('keyspace')).toMatch(/db0:keys=\d+,expires=\d+/);
    expect(await r.info()).toMatch(/redis_version:[\d.]+\r\n[\s\S]*process_id:\d+[\s\S]*tcp_port:\d+[\s\S]*connected_clients:\d+[\s\S]*used_memory:\d+[\s\S]*used_memory_rss:\d+[\s\S]*total_commands_processed:\d+[\s\S]*instantaneous_ops_per_sec:\d+/);
    const cfg = (await r.config('GET', 'maxclients')) as unknown;
    expect(JSON.stringify(cfg)).toContain('10000');
    await expect(r.config('SET', 'maxclients', 'abc')).rejects.toThrow('ERR CONFIG SET failed');
    expect(await r.config('RESETSTAT')).toBe('OK');
    expect(await r.command('COUNT')).toBeGreaterThan(50);
    expect(await r.client('SETNAME', 'tester')).toBe('OK');
    expect(await r.client('GETNAME')).toBe('tester');
    expect(typeof (await r.client('ID'))).toBe('number');
    expect(await r.select(0)).toBe('OK');
    const [sec] = await r.time();
    expect(Math.abs(Number(sec) - Date.now() / 1000)).toBeLessThan(5);
    await expect(r.call('NOSUCHCMD', 'a')).rejects.toThrow("ERR unknown command 'NOSUCHCMD', with args beginning with: 'a'");
  });
});

describe('expiry', () => {
  it('expires keys lazily and actively', async () => {
    const r = new Redis({ port: srv.port });
    try {
      await r.set('exp:lazy', 'v', 'PX', 50);
      for (let i = 0; i < 200; i++) await r.set(`exp:active:${i}`, 'v', 'PX', 50);
      await new Promise((res) => setTimeout(res, 400));
      expect(await r.get('exp:lazy')).toBeNull();
      // Never read again: only the active cycle can have removed these.
      const info = await r.info('stats');
      expect(Number(/expired_keys:(\d+)/.exec(info)![1])).toBeGreaterThanOrEqual(150);
    } finally {
      r.disconnect();
    }
  });
});
