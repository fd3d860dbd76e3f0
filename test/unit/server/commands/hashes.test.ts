import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';

describe('hash commands', () => {
  it('HSET / HMSET / HGET / HMGET / HLEN / HEXISTS', () => {
    const h = harness();
    expect(h.call('HSET', 'h', 'a', '1', 'b', '2')).toBe(2);
    expect(h.call('HSET', 'h', 'a', '9', 'c', '3')).toBe(1);
    expect(h.call('HSET', 'h', 'a')).toEqual({ err: "ERR wrong number of arguments for 'hset' command" });
    expect(h.call('HMSET', 'h', 'd', '4')).toBe('OK');
    expect(h.call('HGET', 'h', 'a')).toBe('9');
    expect(h.call('HGET', 'h', 'zz')).toBe(null);
    expect(h.call('HMGET', 'h', 'a', 'zz')).toEqual(['9', null]);
    expect(h.call('HMGET', 'zz', 'a')).toEqual([null]);
    expect(h.call('HLEN', 'h')).toBe(4);
    expect(h.call('HEXISTS', 'h', 'b')).toBe(1);
    expect(h.call('HKEYS', 'h')).toEqual(['a', 'b', 'c', 'd']);
    expect(h.call('HVALS', 'h')).toEqual(['9', '2', '3', '4']);
  });

  it('HGETALL: flat array in RESP2, map in RESP3', () => {
    for (const resp of [2, 3] as const) {
      const h = harness(resp);
      h.run('HSET', 'h', 'f', 'v', 'g', 'w');
      const head = resp === 3 ? '%2' : '*4';
      expect(h.run('HGETALL', 'h')).toBe(head + '\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\ng\r\n$1\r\nw\r\n');
      expect(h.run('HGETALL', 'zz')).toBe(resp === 3 ? '%0\r\n' : '*0\r\n');
    }
  });

  it('HDEL deletes emptied hashes; no-op HDEL / HSETNX are not writes', () => {
    const h = harness();
    h.run('HSET', 'h', 'a', '1', 'b', '2');
    const d = h.ks.dirty;
    expect(h.call('HDEL', 'h', 'zz')).toBe(0);
    expect(h.call('HSETNX', 'h', 'a', 'x')).toBe(0);
    expect(h.call('HDEL', 'zz', 'a')).toBe(0);
    expect(h.ks.dirty).toBe(d);
    expect(h.call('HSETNX', 'h', 'c', 'x')).toBe(1);
    expect(h.call('HDEL', 'h', 'a', 'a', 'b', 'c')).toBe(3);
    expect(h.ks.data.has('h')).toBe(false);
  });

  it('HINCRBY', () => {
    const h = harness();
    expect(h.call('HINCRBY', 'h', 'n', '5')).toBe(5);
    expect(h.call('HINCRBY', 'h', 'n', '-7')).toBe(-2);
    expect(h.call('HINCRBY', 'h', 'n', 'x')).toEqual({ err: 'ERR value is not an integer or out of range' });
    h.run('HSET', 'h', 's', 'abc');
    expect(h.call('HINCRBY', 'h', 's', '1')).toEqual({ err: 'ERR hash value is not an integer' });
    h.run('HSET', 'h', 'm', String(Number.MAX_SAFE_INTEGER));
    expect(h.call('HINCRBY', 'h', 'm', '1')).toEqual({ err: 'ERR increment or decrement would overflow' });
  });

  it('WRONGTYPE', () => {
    const h = harness();
    h.run('SET', 's', 'v');
    for (const argv of [['HSET', 's', 'a', 'b'], ['HGET', 's', 'a'], ['HGETALL', 's'], ['HDEL', 's', 'a'], ['HINCRBY', 's', 'a', '1']]) {
      expect(h.run(...argv), argv.join(' ')).toMatch(/^-WRONGTYPE/);
    }
  });
});
