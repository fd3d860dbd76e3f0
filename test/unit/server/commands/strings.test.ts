import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { harness } from './harness.js';

const NOW = 1_700_000_000_000;

describe('string commands', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('SET / GET, RESP2 and RESP3 nulls', () => {
    const h = harness(2);
    expect(h.run('SET', 'k', 'v')).toBe('+OK\r\n');
    expect(h.run('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(h.run('GET', 'nope')).toBe('$-1\r\n');
    expect(harness(3).run('GET', 'nope')).toBe('_\r\n');
    h.run('RPUSH', 'l', 'x');
    expect(h.run('GET', 'l')).toMatch(/^-WRONGTYPE /);
  });

  it('SET options and their errors', () => {
    const h = harness();
    expect(h.call('SET', 'k', 'v', 'NX')).toBe('OK');
    expect(h.call('SET', 'k', 'w', 'NX')).toBe(null);
    expect(h.call('SET', 'zz', 'w', 'XX')).toBe(null);
    expect(h.call('SET', 'k', 'w', 'XX', 'GET')).toBe('v');
    expect(h.call('SET', 'k', 'x', 'NX', 'GET')).toBe('w'); // not set, old value returned
    expect(h.call('GET', 'k')).toBe('w');
    expect(h.call('SET', 'k', 'v', 'NX', 'XX')).toEqual({ err: 'ERR syntax error' });
    expect(h.call('SET', 'k', 'v', 'EX')).toEqual({ err: 'ERR syntax error' });
    expect(h.call('SET', 'k', 'v', 'EX', '1', 'PX', '1')).toEqual({ err: 'ERR syntax error' });
    expect(h.call('SET', 'k', 'v', 'KEEPTTL', 'EX', '1')).toEqual({ err: 'ERR syntax error' });
    expect(h.call('SET', 'k', 'v', 'EX', 'x')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(h.call('SET', 'k', 'v', 'EX', '0')).toEqual({ err: "ERR invalid expire time in 'set' command" });
    expect(h.call('SET', 'k', 'v', 'PXAT', '-1')).toEqual({ err: "ERR invalid expire time in 'set' command" });
    expect(h.call('SETEX', 'k', '0', 'v')).toEqual({ err: "ERR invalid expire time in 'setex' command" });
    expect(h.call('PSETEX', 'k', '0', 'v')).toEqual({ err: "ERR invalid expire time in 'psetex' command" });
    expect(h.call('GET', 'k')).toBe('w');
  });

  it('propagates expiring SETs as SET key value PXAT <absolute ms>', () => {
    const h = harness();
    h.run('SET', 'k', 'v', 'EX', '10');
    expect(h.lastPropagated).toEqual([['SET', 'k', 'v', 'PXAT', String(NOW + 10_000)]]);
    expect(h.ks.getExpire('k')).toBe(NOW + 10_000);
    h.run('SET', 'k', 'v', 'PX', '1500', 'GET');
    expect(h.lastPropagated).toEqual([['SET', 'k', 'v', 'PXAT', String(NOW + 1500)]]);
    h.run('SET', 'k', 'v', 'EXAT', '1800000000');
    expect(h.lastPropagated).toEqual([['SET', 'k', 'v', 'PXAT', '1800000000000']]);
    h.run('SETEX', 'k', '5', 'v2');
    expect(h.lastPropagated).toEqual([['SET', 'k', 'v2', 'PXAT', String(NOW + 5000)]]);
    h.run('PSETEX', 'k', '5', 'v3');
    expect(h.lastPropagated).toEqual([['SET', 'k', 'v3', 'PXAT', String(NOW + 5)]]);
    // GET is dropped; KEEPTTL kept.
    h.run('SET', 'k', 'v4', 'GET', 'KEEPTTL', 'get');
    expect(h.lastPropagated).toEqual([['SET', 'k', 'v4', 'KEEPTTL']]);
    expect(h.ks.getExpire('k')).toBe(NOW + 5);
    h.run('SET', 'k', 'v5');
    expect(h.ks.getExpire('k')).toBeUndefined();
    expect(h.lastPropagated).toEqual([['SET', 'k', 'v5']]);
  });

  it('expired keys read as missing', () => {
    const h = harness();
    h.run('SET', 'k', 'v', 'PX', '100');
    vi.setSystemTime(NOW + 100);
    expect(h.call('GET', 'k')).toBe(null);
    expect(h.ks.data.has('k')).toBe(false);
  });

  it('no-op writes leave the keyspace untouched', () => {
    const h = harness();
    h.run('SET', 'k', 'v');
    const d = h.ks.dirty;
    for (const argv of [['SETNX', 'k', 'x'], ['SET', 'k', 'x', 'NX'], ['SET', 'zz', 'x', 'XX'], ['GETDEL', 'zz'], ['INCR', 'k'], ['SET', 'k', 'v', 'EX', '0']]) {
      h.run(...argv);
      expect(h.lastPropagated, argv.join(' ')).toEqual([]);
    }
    expect(h.ks.dirty).toBe(d);
  });

  it('MSET / MGET / SETNX / GETSET / GETDEL', () => {
    const h = harness();
    expect(h.call('MSET', 'a', '1', 'b')).toEqual({ err: "ERR wrong number of arguments for 'mset' command" });
    expect(h.call('MSET', 'a', '1', 'b', '2')).toBe('OK');
    h.run('SADD', 's', 'm');
    expect(h.call('MGET', 'a', 's', 'zz', 'b')).toEqual(['1', null, null, '2']);
    expect(h.call('SETNX', 'a', 'x')).toBe(0);
    expect(h.call('SETNX', 'c', 'x')).toBe(1);
    h.run('EXPIRE', 'c', '100');
    expect(h.call('GETSET', 'c', 'y')).toBe('x');
    expect(h.ks.getExpire('c')).toBeUndefined(); // GETSET clears the TTL
    expect(h.lastPropagated).toEqual([['SET', 'c', 'y']]);
    expect(h.call('GETDEL', 'c')).toBe('y');
    expect(h.lastPropagated).toEqual([['DEL', 'c']]);
    expect(h.call('GETDEL', 's')).toMatchObject({ err: expect.stringMatching(/^WRONGTYPE/) });
  });

  it('INCR family: errors, TTL kept, 2^53 limit', () => {
    const h = harness();
    expect(h.call('INCR', 'n')).toBe(1);
    expect(h.call('INCRBY', 'n', '10')).toBe(11);
    expect(h.call('DECRBY', 'n', '20')).toBe(-9);
    expect(h.call('DECR', 'n')).toBe(-10);
    expect(h.lastPropagated).toEqual([['DECR', 'n']]);
    h.run('EXPIRE', 'n', '100');
    h.run('INCR', 'n');
    expect(h.ks.getExpire('n')).toBe(NOW + 100_000);
    expect(h.call('INCRBY', 'n', '1.5')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(h.call('INCRBY', 'n', ' 1')).toEqual({ err: 'ERR value is not an integer or out of range' });
    h.run('SET', 's', 'abc');
    expect(h.call('INCR', 's')).toEqual({ err: 'ERR value is not an integer or out of range' });
    h.run('SET', 'big', String(Number.MAX_SAFE_INTEGER - 1));
    expect(h.call('INCR', 'big')).toBe(Number.MAX_SAFE_INTEGER);
    expect(h.call('INCR', 'big')).toEqual({ err: 'ERR increment or decrement would overflow' });
    h.run('SET', 'huge', '9223372036854775806');
    expect(h.call('INCR', 'huge')).toEqual({ err: 'ERR value is not an integer or out of range' });
  });

  it('APPEND / STRLEN', () => {
    const h = harness();
    expect(h.call('APPEND', 'k', 'ab')).toBe(2);
    h.run('EXPIRE', 'k', '100');
    expect(h.call('APPEND', 'k', 'c\xff')).toBe(4);
    expect(h.ks.getExpire('k')).toBe(NOW + 100_000);
    expect(h.call('STRLEN', 'k')).toBe(4);
    expect(h.call('STRLEN', 'zz')).toBe(0);
  });

  it('GETEX: expiry options, propagated as PEXPIREAT / PERSIST / DEL, nothing for a plain read', () => {
    const h = harness();
    expect(h.call('GETEX', 'zz', 'EX', 'x')).toBe(null); // missing key wins over a bad time
    h.run('SET', 'k', 'v');
    expect(h.call('GETEX', 'k')).toBe('v');
    expect(h.lastPropagated).toEqual([]);
    expect(h.call('GETEX', 'k', 'EX', '10')).toBe('v');
    expect(h.ks.getExpire('k')).toBe(NOW + 10_000);
    expect(h.lastPropagated).toEqual([['PEXPIREAT', 'k', String(NOW + 10_000)]]);
    expect(h.call('GETEX', 'k', 'PERSIST')).toBe('v');
    expect(h.ks.getExpire('k')).toBe(undefined);
    expect(h.lastPropagated).toEqual([['PERSIST', 'k']]);
    h.run('GETEX', 'k', 'PERSIST');
    expect(h.lastPropagated).toEqual([]); // no TTL to remove: not a write
    expect(h.call('GETEX', 'k', 'PXAT', String(NOW))).toBe('v');
    expect(h.lastPropagated).toEqual([['DEL', 'k']]);
    expect(h.call('EXISTS', 'k')).toBe(0);
    h.run('SET', 'k', 'v');
    expect(h.call('GETEX', 'k', 'EX', '1', 'PERSIST')).toEqual({ err: 'ERR syntax error' });
    expect(h.call('GETEX', 'k', 'EX', '0')).toEqual({ err: "ERR invalid expire time in 'getex' command" });
    h.run('RPUSH', 'l', 'x');
    expect(h.call('GETEX', 'l')).toEqual({ err: 'WRONGTYPE Operation against a key holding the wrong kind of value' });
  });

  it('GETRANGE / SUBSTR: inclusive, negative from the end, empty bulk when out of range', () => {
    const h = harness(3);
    h.run('SET', 's', 'This is a string');
    expect(h.call('GETRANGE', 's', '0', '3')).toBe('This');
    expect(h.call('GETRANGE', 's', '-3', '-1')).toBe('ing');
    expect(h.call('SUBSTR', 's', '10', '100')).toBe('string');
    expect(h.run('GETRANGE', 's', '5', '2')).toBe('$0\r\n\r\n');
    expect(h.run('GETRANGE', 'zz', '0', '1')).toBe('$0\r\n\r\n'); // not a null, even in RESP3
    expect(h.call('GETRANGE', 's', '0', '9223372036854775807')).toBe('This is a string');
  });

  it('SETRANGE: zero padding, TTL kept, size limit, empty value writes nothing', () => {
    const h = harness();
    expect(h.call('SETRANGE', 'r', '3', 'ab')).toBe(5);
    expect(h.call('GET', 'r')).toBe('\0\0\0ab');
    h.run('EXPIRE', 'r', '100');
    expect(h.call('SETRANGE', 'r', '1', 'XYZW')).toBe(5);
    expect(h.call('GET', 'r')).toBe('\0XYZW');
    expect(h.ks.getExpire('r')).toBe(NOW + 100_000);
    expect(h.call('SETRANGE', 'zz', '3', '')).toBe(0);
    expect(h.lastPropagated).toEqual([]);
    expect(h.call('EXISTS', 'zz')).toBe(0);
    expect(h.call('SETRANGE', 'r', '-1', 'x')).toEqual({ err: 'ERR offset is out of range' });
    expect(h.call('SETRANGE', 'r', '536870912', 'x')).toEqual({ err: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)' });
  });

  it('INCRBYFLOAT: long double results, propagated as SET ... KEEPTTL', () => {
    const h = harness();
    h.run('SET', 'f', '0.1', 'EX', '100');
    expect(h.call('INCRBYFLOAT', 'f', '0.2')).toBe('0.3');
    expect(h.lastPropagated).toEqual([['SET', 'f', '0.3', 'KEEPTTL']]);
    expect(h.ks.getExpire('f')).toBe(NOW + 100_000);
    expect(h.call('INCRBYFLOAT', 'new', '5.0e3')).toBe('5000');
    expect(h.call('INCRBYFLOAT', 'f', 'x')).toEqual({ err: 'ERR value is not a valid float' });
    expect(h.call('INCRBYFLOAT', 'f', 'inf')).toEqual({ err: 'ERR increment would produce NaN or Infinity' });
    h.run('SET', 's', 'abc');
    expect(h.call('INCRBYFLOAT', 's', '1')).toEqual({ err: 'ERR value is not a valid float' });
  });

  it('MSETNX: all or nothing', () => {
    const h = harness();
    expect(h.call('MSETNX', 'a', '1', 'b', '2')).toBe(1);
    expect(h.call('MSETNX', 'b', 'x', 'c', '3')).toBe(0);
    expect(h.call('MGET', 'a', 'b', 'c')).toEqual(['1', '2', null]);
    expect(h.call('MSETNX', 'a')).toEqual({ err: "ERR wrong number of arguments for 'msetnx' command" });
  });

  it('LCS: string, LEN, IDX with MINMATCHLEN / WITHMATCHLEN', () => {
    const h = harness();
    h.run('SET', 'a', 'ohmytext');
    h.run('SET', 'b', 'mynewtext');
    expect(h.call('LCS', 'a', 'b')).toBe('mytext');
    expect(h.call('LCS', 'a', 'b', 'LEN')).toBe(6);
    expect(h.call('LCS', 'a', 'b', 'IDX')).toEqual(['matches', [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], 'len', 6]);
    expect(h.call('LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN')).toEqual(['matches', [[[4, 7], [5, 8], 4]], 'len', 6]);
    expect(h.call('LCS', 'a', 'zz')).toBe('');
    expect(h.call('LCS', 'a', 'b', 'LEN', 'IDX')).toEqual({ err: 'ERR If you want both the length and indexes, please just use IDX.' });
    h.run('RPUSH', 'l', 'x');
    expect(h.call('LCS', 'a', 'l')).toEqual({ err: 'ERR The specified keys must contain string values' });
  });

  it('checks arity like the server', () => {
    const h = harness();
    expect(h.run('GET')).toBe("-ERR wrong number of arguments for 'get' command\r\n");
    expect(h.run('SET', 'k')).toBe("-ERR wrong number of arguments for 'set' command\r\n");
    expect(h.run('MGET')).toBe("-ERR wrong number of arguments for 'mget' command\r\n");
  });
});
