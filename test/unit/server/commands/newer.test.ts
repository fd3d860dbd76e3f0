import { describe, expect, it } from 'vitest';
import { objectEncoding } from '../../../../src/server/encoding.js';
import { harness } from './harness.js';

/**
 * The newer commands through the real dispatcher, without redis-server (redis-diff.test.ts
 * compares them byte for byte with it when it is installed): replies, data left behind and
 * what each propagates.
 */
describe('lists: LINSERT LPOS LMOVE RPOPLPUSH LMPOP, blocking forms without a registry', () => {
  it('moves and pops, propagating the non-blocking effect', () => {
    const h = harness();
    h.run('RPUSH', 'l', 'a', 'b', 'c', 'b');
    expect(h.call('LINSERT', 'l', 'AFTER', 'a', 'x')).toBe(5);
    expect(h.call('LPOS', 'l', 'b', 'RANK', '-1', 'COUNT', '0')).toEqual([4, 2]);
    expect(h.call('LMOVE', 'l', 'm', 'LEFT', 'RIGHT')).toBe('a');
    expect(h.call('RPOPLPUSH', 'l', 'm')).toBe('b');
    expect(h.call('LRANGE', 'm', '0', '-1')).toEqual(['b', 'a']);
    expect(h.call('LMPOP', '2', 'zz', 'l', 'LEFT', 'COUNT', '9')).toEqual(['l', ['x', 'b', 'c']]);
    expect(h.lastPropagated).toEqual([['LPOP', 'l', '3']]);
    expect(h.ks.data.has('l')).toBe(false);
    expect(h.call('BLPOP', 'zz', 'm', '0')).toEqual(['m', 'b']);
    expect(h.lastPropagated).toEqual([['LPOP', 'm']]);
    // No registry here (as during AOF replay or inside MULTI): an empty wait answers at once.
    expect(h.run('BLPOP', 'zz', '0')).toBe('*-1\r\n');
    expect(h.call('BLPOP', 'zz', '-1')).toEqual({ err: 'ERR timeout is negative' });
  });
});

describe('sets and hashes', () => {
  it('set algebra, SMOVE, SINTERCARD, HINCRBYFLOAT in long double, HRANDFIELD', () => {
    const h = harness();
    h.run('SADD', 'a', '1', '2', '3');
    h.run('SADD', 'b', '2', '3', '4');
    expect((h.call('SINTER', 'a', 'b') as string[]).sort()).toEqual(['2', '3']);
    expect(h.call('SDIFFSTORE', 'd', 'a', 'b')).toBe(1);
    expect(h.call('SINTERCARD', '2', 'a', 'b', 'LIMIT', '1')).toBe(1);
    expect(h.call('SMOVE', 'a', 'b', '1')).toBe(1);
    expect(h.call('SMISMEMBER', 'b', '1', '9')).toEqual([1, 0]);
    expect(h.call('HINCRBYFLOAT', 'h', 'f', '0.1')).toBe('0.1');
    expect(h.call('HINCRBYFLOAT', 'h', 'f', '0.2')).toBe('0.3');
    expect(h.lastPropagated).toEqual([['HSET', 'h', 'f', '0.3']]);
    expect(h.call('HRANDFIELD', 'h', '-3')).toEqual(['f', 'f', 'f']);
    expect(h.call('HSTRLEN', 'h', 'f')).toBe(3);
  });
});

describe('sorted sets', () => {
  it('ranges, pops, set operations, ZRANGESTORE', () => {
    const h = harness();
    h.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
    expect(h.call('ZRANGEBYSCORE', 'z', '(1', '3', 'WITHSCORES')).toEqual(['b', '2', 'c', '3']);
    expect(h.call('ZCOUNT', 'z', '-inf', '(4')).toBe(3);
    expect(h.call('ZREVRANGEBYSCORE', 'z', '+inf', '-inf', 'LIMIT', '1', '2')).toEqual(['c', 'b']);
    expect(h.call('ZUNIONSTORE', 'u', '2', 'z', 'z', 'WEIGHTS', '1', '2')).toBe(4);
    expect(h.call('ZSCORE', 'u', 'd')).toBe('12');
    expect(h.call('ZRANGESTORE', 'r', 'z', '0', '1')).toBe(2);
    expect(h.call('ZPOPMAX', 'z', '2')).toEqual(['d', '4', 'c', '3']);
    expect(h.call('ZMPOP', '1', 'z', 'MIN')).toEqual(['z', [['a', '1']]]);
    expect(h.lastPropagated).toEqual([['ZPOPMIN', 'z', '1']]);
    expect(h.call('BZPOPMIN', 'z', '0')).toEqual(['z', 'b', '2']);
    expect(h.lastPropagated).toEqual([['ZPOPMIN', 'z']]);
    expect(h.ks.data.has('z')).toBe(false);
  });
});

