/**
 * OBJECT IDLETIME, ENCODING and REFCOUNT from outside, side by side with redis-server 7.0:
 * the built-in server's access clock (cron-cached seconds, stamped by reads and writes but
 * not by EXISTS/TYPE/TTL/OBJECT/SCAN/DEL, shared by the keys holding one small integer,
 * set by RESTORE IDLETIME, carried by RENAME and MOVE) and the encodings a restart from
 * the AOF or the RDB gives back.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { hasBinary } from '../helpers/spawn-server.js';
import { serversPerTest } from '../helpers/test-servers.js';

const hasRedis = hasBinary('redis-server');

const { start, client } = serversPerTest();

async function pair(args: string[]): Promise<Redis[]> {
  const servers = await Promise.all([start(args), start(args, { binary: 'redis' })]);
  return Promise.all(servers.map((s) => client(s)));
}

type Arg = string | Buffer;

/** A reply, errors as text, so both servers' answers compare as values. */
function call(r: Redis, argv: Arg[]): Promise<unknown> {
  return r.call(String(argv[0]), ...argv.slice(1)).then(
    (v) => (Buffer.isBuffer(v) ? v.toString('latin1') : v),
    (e: Error) => `-${e.message}`,
  );
}

/**
 * Waits until the middle of a second `ahead` seconds on: both servers' cached clocks (each
 * refreshed every 100 ms by its own cron) then agree on the second.
 */
async function midSecond(ahead = 0): Promise<void> {
  const now = Date.now();
  await new Promise((r) => setTimeout(r, (Math.floor(now / 1000) + 1 + ahead) * 1000 + 500 - now));
}

async function both(rs: Redis[], argv: Arg[]): Promise<[unknown, unknown]> {
  const [ours, real] = await Promise.all(rs.map((r) => call(r, argv)));
  return [ours, real];
}

