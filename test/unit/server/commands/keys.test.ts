import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { harness } from './harness.js';

const NOW = 1_700_000_000_000;

describe('key commands', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('DEL / UNLINK / EXISTS / TYPE', () => {
    const h = harness();
    h.run('MSET', 'a', '1', 'b', '2');
    h.run('HSET', 'h', 'f', 'v');
    expect(h.call('EXISTS', 'a', 'a', 'zz')).toBe(2);
    expect(h.call('TYPE', 'h')).toBe('hash');
    expect(h.call('TYPE', 'zz')).toBe('none');
    expect(h.call('DEL', 'a', 'a', 'zz')).toBe(1);
    expect(h.call('UNLINK', 'b', 'h')).toBe(2);
    const d = h.ks.dirty;
    expect(h.call('DEL', 'zz')).toBe(0);
    expect(h.ks.dirty).toBe(d);
    expect(h.lastPropagated).toEqual([]);
  });

  it('EXPIRE family propagates PEXPIREAT with the absolute time', () => {
    const h = harness();
    h.run('SET', 'k', 'v');
    expect(h.call('EXPIRE', 'k', '10')).toBe(1);
    expect(h.lastPropagated).toEqual([['PEXPIREAT', 'k', String(NOW + 10_000)]]);
    expect(h.call('PEXPIRE', 'k', '1500')).toBe(1);
    expect(h.lastPropagated).toEqual([['PEXPIREAT', 'k', String(NOW + 1500)]]);
    expect(h.call('EXPIREAT', 'k', '1800000000')).toBe(1);
    expect(h.lastPropagated).toEqual([['PEXPIREAT', 'k', '1800000000000']]);
    expect(h.call('PEXPIREAT', 'k', '1800000000001')).toBe(1);
    expect(h.lastPropagated).toEqual([['PEXPIREAT', 'k', '1800000000001']]);
    expect(h.call('PTTL', 'k')).toBe(1800000000001 - NOW);
  });

  it('EXPIRE in the past deletes the key and propagates DEL', () => {
    const h = harness();
    h.run('SET', 'k', 'v');
    expect(h.call('EXPIRE', 'k', '-1')).toBe(1);
    expect(h.lastPropagated).toEqual([['DEL', 'k']]);
    expect(h.ks.data.has('k')).toBe(false);
    h.run('SET', 'k', 'v');
    expect(h.call('PEXPIREAT', 'k', String(NOW))).toBe(1);
    expect(h.lastPropagated).toEqual([['DEL', 'k']]);
    // While loading (expireOnRead off) the time is stored as written, as Redis does.
    h.ks.load('k', 'v');
    h.ks.expireOnRead = false;
    expect(h.call('PEXPIREAT', 'k', '5')).toBe(1);
    expect(h.ks.getExpire('k')).toBe(5);
  });

  it('EXPIRE NX / XX / GT / LT and their errors', () => {
    const h = harness();
    h.run('SET', 'k', 'v');
    expect(h.call('EXPIRE', 'k', '10', 'XX')).toBe(0);
    expect(h.call('EXPIRE', 'k', '10', 'GT')).toBe(0); // no TTL counts as infinite
    expect(h.call('EXPIRE', 'k', '10', 'LT')).toBe(1);
    expect(h.call('EXPIRE', 'k', '20', 'NX')).toBe(0);
    expect(h.call('EXPIRE', 'k', '5', 'GT')).toBe(0);
    expect(h.call('EXPIRE', 'k', '20', 'gt')).toBe(1);
    expect(h.call('EXPIRE', 'k', '30', 'LT')).toBe(0);
    expect(h.call('EXPIRE', 'k', '15', 'XX', 'LT')).toBe(1);
    expect(h.call('TTL', 'k')).toBe(15);
    expect(h.call('EXPIRE', 'zz', '10')).toBe(0);
    expect(h.call('EXPIRE', 'k', '1', 'NX', 'GT')).toEqual({ err: 'ERR NX and XX, GT or LT options at the same time are not compatible' });
    expect(h.call('EXPIRE', 'k', '1', 'GT', 'LT')).toEqual({ err: 'ERR GT and LT options at the same time are not compatible' });
    expect(h.call('EXPIRE', 'k', '1', 'foo')).toEqual({ err: 'ERR Unsupported option foo' });
    expect(h.call('EXPIRE', 'k', '1.5')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(h.call('EXPIRE', 'k', '9223372036854775')).toEqual({ err: "ERR invalid expire time in 'expire' command" });
  });

  it('TTL / PTTL / PERSIST', () => {
    const h = harness();
    h.run('SET', 'k', 'v');
    expect(h.call('TTL', 'zz')).toBe(-2);
    expect(h.call('TTL', 'k')).toBe(-1);
    h.run('PEXPIRE', 'k', '2499');
    expect(h.call('TTL', 'k')).toBe(2); // rounded, as Redis's (ttl+500)/1000
    expect(h.call('PTTL', 'k')).toBe(2499);
    expect(h.call('PERSIST', 'k')).toBe(1);
    const d = h.ks.dirty;
    expect(h.call('PERSIST', 'k')).toBe(0);
    expect(h.call('PERSIST', 'zz')).toBe(0);
    expect(h.ks.dirty).toBe(d);
    h.run('PEXPIRE', 'k', '10');
    vi.setSystemTime(NOW + 10);
    expect(h.call('TTL', 'k')).toBe(-2);
  });

  it('KEYS filters and skips expired keys without deleting them', () => {
    const h = harness();
    h.run('MSET', 'user:1', 'a', 'user:2', 'b', 'other', 'c');
    h.run('PEXPIRE', 'user:2', '5');
    expect((h.call('KEYS', '*') as string[]).sort()).toEqual(['other', 'user:1', 'user:2']);
    expect((h.call('KEYS', 'user:*') as string[]).sort()).toEqual(['user:1', 'user:2']);
    vi.setSystemTime(NOW + 5);
    const d = h.ks.dirty;
    expect(h.call('KEYS', 'user:*')).toEqual(['user:1']);
    expect(h.ks.dirty).toBe(d);
  });

  it('SCAN pages through every key, O(COUNT) per call', () => {
    const h = harness();
    for (let i = 0; i < 250; i++) h.run('SET', 'k' + i, 'v');
    for (let i = 0; i < 10; i++) h.run('SADD', 's' + i, 'm');
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, keys] = h.call('SCAN', cursor, 'COUNT', '20') as [string, string[]];
      expect(keys.length).toBeLessThanOrEqual(20);
      for (const k of keys) seen.add(k);
      cursor = next;
      calls++;
    } while (cursor !== '0');
    expect(seen.size).toBe(260);
    expect(calls).toBe(13);
    const [, sets] = h.call('SCAN', '0', 'COUNT', '1000', 'TYPE', 'set') as [string, string[]];
    expect(sets.sort()).toEqual(Array.from({ length: 10 }, (_, i) => 's' + i).sort());
    const [c, m] = h.call('SCAN', '0', 'MATCH', 'k1?', 'COUNT', '1000') as [string, string[]];
    expect(c).toBe('0');
    expect(m.length).toBe(10);
    expect(h.run('SCAN', '0', 'COUNT', '1000', 'TYPE', 'stream')).toBe('*2\r\n$1\r\n0\r\n*0\r\n');
  });

  it('SCAN skips keys deleted mid-iteration and rejects bad arguments', () => {
    const h = harness();
    for (let i = 0; i < 10; i++) h.run('SET', 'k' + i, 'v');
    const [cur, first] = h.call('SCAN', '0', 'COUNT', '5') as [string, string[]];
    expect(first.length).toBe(5);
    const rest = Array.from({ length: 10 }, (_, i) => 'k' + i).filter((k) => !first.includes(k));
    h.run('DEL', rest[0]!);
    const [end, second] = h.call('SCAN', cur, 'COUNT', '5') as [string, string[]];
    expect(end).toBe('0');
    expect(second.sort()).toEqual(rest.slice(1).sort());
    expect(h.call('SCAN', 'x')).toEqual({ err: 'ERR invalid cursor' });
    expect(h.call('SCAN', '0', 'COUNT', '0')).toEqual({ err: 'ERR syntax error' });
    expect(h.call('SCAN', '0', 'COUNT', 'x')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(h.call('SCAN', '0', 'MATCH')).toEqual({ err: 'ERR syntax error' });
  });

  it('SCAN returns every key present for the whole iteration once, whatever is written between calls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 199 })), { maxLength: 400 }),
        fc.integer({ min: 1, max: 30 }),
        (writes, count) => {
          const h = harness();
          for (let i = 0; i < 120; i++) h.run('SET', 'k' + i, 'v');
          const touched = new Set<string>();
          const seen: string[] = [];
          let cursor = '0';
          let w = 0;
          do {
            const [next, keys] = h.call('SCAN', cursor, 'COUNT', String(count)) as [string, string[]];
            seen.push(...keys);
            cursor = next;
            // a few writes between calls: new keys (reusing freed numbers) and deletes
            for (let j = 0; j < 3 && w < writes.length; j++, w++) {
              const [add, n] = writes[w]!;
              touched.add('k' + n);
              h.run(add ? 'SET' : 'DEL', 'k' + n, ...(add ? ['x'] : []));
            }
          } while (cursor !== '0');
          const throughout = Array.from({ length: 120 }, (_, i) => 'k' + i).filter((k) => !touched.has(k));
          for (const k of throughout) expect(seen.filter((s) => s === k)).toHaveLength(1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('RANDOMKEY', () => {
    const h = harness();
    expect(h.call('RANDOMKEY')).toBe(null);
    h.run('MSET', 'a', '1', 'b', '2');
    expect(['a', 'b']).toContain(h.call('RANDOMKEY'));
  });

  it('RENAME / RENAMENX move the value and its TTL', () => {
    const h = harness();
    h.run('SET', 'a', '1', 'EX', '100');
    h.run('SET', 'b', '2');
    expect(h.call('RENAME', 'zz', 'x')).toEqual({ err: 'ERR no such key' });
    expect(h.call('RENAMENX', 'a', 'b')).toBe(0);
    expect(h.call('RENAME', 'a', 'a')).toBe('OK');
    expect(h.call('RENAMENX', 'a', 'a')).toBe(0);
    expect(h.call('RENAME', 'a', 'b')).toBe('OK');
    expect(h.call('GET', 'b')).toBe('1');
    expect(h.ks.getExpire('b')).toBe(NOW + 100_000);
    expect(h.call('EXISTS', 'a')).toBe(0);
    expect(h.call('RENAMENX', 'b', 'c')).toBe(1);
    expect(h.call('TTL', 'c')).toBe(100);
  });

  it('DBSIZE / FLUSHDB / FLUSHALL (always propagated, as Redis forces it)', () => {
    const h = harness();
    h.run('MSET', 'a', '1', 'b', '2');
    expect(h.call('DBSIZE')).toBe(2);
    expect(h.call('FLUSHDB', 'ASYNC')).toBe('OK');
    expect(h.call('DBSIZE')).toBe(0);
    expect(h.call('FLUSHALL')).toBe('OK');
    expect(h.lastPropagated).toEqual([['FLUSHALL']]);
    expect(h.call('FLUSHALL', 'NOW')).toEqual({ err: 'ERR syntax error' });
    expect(h.call('FLUSHALL', 'SYNC', 'SYNC')).toEqual({ err: 'ERR syntax error' });
  });
});
