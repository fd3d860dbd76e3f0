import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type EncodingLimits, LIMITS, listLayout, setEncodingLimits } from '../../../src/server/encoding.js';
import { List } from '../../../src/server/keyspace.js';
import { harness, type Harness } from './commands/harness.js';

/** CONFIG SET of encoding knobs as the server does it: the live limits, existing keys pinned. */
function configSet(h: Harness, limits: Partial<EncodingLimits>): void {
  setEncodingLimits(limits, h.dbs.collections());
}

const enc = (h: Harness, k: string): unknown => h.call('OBJECT', 'ENCODING', k);

afterEach(() => setEncodingLimits(DEFAULT_LIMITS));

describe('encoding limits (redis-server 7.0 semantics)', () => {
  it('default to redis-server 7.0.15 built-in values', () => {
    expect(LIMITS).toEqual({
      hashMaxListpackEntries: 512, hashMaxListpackValue: 64, zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64,
      setMaxIntsetEntries: 512, listMaxListpackSize: -2, listCompressDepth: 0, listPackedThreshold: 2 ** 30,
    });
  });

  it('lowering a limit converts no existing key; new keys follow it', () => {
    const h = harness();
    h.run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    h.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    h.run('SADD', 's', '1', '2', '3');
    h.run('HSET', 'hv', 'a', 'x'.repeat(30));
    configSet(h, { hashMaxListpackEntries: 2, zsetMaxListpackEntries: 2, setMaxIntsetEntries: 2, hashMaxListpackValue: 10 });
    for (const [k, e] of [['h', 'listpack'], ['z', 'listpack'], ['s', 'intset'], ['hv', 'listpack']]) expect(enc(h, k!), k).toBe(e);
    h.run('HSET', 'h2', 'a', '1', 'b', '2', 'c', '3');
    h.run('ZADD', 'z2', '1', 'a', '2', 'b', '3', 'c');
    h.run('SADD', 's2', '1', '2', '3');
    for (const k of ['h2', 's2']) expect(enc(h, k)).toBe('hashtable');
    expect(enc(h, 'z2')).toBe('skiplist');
  });

  it('a kept key converts on the writes Redis checks: what is added and the size after', () => {
    const h = harness();
    h.run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    h.run('HSET', 'hv', 'a', 'x'.repeat(30));
    h.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    h.run('SADD', 's', '1', '2', '3');
    configSet(h, { hashMaxListpackEntries: 2, zsetMaxListpackEntries: 2, setMaxIntsetEntries: 2, hashMaxListpackValue: 10 });
    configSet(h, { hashMaxListpackEntries: 10 }); // hv may grow by count, h stays kept
    h.run('ZADD', 'z', '9', 'a'); // only an update
    h.run('ZINCRBY', 'z', '1', 'b');
    h.run('SADD', 's', '3'); // nothing added
    h.run('HSET', 'hv', 'b', 'short'); // short arguments
    h.run('HDEL', 'h', 'c');
    for (const [k, e] of [['z', 'listpack'], ['s', 'intset'], ['hv', 'listpack'], ['h', 'listpack']]) expect(enc(h, k!), k).toBe(e);
    h.run('ZADD', 'z', '4', 'd');
    h.run('SADD', 's', '4');
    h.run('HINCRBY', 'hv', 'n', '1'); // fits: stays
    expect(enc(h, 'hv')).toBe('listpack');
    h.run('HSETNX', 'hv', 'long', 'y'.repeat(11));
    for (const [k, e] of [['z', 'skiplist'], ['s', 'hashtable'], ['hv', 'hashtable']]) expect(enc(h, k!), k).toBe(e);
    // A set kept over the count limit converts when a member is added, as intsetAdd checks.
    h.run('SADD', 's3', '1', '2');
    configSet(h, { setMaxIntsetEntries: 1 });
    h.run('SMOVE', 's', 's3', '4');
    expect(enc(h, 's3')).toBe('hashtable');
  });

  it('raising a limit converts nothing back', () => {
    const h = harness();
    h.run('HSET', 'h', ...Array.from({ length: 600 }, (_, i) => [`f${i}`, 'v']).flat());
    h.run('ZADD', 'z', '1', 'm'.repeat(65));
    expect(enc(h, 'h')).toBe('hashtable');
    configSet(h, { hashMaxListpackEntries: 1000, zsetMaxListpackValue: 100 });
    expect(enc(h, 'h')).toBe('hashtable');
    expect(enc(h, 'z')).toBe('skiplist');
    h.run('HSET', 'h2', ...Array.from({ length: 600 }, (_, i) => [`f${i}`, 'v']).flat());
    expect(enc(h, 'h2')).toBe('listpack');
  });

  it('a key never looked at keeps the encoding it had under the old limits', () => {
    const h = harness();
    // Loaded-like: made without a command that notes its encoding.
    const big = new Map(Array.from({ length: 600 }, (_, i): [string, string] => [`f${i}`, 'v']));
    h.ks.set('h', big);
    configSet(h, { hashMaxListpackEntries: 1000 });
    expect(enc(h, 'h')).toBe('hashtable');
  });

  it('RESTORE judges a payload as rdbLoadObject does: a listpack stays one unless it has too many entries', () => {
    const h = harness();
    h.run('HSET', 'lp', 'a', 'x'.repeat(30));
    h.run('HSET', 'ht', 'a', 'x'.repeat(30), 'b', '1');
    h.run('HSET', 'ht', 'z', 'y'.repeat(65));
    h.run('HDEL', 'ht', 'z');
    const lp = h.call('DUMP', 'lp') as string;
    const ht = h.call('DUMP', 'ht') as string;
    configSet(h, { hashMaxListpackValue: 10, hashMaxListpackEntries: 1 });
    h.run('RESTORE', 'lp2', '0', lp);
    h.run('RESTORE', 'ht2', '0', ht);
    expect(enc(h, 'lp2')).toBe('listpack'); // value lengths are not checked for a listpack
    expect(enc(h, 'ht2')).toBe('hashtable'); // a plain hash is judged as made now
    configSet(h, { hashMaxListpackValue: 64, hashMaxListpackEntries: 512 });
    h.run('RESTORE', 'ht3', '0', ht);
    expect(enc(h, 'ht3')).toBe('listpack');
    h.run('HSET', 'many', 'a', '1', 'b', '2');
    const many = h.call('DUMP', 'many') as string;
    configSet(h, { hashMaxListpackEntries: 1 });
    h.run('RESTORE', 'many2', '0', many);
    expect(enc(h, 'many2')).toBe('hashtable');
  });

  it('COPY keeps the encoding, as Redis duplicates it', () => {
    const h = harness();
    h.run('HSET', 'h', 'f', 'v'.repeat(65));
    h.run('HSET', 'h', 'f', 'v');
    h.run('COPY', 'h', 'h2');
    expect(enc(h, 'h2')).toBe('hashtable');
    h.run('HSET', 'k', 'f', 'v'.repeat(30));
    configSet(h, { hashMaxListpackValue: 10 });
    h.run('COPY', 'k', 'k2');
    expect(enc(h, 'k2')).toBe('listpack');
  });

  it('a list keeps the node size and compression it was made with', () => {
    const h = harness();
    h.run('RPUSH', 'before', 'a');
    configSet(h, { listMaxListpackSize: 5, listCompressDepth: 1 });
    h.run('RPUSH', 'after', 'a');
    h.run('RPUSH', 'before', 'b');
    expect(listLayout(h.ks.get('before') as List)).toEqual([-2, 0]);
    expect(listLayout(h.ks.get('after') as List)).toEqual([5, 1]);
    configSet(h, { listMaxListpackSize: 7 });
    expect(listLayout(h.ks.get('before') as List)).toEqual([-2, 0]);
    expect(listLayout(h.ks.get('after') as List)).toEqual([5, 1]);
  });
});
