import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { List } from '../../../../src/server/keyspace.js';
import { harness } from './harness.js';

const NOW = 1_700_000_000_000;

describe('database commands', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('SELECT: the client’s database for the commands after it; Redis’s errors', () => {
    const h = harness();
    h.run('SET', 'k', 'zero');
    expect(h.call('SELECT', '15')).toBe('OK');
    expect(h.client.db).toBe(15);
    expect(h.call('GET', 'k')).toBeNull();
    h.run('SET', 'k', 'fifteen');
    expect(h.call('SELECT', '0')).toBe('OK');
    expect(h.call('GET', 'k')).toBe('zero');
    expect(h.dbs.get(15).get('k')).toBe('fifteen');
    expect(h.call('SELECT', '16')).toEqual({ err: 'ERR DB index is out of range' });
    expect(h.call('SELECT', '-1')).toEqual({ err: 'ERR DB index is out of range' });
    expect(h.call('SELECT', 'x')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(h.call('SELECT', '1.0')).toEqual({ err: 'ERR value is not an integer or out of range' });
    // an integer, but not a C int (getIntFromObjectOrReply), even past JS's safe range
    expect(h.call('SELECT', '2147483648')).toEqual({ err: 'ERR value is out of range, value must between -2147483648 and 2147483647' });
    expect(h.call('SELECT', '9223372036854775807')).toEqual({ err: 'ERR value is out of range, value must between -2147483648 and 2147483647' });
    expect(h.call('SELECT', '9223372036854775808')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(h.client.db).toBe(0);
    expect(h.aof).toEqual([['SET', 'k', 'zero'], ['SET', 'k', 'fifteen']]);
    expect(h.aofDbs).toEqual([0, 15]);
  });

  it('a database is made on first use only', () => {
    const h = harness();
    h.run('SELECT', '9');
    expect(h.dbs.peek(9)).toBeUndefined(); // selecting is not using
    h.run('GET', 'k');
    expect(h.dbs.peek(9)).toBeDefined();
    expect(h.dbs.made().map((d) => d.id)).toEqual([0, 9]);
  });

  it('MOVE: value and TTL go to the other database, as one change; 0 when missing here or present there', () => {
    const h = harness();
    h.run('RPUSH', 'l', 'a', 'b');
    h.run('SET', 's', 'v', 'PX', '5000');
    const d = h.ks.dirty;
    expect(h.call('MOVE', 's', '3')).toBe(1);
    expect(h.ks.dirty).toBe(d + 1);
    expect(h.lastPropagated).toEqual([['MOVE', 's', '3']]);
    expect(h.aofDbs.at(-1)).toBe(0); // propagated in the source database, as Redis does
    expect(h.call('EXISTS', 's')).toBe(0);
    expect(h.dbs.get(3).get('s')).toBe('v');
    expect(h.dbs.get(3).getExpire('s')).toBe(NOW + 5000);
    expect(h.call('MOVE', 'l', '3')).toBe(1);
    expect(h.dbs.get(3).get('l')).toEqual(new List(['a', 'b']));
    expect(h.call('MOVE', 'nokey', '3')).toBe(0);
    h.run('SET', 'l', 'here too');
    expect(h.call('MOVE', 'l', '3')).toBe(0); // there already: nothing moves
    expect(h.call('GET', 'l')).toBe('here too');
    expect(h.lastPropagated).toEqual([]);
    expect(h.call('MOVE', 'l', '0')).toEqual({ err: 'ERR source and destination objects are the same' });
    expect(h.call('MOVE', 'l', '16')).toEqual({ err: 'ERR DB index is out of range' });
    expect(h.call('MOVE', 'l', 'x')).toEqual({ err: 'ERR value is not an integer or out of range' });
  });

  it('MOVE of a key expired here moves nothing and deletes it (a DEL in its database)', () => {
    const h = harness();
    h.run('SET', 'k', 'v', 'PX', '10');
    vi.setSystemTime(NOW + 20);
    expect(h.call('MOVE', 'k', '1')).toBe(0);
    expect(h.dbs.get(1).size).toBe(0);
    expect(h.ks.size).toBe(0);
  });

  it('SWAPDB: the data trades places; the client stays in its database; Redis’s errors', () => {
    const h = harness();
    h.run('SET', 'a', '0', 'EX', '100');
    h.run('SELECT', '1');
    h.run('SET', 'b', '1');
    h.run('SET', 'c', '1');
    expect(h.call('SWAPDB', '0', '1')).toBe('OK');
    expect(h.lastPropagated).toEqual([['SWAPDB', '0', '1']]);
    expect(h.aofDbs.at(-1)).toBe(1);
    expect(h.client.db).toBe(1);
    expect(h.call('KEYS', '*')).toEqual(['a']);
    expect(h.call('TTL', 'a')).toBe(100);
    expect(h.dbs.get(0).size).toBe(2);
    const d = h.ks.dirty;
    expect(h.call('SWAPDB', '4', '4')).toBe('OK'); // a no-op, still a write
    expect(h.ks.dirty).toBe(d + 1);
    expect(h.call('SWAPDB', 'x', '1')).toEqual({ err: 'ERR invalid first DB index' });
    expect(h.call('SWAPDB', '1', '1.5')).toEqual({ err: 'ERR invalid second DB index' });
    expect(h.call('SWAPDB', '99999999999', '1')).toEqual({ err: 'ERR invalid first DB index' });
    expect(h.call('SWAPDB', '0', '16')).toEqual({ err: 'ERR DB index is out of range' });
    expect(h.call('SWAPDB', '-1', '0')).toEqual({ err: 'ERR DB index is out of range' });
  });

  it('DBSIZE is per database; FLUSHDB empties this one, FLUSHALL every one; both always propagate', () => {
    const h = harness();
    h.run('MSET', 'a', '1', 'b', '2');
    h.run('SELECT', '2');
    h.run('SET', 'c', '3');
    expect(h.call('DBSIZE')).toBe(1);
    h.run('SELECT', '0');
    expect(h.call('DBSIZE')).toBe(2);
    const d = h.ks.dirty;
    expect(h.call('FLUSHDB', 'ASYNC')).toBe('OK');
    expect(h.ks.dirty).toBe(d + 2); // one per key removed (emptyData), nothing more
    expect(h.call('DBSIZE')).toBe(0);
    expect(h.dbs.get(2).size).toBe(1);
    expect(h.call('FLUSHDB')).toBe('OK'); // empty: still propagated (forceCommandPropagation)
    expect(h.lastPropagated).toEqual([['FLUSHDB']]);
    expect(h.call('FLUSHDB', 'sync')).toBe('OK');
    expect(h.call('FLUSHDB', 'now')).toEqual({ err: 'ERR syntax error' });
    expect(h.call('FLUSHALL', 'SYNC')).toBe('OK');
    expect(h.dbs.size).toBe(0);
    expect(h.flushedAll).toBe(1); // the server stops a BGSAVE and saves with save points
    expect(h.call('FLUSHALL')).toBe('OK');
    expect(h.lastPropagated).toEqual([['FLUSHALL']]);
    expect(h.call('FLUSHALL', 'ASYNC', 'x')).toEqual({ err: 'ERR syntax error' });
    expect(h.flushedAll).toBe(2);
  });

  it('COPY … DB n: a deep copy with its TTL into another database; REPLACE; errors in Redis’s order', () => {
    const h = harness();
    h.run('RPUSH', 'l', 'a');
    h.run('PEXPIRE', 'l', '9000');
    expect(h.call('COPY', 'l', 'l', 'DB', '5')).toBe(1);
    expect(h.lastPropagated).toEqual([['COPY', 'l', 'l', 'DB', '5']]);
    expect(h.aofDbs.at(-1)).toBe(0);
    h.run('SELECT', '5');
    expect(h.call('LRANGE', 'l', '0', '-1')).toEqual(['a']);
    expect(h.call('PTTL', 'l')).toBe(9000);
    h.run('RPUSH', 'l', 'only in 5');
    h.run('SELECT', '0');
    expect(h.call('LRANGE', 'l', '0', '-1')).toEqual(['a']); // a copy, not a shared list
    expect(h.call('COPY', 'l', 'l', 'DB', '5')).toBe(0);
    expect(h.call('COPY', 'l', 'l', 'db', '5', 'REPLACE')).toBe(1);
    expect(h.dbs.get(5).get('l')).toEqual(new List(['a']));
    expect(h.call('COPY', 'nokey', 'x', 'DB', '5')).toBe(0);
    expect(h.call('COPY', 'l', 'l')).toEqual({ err: 'ERR source and destination objects are the same' });
    expect(h.call('COPY', 'l', 'l', 'DB', '0')).toEqual({ err: 'ERR source and destination objects are the same' });
    expect(h.call('COPY', 'l', 'm', 'DB', '16')).toEqual({ err: 'ERR DB index is out of range' });
    expect(h.call('COPY', 'l', 'm', 'DB', 'x')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(h.call('COPY', 'l', 'm', 'DB', '16', 'BAD')).toEqual({ err: 'ERR DB index is out of range' }); // parsed in order
    expect(h.call('COPY', 'l', 'm', 'BAD', 'DB', '16')).toEqual({ err: 'ERR syntax error' });
    expect(h.call('COPY', 'l', 'm', 'DB')).toEqual({ err: 'ERR syntax error' });
  });

  it('keys expire per database, and their DEL goes to the AOF in that database', () => {
    const h = harness();
    h.dbs.onExpire = (db, key) => {
      h.aof.push(['DEL', key]);
      h.aofDbs.push(db);
    };
    h.run('SELECT', '7');
    h.run('SET', 'k', 'v', 'PX', '10');
    h.run('SELECT', '0');
    h.run('SET', 'k', 'stays');
    vi.setSystemTime(NOW + 50);
    expect(h.dbs.activeExpireCycle(50)).toBe(1);
    expect(h.aof.at(-1)).toEqual(['DEL', 'k']);
    expect(h.aofDbs.at(-1)).toBe(7);
    expect(h.call('GET', 'k')).toBe('stays');
  });

  it('a transaction with SELECT: MULTI in the first command’s database, EXEC in the last one’s, the SELECT kept after EXEC', () => {
    const h = harness();
    h.run('MULTI');
    h.run('SET', 'a', '1');
    h.run('SELECT', '3');
    h.run('SET', 'b', '2');
    h.run('MOVE', 'b', '4');
    expect(h.call('EXEC')).toEqual(['OK', 'OK', 'OK', 1]);
    expect(h.lastPropagated).toEqual([['MULTI'], ['SET', 'a', '1'], ['SET', 'b', '2'], ['MOVE', 'b', '4'], ['EXEC']]);
    expect(h.aofDbs.slice(-5)).toEqual([0, 0, 3, 3, 3]);
    expect(h.client.db).toBe(3);
    expect(h.dbs.get(4).get('b')).toBe('2');
    // one change alone goes unwrapped, in its database
    h.run('MULTI');
    h.run('SELECT', '5');
    h.run('SET', 'c', '3');
    h.run('EXEC');
    expect(h.lastPropagated).toEqual([['SET', 'c', '3']]);
    expect(h.aofDbs.at(-1)).toBe(5);
  });

  it('WATCH is per database: the same name written elsewhere does not touch it; FLUSHDB, FLUSHALL and SWAPDB do', () => {
    const h = harness();
    const other = h.other();
    const exec = () => {
      h.run('MULTI');
      h.run('PING');
      return h.call('EXEC');
    };
    h.run('SET', 'x', '0');
    h.run('WATCH', 'x');
    other('SELECT', '1');
    other('SET', 'x', 'elsewhere');
    expect(exec()).toEqual(['PONG']);

    // watching in two databases: a touch in either fails EXEC, and every watch is forgotten
    h.run('WATCH', 'x');
    h.run('SELECT', '1');
    h.run('WATCH', 'x');
    other('SET', 'x', 'touched in 1');
    h.run('SELECT', '0');
    expect(exec()).toBeNull();
    expect(h.client.tx!.watched.size).toBe(0);

    // FLUSHDB of another database: no touch; of this one: touched
    h.run('WATCH', 'x');
    other('FLUSHDB');
    expect(exec()).toEqual(['PONG']);
    h.run('WATCH', 'x');
    other('SELECT', '0');
    other('FLUSHDB');
    expect(exec()).toBeNull();

    // SWAPDB: a watched key present in either database is touched; absent in both, not
    h.run('WATCH', 'nowhere');
    other('SWAPDB', '0', '9');
    expect(exec()).toEqual(['PONG']);
    other('SELECT', '9');
    other('SET', 'y', 'in 9');
    h.run('WATCH', 'y');
    other('SWAPDB', '0', '9');
    expect(exec()).toBeNull();
    expect(h.call('GET', 'y')).toBe('in 9');

    // FLUSHALL touches every database's watched keys
    h.run('WATCH', 'y');
    other('FLUSHALL');
    expect(exec()).toBeNull();
  });
});
