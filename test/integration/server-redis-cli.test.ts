import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBinary, type Spawned, startServer } from '../helpers/spawn-server.js';

// The real redis-cli must treat the built-in server as Redis (CI installs redis-tools).
const hasCli = hasBinary('redis-cli');

describe.skipIf(!hasCli)('redis-cli against the built-in server (skipped: redis-cli not on PATH; apt-get install redis-tools)', () => {
  let srv: Spawned;
  beforeAll(async () => {
    srv = await startServer(['--save', '']);
  });
  afterAll(async () => {
    await srv?.stop();
  });

  const cli = (args: string[], resp3 = false) =>
    execFileSync('redis-cli', ['-p', String(srv.port), ...(resp3 ? ['-3', '--no-raw'] : []), ...args], { encoding: 'utf8' }).trim();

  it.each([
    [['SET', 'k', 'v'], 'OK'],
    [['GET', 'k'], 'v'],
    [['GET', 'missing'], ''],
    [['SET', 'k', 'v', 'EX', '100', 'PX', '5'], 'ERR syntax error'],
    [['SET', 'k', 'v', 'EX', '-1'], "ERR invalid expire time in 'set' command"],
    [['INCR', 'k'], 'ERR value is not an integer or out of range'],
    [['GET'], "ERR wrong number of arguments for 'get' command"],
    [['LPUSH', 'k', 'x'], 'WRONGTYPE Operation against a key holding the wrong kind of value'],
    [['RPUSH', 'list', 'a', 'b'], '2'],
    [['LRANGE', 'list', '0', '-1'], 'a\nb'],
    [['HSET', 'h', 'f', 'v'], '1'],
    [['HGETALL', 'h'], 'f\nv'],
    [['SADD', 's', 'm'], '1'],
    [['SMEMBERS', 's'], 'm'],
    [['ZADD', 'z', '1.5', 'a'], '1'],
    [['ZSCORE', 'z', 'a'], '1.5'],
    [['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], 'a\n1.5'],
    [['TYPE', 'z'], 'zset'],
    [['EXPIRE', 'k', '100'], '1'],
    [['TTL', 'k'], '100'],
    [['DBSIZE'], '5'],
    [['PING'], 'PONG'],
    [['ECHO', 'hello'], 'hello'],
    [['SELECT', '15'], 'OK'],
    [['SELECT', '16'], 'ERR DB index is out of range'],
    [['CONFIG', 'GET', 'appendfsync'], 'appendfsync\neverysec'],
    [['NOPE'], "ERR unknown command 'NOPE', with args beginning with:"],
  ])('redis-cli %j', (args, expected) => {
    expect(cli(args)).toBe(expected);
  });

  it('speaks RESP3 after HELLO 3 (redis-cli -3)', () => {
    expect(cli(['HGETALL', 'h'], true)).toBe('1# "f" => "v"');
    expect(cli(['ZSCORE', 'z', 'a'], true)).toBe('(double) 1.5');
    expect(cli(['SMEMBERS', 's'], true)).toBe('1~ "m"');
    expect(cli(['GET', 'missing'], true)).toBe('(nil)');
  });

  it('reads INFO sections', () => {
    const info = cli(['INFO', 'persistence']);
    expect(info).toContain('# Persistence');
    expect(info).toContain('loading:0');
    expect(cli(['INFO', 'stats'])).toContain('latest_fork_usec:');
  });
});
