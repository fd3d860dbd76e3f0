import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';

describe('list commands', () => {
  it('push / range / len / index', () => {
    const h = harness();
    expect(h.call('LPUSH', 'l', 'a', 'b', 'c')).toBe(3);
    expect(h.call('RPUSH', 'l', 'd', 'e')).toBe(5);
    expect(h.call('LRANGE', 'l', '0', '-1')).toEqual(['c', 'b', 'a', 'd', 'e']);
    expect(h.call('LRANGE', 'l', '-2', '100')).toEqual(['d', 'e']);
    expect(h.call('LRANGE', 'l', '3', '1')).toEqual([]);
    expect(h.call('LRANGE', 'zz', '0', '-1')).toEqual([]);
    expect(h.call('LRANGE', 'l', 'x', '1')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(h.call('LLEN', 'l')).toBe(5);
    expect(h.call('LINDEX', 'l', '-1')).toBe('e');
    expect(h.call('LINDEX', 'l', '5')).toBe(null);
    expect(harness(3).run('LINDEX', 'zz', '0')).toBe('_\r\n');
  });

  it('LPUSHX / RPUSHX only touch existing lists', () => {
    const h = harness();
    const d = h.ks.dirty;
    expect(h.call('LPUSHX', 'l', 'a')).toBe(0);
    expect(h.ks.dirty).toBe(d);
    h.run('RPUSH', 'l', 'x');
    expect(h.call('LPUSHX', 'l', 'a', 'b')).toBe(3);
    expect(h.call('RPUSHX', 'l', 'z')).toBe(4);
    expect(h.call('LRANGE', 'l', '0', '-1')).toEqual(['b', 'a', 'x', 'z']);
  });

  it('LPOP / RPOP with and without count; empty lists are deleted', () => {
    const h = harness();
    h.run('RPUSH', 'l', 'a', 'b', 'c', 'd');
    expect(h.call('LPOP', 'l')).toBe('a');
    expect(h.call('RPOP', 'l', '2')).toEqual(['d', 'c']);
    expect(h.call('LPOP', 'l', '0')).toEqual([]);
    expect(h.call('LPOP', 'l', '-1')).toEqual({ err: 'ERR value is out of range, must be positive' });
    expect(h.call('LPOP', 'l', '5')).toEqual(['b']);
    expect(h.ks.data.has('l')).toBe(false);
    expect(h.run('LPOP', 'l')).toBe('$-1\r\n');
    expect(h.run('LPOP', 'l', '2')).toBe('*-1\r\n');
    expect(harness(3).run('RPOP', 'l', '2')).toBe('_\r\n');
    expect(h.run('LPOP', 'l', '1', '2')).toBe("-ERR wrong number of arguments for 'lpop' command\r\n");
  });

  it('LSET / LREM / LTRIM', () => {
    const h = harness();
    expect(h.call('LSET', 'l', '0', 'x')).toEqual({ err: 'ERR no such key' });
    h.run('RPUSH', 'l', 'x', 'y', 'x', 'z', 'x');
    expect(h.call('LSET', 'l', '-1', 'X')).toBe('OK');
    expect(h.call('LSET', 'l', '5', 'X')).toEqual({ err: 'ERR index out of range' });
    expect(h.call('LREM', 'l', '-1', 'x')).toBe(1);
    expect(h.call('LRANGE', 'l', '0', '-1')).toEqual(['x', 'y', 'z', 'X']);
    expect(h.call('LREM', 'l', '0', 'nope')).toBe(0);
    expect(h.lastPropagated).toEqual([]);
    expect(h.call('LTRIM', 'l', '0', '-1')).toBe('OK');
    expect(h.lastPropagated).toEqual([]); // nothing removed: not propagated, as in Redis
    expect(h.call('LTRIM', 'l', '1', '2')).toBe('OK');
    expect(h.call('LRANGE', 'l', '0', '-1')).toEqual(['y', 'z']);
    expect(h.call('LREM', 'l', '0', 'y')).toBe(1);
    expect(h.call('LTRIM', 'l', '5', '9')).toBe('OK');
    expect(h.ks.data.has('l')).toBe(false);
  });

  it('WRONGTYPE', () => {
    const h = harness();
    h.run('SET', 's', 'v');
    for (const argv of [['LPUSH', 's', 'a'], ['LPOP', 's'], ['LRANGE', 's', '0', '1'], ['LLEN', 's'], ['LSET', 's', '0', 'x'], ['LTRIM', 's', '0', '1']]) {
      expect(h.run(...argv), argv.join(' ')).toMatch(/^-WRONGTYPE/);
    }
  });
});
