import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';

describe('set commands', () => {
  it('SADD / SREM / SCARD / SISMEMBER / SMEMBERS', () => {
    const h = harness();
    expect(h.call('SADD', 's', 'a', 'b', 'a')).toBe(2);
    const d = h.ks.dirty;
    expect(h.call('SADD', 's', 'a')).toBe(0);
    expect(h.call('SREM', 's', 'zz')).toBe(0);
    expect(h.ks.dirty).toBe(d);
    expect(h.call('SCARD', 's')).toBe(2);
    expect(h.call('SISMEMBER', 's', 'a')).toBe(1);
    expect(h.call('SISMEMBER', 'zz', 'a')).toBe(0);
    expect((h.call('SMEMBERS', 's') as string[]).sort()).toEqual(['a', 'b']);
    expect(h.call('SREM', 's', 'a', 'b')).toBe(2);
    expect(h.ks.data.has('s')).toBe(false);
  });

  it('SMEMBERS replies a RESP3 set', () => {
    const h = harness(3);
    h.run('SADD', 's', 'x');
    expect(h.run('SMEMBERS', 's')).toBe('~1\r\n$1\r\nx\r\n');
    expect(h.run('SMEMBERS', 'zz')).toBe('~0\r\n');
    expect(harness(2).run('SMEMBERS', 'zz')).toBe('*0\r\n');
  });

  it('SPOP propagates as SREM of what it popped, or DEL when it took everything', () => {
    const h = harness();
    h.run('SADD', 's', 'a', 'b', 'c', 'd');
    const m = h.call('SPOP', 's') as string;
    expect(h.lastPropagated).toEqual([['SREM', 's', m]]);
    const two = h.call('SPOP', 's', '2') as string[];
    expect(two.length).toBe(2);
    expect(h.lastPropagated).toEqual([['SREM', 's', ...two]]);
    expect(h.call('SCARD', 's')).toBe(1);
    expect((h.call('SPOP', 's', '5') as string[]).length).toBe(1);
    expect(h.lastPropagated).toEqual([['DEL', 's']]);
    expect(h.ks.data.has('s')).toBe(false);
    expect(h.run('SPOP', 's')).toBe('$-1\r\n');
    expect(h.call('SPOP', 's', '-1')).toEqual({ err: 'ERR value is out of range, must be positive' });
    expect(h.call('SPOP', 's', '1', '2')).toEqual({ err: 'ERR syntax error' });
  });

  it('SRANDMEMBER', () => {
    const h = harness();
    h.run('SADD', 's', 'a', 'b', 'c');
    expect(['a', 'b', 'c']).toContain(h.call('SRANDMEMBER', 's'));
    expect((h.call('SRANDMEMBER', 's', '10') as string[]).sort()).toEqual(['a', 'b', 'c']);
    const two = h.call('SRANDMEMBER', 's', '2') as string[];
    expect(new Set(two).size).toBe(2);
    expect((h.call('SRANDMEMBER', 's', '-7') as string[]).length).toBe(7);
    expect(h.call('SRANDMEMBER', 's', '0')).toEqual([]);
    expect(h.call('SRANDMEMBER', 'zz')).toBe(null);
    expect(h.call('SRANDMEMBER', 'zz', '3')).toEqual([]);
    expect(h.call('SRANDMEMBER', 's', 'x')).toEqual({ err: 'ERR value is not an integer or out of range' });
  });

  it('a repeat count no reply can hold is an error, not a fatal V8 error (SRANDMEMBER, ZRANDMEMBER, HRANDFIELD)', () => {
    const h = harness();
    h.run('SADD', 's', 'a', 'b');
    h.run('ZADD', 'z', '1', 'a');
    h.run('HSET', 'h', 'f', 'v');
    const tooLong = { err: 'ERR count too large: its reply is more than the built-in server can build (V8 string limit)' };
    expect(h.call('SRANDMEMBER', 's', '-2147483649')).toEqual(tooLong);
    expect(h.call('ZRANDMEMBER', 'z', '-4503599627370497')).toEqual(tooLong);
    expect(h.call('HRANDFIELD', 'h', '-2147483648')).toEqual(tooLong);
    expect(h.call('SRANDMEMBER', 's', '-3')).toHaveLength(3);
  });

  it('WRONGTYPE', () => {
    const h = harness();
    h.run('SET', 'k', 'v');
    for (const argv of [['SADD', 'k', 'a'], ['SREM', 'k', 'a'], ['SMEMBERS', 'k'], ['SPOP', 'k'], ['SRANDMEMBER', 'k']]) {
      expect(h.run(...argv), argv.join(' ')).toMatch(/^-WRONGTYPE/);
    }
  });
});