describe.skipIf(!hasRedis)('OBJECT IDLETIME, ENCODING, REFCOUNT against redis-server 7.0', () => {
  it('stamps the access clock where redis-server does', { timeout: 30_000 }, async () => {
    const rs = await pair(['--save', '', '--appendonly', 'no']);
    const replies: Array<[string, unknown, unknown]> = [];
    const run = async (steps: Arg[][]) => {
      for (const argv of steps) {
        const at = Date.now() % 1000;
        const [ours, real] = await both(rs, argv);
        // Each server's clock is refreshed by its own cron (every 100 ms): a batch that runs
        // into the next second (a loaded machine) may catch one of them a tick late.
        const edge = (at < 150 || Date.now() % 1000 < 150) && typeof ours === 'number' && Math.abs(ours - (real as number)) === 1;
        replies.push([argv.join(' '), edge ? real : ours, real]);
      }
    };
    const idle = (...keys: string[]): string[][] => keys.map((k) => ['OBJECT', 'IDLETIME', k]);
    const payload = await dumpOf(rs[1]!, 'hello');
    await midSecond();
    await run([
      ['SET', 'a', 'v'], ['SET', 'b', 'v'], ['RPUSH', 'l', 'x'], ['HSET', 'h', 'f', 'v'], ['SET', 'big', '12345'], ['SET', 'e', 'v'],
      // 7777 is a shared object: GET stamps its one clock, which n and m both read.
      ['SET', 'n', '7777'], ['SET', 'm', '7777'], ['GET', 'n'], ['SET', 'c', 'v'], ['SET', 'r', 'v'], ['SET', 'mv', 'v'], ['SET', 'cp', 'v'],
      ['SADD', 's', 'a'], ['ZADD', 'z', '1', 'a'],
    ]);
    await midSecond(1);
    await run([
      // Not stamped: EXISTS, TYPE, TTL, PTTL, EXPIRETIME, OBJECT, SCAN, KEYS, RANDOMKEY.
      ['EXISTS', 'b'], ['TYPE', 'b'], ['TTL', 'b'], ['PTTL', 'b'], ['EXPIRETIME', 'b'], ['OBJECT', 'ENCODING', 'b'], ['OBJECT', 'REFCOUNT', 'b'],
      ['SCAN', '0', 'COUNT', '1000', 'TYPE', 'list'], ['KEYS', 'nomatch*'], ...idle('b'),
      // Stamped: reads, writes, TOUCH, EXPIRE, PERSIST; RENAME and MOVE keep the stamped object.
      ['GET', 'a'], ['TOUCH', 'l'], ['HGET', 'h', 'f'], ['EXPIRE', 'big', '100'], ['PERSIST', 'big'], ['APPEND', 'e', 'x'], ['GET', 'm'],
      ['SISMEMBER', 's', 'a'], ['ZSCORE', 'z', 'a'], ['RENAME', 'r', 'r2'], ['MOVE', 'mv', '1'], ['COPY', 'cp', 'cp2'],
      ...idle('a', 'b', 'l', 'h', 'big', 'e', 'n', 'm', 's', 'z', 'r2', 'cp', 'cp2', 'nokey'), ['OBJECT', 'IDLETIME'], ['OBJECT', 'IDLETIME', 'a', 'b'],
    ]);
    await midSecond();
    await run([
      ...idle('a', 'b', 'l', 'h', 'big', 'e', 'n', 'm', 'c', 's', 'z', 'r2', 'cp', 'cp2'), ['SELECT', '1'], ...idle('mv'), ['SELECT', '0'],
      ['RESTORE', 'x1', '0', payload, 'IDLETIME', '1000'], ['RESTORE', 'x2', '0', payload, 'IDLETIME', '20000000'],
      ['RESTORE', 'x3', '0', payload, 'IDLETIME', '16777215'], ['RESTORE', 'x4', '0', payload, 'IDLETIME', '-1'], ['RESTORE', 'x5', '0', payload, 'FREQ', '3'],
      ['RESTORE', 'x1', '0', payload, 'REPLACE', 'IDLETIME', '50'], ...idle('x1', 'x2', 'x3', 'x4', 'x5'),
    ]);
    const differ = replies.filter(([, ours, real]) => JSON.stringify(ours) !== JSON.stringify(real));
    expect(differ).toEqual([]);
    // The script did see time pass (not all zeros).
    const idles = replies.filter(([c]) => c.startsWith('OBJECT IDLETIME')).map(([, , real]) => real);
    expect(idles).toContain(2);
    expect(idles).toContain(50);
    expect(replies.filter(([c]) => c.startsWith('RESTORE')).map(([, ours]) => ours)).toEqual(['OK', 'OK', 'OK', '-ERR Invalid IDLETIME value, must be >= 0', 'OK', 'OK']);
  });

  it('a restart from the AOF or the RDB gives back the encodings redis-server gives back', { timeout: 30_000 }, async () => {
    const setup: string[][] = [
      ['SET', 'i', '12'], ['APPEND', 'app', '12'], ['APPEND', 'app', '3'], ['INCRBYFLOAT', 'f', '3'], ['SETRANGE', 'sr', '0', 'ab'], ['SET', 'e', 'x'.repeat(44)],
      ['SET', 'cp', '5'], ['COPY', 'cp', 'cp2'], ['HSET', 'h', 'f', 'x'.repeat(65)], ['HSET', 'h', 'f', 'v'], ['SADD', 's', '1', 'a'], ['SREM', 's', 'a'],
      ['ZADD', 'z', '1', 'x'.repeat(65)], ['ZREM', 'z', 'x'.repeat(65)], ['ZADD', 'z', '1', 'a'], ['RPUSH', 'l', 'a'],
    ];
    const keys = ['i', 'app', 'f', 'sr', 'e', 'cp', 'cp2', 'h', 's', 'z', 'l'];
    // appendfsync always: under everysec redis-server may hold writes back while an fsync is slow
    // (replies still go), and the SIGKILL below would lose them.
    for (const args of [['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], ['--save', '', '--appendonly', 'no']]) {
      const servers = await Promise.all([start(args), start(args, { binary: 'redis' })]);
      let rs = await Promise.all(servers.map((s) => client(s)));
      for (const argv of setup) await both(rs, argv);
      const live = await Promise.all(rs.map((r) => Promise.all(keys.map((k) => call(r, ['OBJECT', 'ENCODING', k])))));
      expect(live[0]).toEqual(live[1]);
      if (args[3] === 'no') await Promise.all(rs.map((r) => call(r, ['SAVE'])));
      // SIGKILL: the AOF's writes are in the page cache, the RDB was saved.
      await Promise.all(servers.map((s) => s.stop()));
      const restarted = await Promise.all([start(args, { dir: servers[0]!.dir }), start(args, { dir: servers[1]!.dir, binary: 'redis' })]);
      rs = await Promise.all(restarted.map((s) => client(s)));
      const back = await Promise.all(rs.map((r) => Promise.all(keys.map((k) => call(r, ['OBJECT', 'ENCODING', k])))));
      expect(back[0], args.join(' ')).toEqual(back[1]);
      // Loading re-encodes: the raw and embstr integers come back as redis-server gives them back.
      expect(back[1]).not.toEqual(live[1]);
    }
  });
});

/** A DUMP payload of a string, made by redis-server. */
async function dumpOf(r: Redis, value: string): Promise<Buffer> {
  await r.set('__dump_src', value);
  const p = (await r.callBuffer('DUMP', '__dump_src')) as Buffer;
  await r.del('__dump_src');
  return p;
}
