import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';

describe('sorted-set commands', () => {
  it('ZADD flags', () => {
    const h = harness();
    expect(h.call('ZADD', 'z', '1', 'a', '2', 'b')).toBe(2);
    expect(h.call('ZADD', 'z', 'NX', '5', 'a', '3', 'c')).toBe(1);
    expect(h.call('ZSCORE', 'z', 'a')).toBe('1');
    expect(h.call('ZADD', 'z', 'XX', 'CH', '7', 'a', '1', 'new')).toBe(1);
    expect(h.call('ZSCORE', 'z', 'new')).toBe(null);
    expect(h.call('ZADD', 'z', 'GT', 'CH', '1', 'a', '9', 'b')).toBe(1);
    expect(h.call('ZADD', 'z', 'LT', 'CH', '1', 'c')).toBe(1);
    expect(h.call('ZADD', 'z', 'INCR', '2.5', 'a')).toBe('9.5');
    expect(h.call('ZADD', 'z', 'INCR', 'NX', '1', 'a')).toBe(null);
    expect(h.call('ZADD', 'z', 'NX', 'XX', '1', 'a')).toEqual({ err: 'ERR XX and NX options at the same time are not compatible' });
    expect(h.call('ZADD', 'z', 'GT', 'LT', '1', 'a')).toEqual({ err: 'ERR GT, LT, and/or NX options at the same time are not compatible' });
    expect(h.call('ZADD', 'z', 'INCR', '1', 'a', '1', 'b')).toEqual({ err: 'ERR INCR option supports a single increment-element pair' });
    expect(h.call('ZADD', 'z', '1', 'a', '2')).toEqual({ err: 'ERR syntax error' });
    expect(h.call('ZADD', 'z', 'x', 'a')).toEqual({ err: 'ERR value is not a valid float' });
    h.run('ZADD', 'z', 'inf', 'i');
    expect(h.call('ZADD', 'z', 'INCR', '-inf', 'i')).toEqual({ err: 'ERR resulting score is not a number (NaN)' });
  });

  it('ZLEXCOUNT over mixed scores counts as redis-server does instead of crashing', () => {
    const h = harness();
    h.run('ZADD', 'z', '1', 'b', '2', 'a', '3', 'c');
    // the forward walk finds b, the reverse one nothing: redis-server 7.0 answers 2 (b, a)
    expect(h.call('ZLEXCOUNT', 'z', '(a', '(c')).toBe(2);
    expect(h.call('ZLEXCOUNT', 'z', '-', '+')).toBe(3);
    // a skip list (over zset-max-listpack-entries) counts by ranks, as zslLexCount does
    for (let i = 0; i < 200; i++) h.run('ZADD', 's', String(i % 3), `m${String(i).padStart(3, '0')}`);
    expect(h.call('OBJECT', 'ENCODING', 's')).toBe('skiplist');
    // no one answer to check: redis-server 7.0 answered 33 or 100 for the first over three
    // starts on the same 200 ZADDs (its skip list's random levels decide where the descent lands)
    expect(typeof h.call('ZLEXCOUNT', 's', '(m050', '(m150')).toBe('number');
    expect(typeof h.call('ZLEXCOUNT', 's', '[m100', '+')).toBe('number');
  });

  it('no-op ZADDs are not writes', () => {
    const h = harness();
    h.run('ZADD', 'z', '1', 'a');
    const d = h.ks.dirty;
    for (const argv of [['ZADD', 'z', '1', 'a'], ['ZADD', 'z', 'NX', '2', 'a'], ['ZADD', 'z', 'XX', '2', 'b'], ['ZADD', 'z', 'GT', '0', 'a'], ['ZADD', 'zz', 'XX', '1', 'a'], ['ZREM', 'z', 'q']]) {
      h.run(...argv);
      expect(h.lastPropagated, argv.join(' ')).toEqual([]);
    }
    expect(h.ks.dirty).toBe(d);
    expect(h.ks.data.has('zz')).toBe(false);
  });

  it('ZRANGE by rank, score and lex; ZREVRANGE', () => {
    const h = harness();
    h.run('ZADD', 'z', '1', 'a', '2', 'b', '2', 'c', '3', 'd');
    expect(h.call('ZRANGE', 'z', '0', '-1')).toEqual(['a', 'b', 'c', 'd']);
    expect(h.call('ZRANGE', 'z', '-2', '-1', 'WITHSCORES')).toEqual(['c', '2', 'd', '3']);
    expect(h.call('ZRANGE', 'z', '0', '0', 'REV')).toEqual(['d']);
    expect(h.call('ZREVRANGE', 'z', '0', '1')).toEqual(['d', 'c']);
    expect(h.call('ZRANGE', 'z', '(1', '2', 'BYSCORE')).toEqual(['b', 'c']);
    expect(h.call('ZRANGE', 'z', '+inf', '(1', 'BYSCORE', 'REV', 'LIMIT', '1', '2')).toEqual(['c', 'b']);
    expect(h.call('ZRANGE', 'z', '[b', '(d', 'BYLEX')).toEqual(['b', 'c']);
    expect(h.call('ZRANGE', 'z', '0', '1', 'LIMIT', '0', '1')).toEqual({
      err: 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
    });
    expect(h.call('ZRANGE', 'z', 'x', '1', 'BYSCORE')).toEqual({ err: 'ERR min or max is not a float' });
    expect(h.call('ZRANGE', 'zz', '0', '-1')).toEqual([]);
  });

  it('RESP3 scores are doubles; WITHSCORES gives [member, score] pairs', () => {
    const h = harness(3);
    h.run('ZADD', 'z', '1.5', 'a', '2', 'b');
    expect(h.run('ZSCORE', 'z', 'a')).toBe(',1.5\r\n');
    expect(h.run('ZSCORE', 'z', 'zz')).toBe('_\r\n');
    expect(h.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe('*2\r\n*2\r\n$1\r\na\r\n,1.5\r\n*2\r\n$1\r\nb\r\n,2\r\n');
    expect(harness(2).run('ZSCORE', 'zz', 'a')).toBe('$-1\r\n');
  });

  it('ZREM / ZCARD / ZINCRBY / ZRANK', () => {
    const h = harness();
    expect(h.call('ZINCRBY', 'z', '2', 'a')).toBe('2');
    expect(h.call('ZINCRBY', 'z', '1', 'b')).toBe('1');
    expect(h.call('ZINCRBY', 'z', 'x', 'b')).toEqual({ err: 'ERR value is not a valid float' });
    expect(h.call('ZRANK', 'z', 'a')).toBe(1);
    expect(h.call('ZREVRANK', 'z', 'a')).toBe(0);
    expect(h.call('ZRANK', 'z', 'q')).toBe(null);
    expect(h.call('ZCARD', 'z')).toBe(2);
    expect(h.call('ZREM', 'z', 'a', 'b', 'q')).toBe(2);
    expect(h.ks.data.has('z')).toBe(false);
  });

  it('WRONGTYPE', () => {
    const h = harness();
    h.run('SET', 'k', 'v');
    for (const argv of [['ZADD', 'k', '1', 'a'], ['ZSCORE', 'k', 'a'], ['ZRANGE', 'k', '0', '1'], ['ZREM', 'k', 'a'], ['ZCARD', 'k']]) {
      expect(h.run(...argv), argv.join(' ')).toMatch(/^-WRONGTYPE/);
    }
  });
});