describe('keys: COPY, DUMP/RESTORE, SORT, OBJECT, EXPIRETIME', () => {
  it('round-trips every type through DUMP/RESTORE and propagates a relative TTL as ABSTTL', () => {
    const h = harness();
    h.run('RPUSH', 'l', 'a', 'b');
    h.run('HSET', 'h', 'f', 'v');
    h.run('ZADD', 'z', '1.5', 'm');
    h.run('SADD', 's', 'x');
    h.run('SET', 'k', '12345');
    for (const k of ['l', 'h', 'z', 's', 'k']) {
      const p = h.call('DUMP', k) as string;
      expect(h.call('RESTORE', k + '2', '0', p)).toBe('OK');
      expect(h.call('DUMP', k + '2')).toBe(p);
    }
    const p = h.call('DUMP', 'k') as string;
    expect(h.call('RESTORE', 'k', '0', p)).toEqual({ err: 'BUSYKEY Target key name already exists.' });
    const bad = p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) ^ 0xff);
    expect(h.call('RESTORE', 'x', '0', bad)).toEqual({ err: 'ERR DUMP payload version or checksum are wrong' });
    const before = Date.now();
    expect(h.call('RESTORE', 'k', '5000', p, 'REPLACE')).toBe('OK');
    const [cmd, , at, , ...rest] = h.lastPropagated[0]!;
    expect(cmd).toBe('RESTORE');
    expect(Number(at)).toBeGreaterThanOrEqual(before + 5000);
    expect(rest).toEqual(['REPLACE', 'ABSTTL']);
    expect(h.call('PEXPIRETIME', 'k')).toBe(Number(at));
    expect(h.call('COPY', 'k', 'k3')).toBe(1);
    expect(h.call('PEXPIRETIME', 'k3')).toBe(Number(at));
  });

  it('SORT by patterns, GET, STORE', () => {
    const h = harness();
    h.run('RPUSH', 'ids', '3', '1', '2');
    h.run('MSET', 'w_1', '30', 'w_2', '10', 'w_3', '20', 'name_1', 'one');
    h.run('HSET', 'o_2', 'n', 'two');
    expect(h.call('SORT', 'ids')).toEqual(['1', '2', '3']);
    expect(h.call('SORT', 'ids', 'BY', 'w_*', 'GET', '#', 'GET', 'name_*', 'GET', 'o_*->n')).toEqual(['2', null, 'two', '3', null, null, '1', 'one', null]);
    expect(h.call('SORT', 'ids', 'DESC', 'LIMIT', '0', '2', 'STORE', 'out')).toBe(2);
    expect(h.call('LRANGE', 'out', '0', '-1')).toEqual(['3', '2']);
    expect(h.call('SORT_RO', 'ids', 'STORE', 'x')).toEqual({ err: 'ERR syntax error' });
  });

  it('OBJECT ENCODING follows the sizes redis-server converts at, and never converts back', () => {
    const h = harness();
    h.run('HSET', 'h', 'f', 'x'.repeat(64));
    expect(h.call('OBJECT', 'ENCODING', 'h')).toBe('listpack');
    h.run('HSET', 'h', 'g', 'x'.repeat(65));
    expect(h.call('OBJECT', 'ENCODING', 'h')).toBe('hashtable');
    h.run('HDEL', 'h', 'g');
    expect(h.call('OBJECT', 'ENCODING', 'h')).toBe('hashtable');
    h.run('SADD', 's', ...Array.from({ length: 512 }, (_, i) => String(i)));
    expect(h.call('OBJECT', 'ENCODING', 's')).toBe('intset');
    h.run('SADD', 's', '512');
    expect(h.call('OBJECT', 'ENCODING', 's')).toBe('hashtable');
    expect(objectEncoding('9223372036854775807')).toBe('int');
    expect(objectEncoding('9223372036854775808')).toBe('embstr');
    expect(h.call('OBJECT', 'IDLETIME', 'h')).toBe(0);
  });
});

describe('SSCAN / HSCAN / ZSCAN over large collections', () => {
  it('pages every element exactly once, while another key is scanned in between and elements are removed', () => {
    const h = harness();
    const members = Array.from({ length: 1000 }, (_, i) => 'm' + i);
    h.run('SADD', 's', ...members);
    h.run('HSET', 'h', ...members.flatMap((m) => [m, 'v']));
    const seenS = new Set<string>();
    const seenH = new Set<string>();
    let cs = '0';
    let ch = '0';
    let rounds = 0;
    do {
      const [nextS, gotS] = h.call('SSCAN', 's', cs, 'COUNT', '37') as [string, string[]];
      const [nextH, gotH] = ch === 'done' ? ['done', []] : (h.call('HSCAN', 'h', ch, 'COUNT', '50') as [string, string[]]);
      for (const m of gotS) seenS.add(m);
      for (let i = 0; i < gotH.length; i += 2) seenH.add(gotH[i]!);
      cs = nextS;
      ch = nextH === '0' ? 'done' : nextH;
      if (rounds++ === 3) h.run('SREM', 's', 'm999'); // removed mid-scan: not returned
    } while (cs !== '0');
    expect(seenS.size).toBe(999);
    expect(seenS.has('m999')).toBe(false);
    expect(seenH.size).toBe(1000);
  });
});
