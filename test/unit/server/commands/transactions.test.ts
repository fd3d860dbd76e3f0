import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';

/** MULTI/EXEC/DISCARD/WATCH/UNWATCH through the real dispatch, after Redis's tests/unit/multi.tcl. */
describe('transactions', () => {
  it('MULTI / EXEC: +QUEUED, then every reply in one array', () => {
    const h = harness();
    h.run('RPUSH', 'l', 'a', 'b', 'c');
    expect(h.run('MULTI')).toBe('+OK\r\n');
    expect(h.run('LRANGE', 'l', '0', '-1')).toBe('+QUEUED\r\n');
    expect(h.run('SET', 'k', 'v')).toBe('+QUEUED\r\n');
    expect(h.ks.get('k')).toBeUndefined(); // queued, not run
    expect(h.call('EXEC')).toEqual([['a', 'b', 'c'], 'OK']);
    expect(h.ks.get('k')).toBe('v');
  });

  it('an empty transaction answers an empty array', () => {
    const h = harness();
    h.run('MULTI');
    expect(h.run('EXEC')).toBe('*0\r\n');
  });

  it('DISCARD drops the queue; without MULTI it is an error', () => {
    const h = harness();
    h.run('RPUSH', 'l', 'a');
    h.run('MULTI');
    h.run('DEL', 'l');
    expect(h.run('DISCARD')).toBe('+OK\r\n');
    expect(h.call('LRANGE', 'l', '0', '-1')).toEqual(['a']);
    expect(h.run('DISCARD')).toBe('-ERR DISCARD without MULTI\r\n');
    expect(h.run('EXEC')).toBe('-ERR EXEC without MULTI\r\n');
  });

  it('nested MULTI and WATCH inside MULTI are errors that do not abort the transaction', () => {
    const h = harness();
    h.run('MULTI');
    expect(h.run('MULTI')).toBe('-ERR MULTI calls can not be nested\r\n');
    expect(h.run('WATCH', 'x')).toBe('-ERR WATCH inside MULTI is not allowed\r\n');
    h.run('SET', 'a', '1');
    expect(h.call('EXEC')).toEqual(['OK']);
  });

  it('a queuing error (unknown command, wrong arity) makes EXEC answer EXECABORT and run nothing', () => {
    for (const bad of [['NOPE', 'x'], ['GET']]) {
      const h = harness();
      h.run('MULTI');
      h.run('SET', 'a', '1');
      expect(h.run(...bad)).toMatch(/^-ERR (unknown command|wrong number)/);
      h.run('SET', 'b', '2');
      expect(h.run('EXEC')).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
      expect(h.ks.size).toBe(0);
      expect(h.aof).toEqual([]);
      expect(h.run('GET', 'a')).toBe('$-1\r\n'); // out of MULTI again
    }
  });

  it('a runtime error is an element of the array; the other commands still run', () => {
    const h = harness();
    h.run('SET', 's', 'str');
    h.run('MULTI');
    h.run('SET', 'a', '1');
    h.run('LPUSH', 's', 'x'); // WRONGTYPE at run time
    h.run('INCR', 'a');
    expect(h.call('EXEC')).toEqual(['OK', { err: 'WRONGTYPE Operation against a key holding the wrong kind of value' }, 2]);
  });

  it('commands whose arguments change (SPOP) run as queued', () => {
    const h = harness();
    h.run('SADD', 's', 'a');
    h.run('MULTI');
    h.run('SPOP', 's');
    expect(h.call('EXEC')).toEqual(['a']);
    expect(h.call('EXISTS', 's')).toBe(0);
  });

  describe('propagation, as Redis 7.0 feeds the AOF', () => {
    it('several writes: wrapped in MULTI … EXEC, reads left out', () => {
      const h = harness();
      h.run('MULTI');
      h.run('SET', 'a', '1');
      h.run('GET', 'a');
      h.run('INCR', 'n');
      h.run('EXPIRE', 'a', '100');
      h.run('EXEC');
      expect(h.aof.map((a) => a[0])).toEqual(['MULTI', 'SET', 'INCR', 'PEXPIREAT', 'EXEC']);
    });

    it('one write: alone (it is atomic by itself); none, or writes that changed nothing: nothing', () => {
      const h = harness();
      h.run('MULTI');
      h.run('SET', 'a', '1');
      h.run('GET', 'a');
      h.run('EXEC');
      expect(h.aof).toEqual([['SET', 'a', '1']]);
      h.run('MULTI');
      h.run('DEL', 'nokey');
      h.run('GET', 'a');
      h.run('EXEC');
      h.run('MULTI');
      h.run('EXEC');
      expect(h.aof).toEqual([['SET', 'a', '1']]);
    });

    it('a transaction with FLUSHALL in it', () => {
      const h = harness();
      h.run('MULTI');
      h.run('SET', 'foo', 'bar');
      h.run('FLUSHALL');
      h.run('EXEC');
      expect(h.aof.map((a) => a[0]!.toUpperCase())).toEqual(['MULTI', 'SET', 'FLUSHALL', 'EXEC']);
      expect(h.ks.size).toBe(0);
    });
  });

  describe('WATCH', () => {
    it('EXEC runs when no watched key changed', () => {
      const h = harness();
      h.run('WATCH', 'x', 'y', 'z');
      h.run('WATCH', 'k');
      h.run('MULTI');
      h.run('PING');
      expect(h.call('EXEC')).toEqual(['PONG']);
    });

    it('a key written by another client: the null array (RESP2 *-1, RESP3 _), nothing run', () => {
      for (const [resp, nil] of [[2, '*-1\r\n'], [3, '_\r\n']] as const) {
        const h = harness(resp);
        const other = h.other();
        h.run('SET', 'x', '30');
        h.run('WATCH', 'a', 'b', 'x', 'k', 'z');
        other('SET', 'x', '40');
        h.run('MULTI');
        h.run('SET', 'y', '1');
        expect(h.run('EXEC')).toBe(nil);
        expect(h.ks.get('y')).toBeUndefined();
        expect(h.ks.get('x')).toBe('40');
      }
    });

    it('its own write between WATCH and MULTI counts too; EXPIRE touches; a no-op write does not', () => {
      const h = harness();
      h.run('SET', 'x', 'foo');
      h.run('WATCH', 'x');
      h.run('EXPIRE', 'x', '10');
      h.run('MULTI');
      expect(h.run('EXEC')).toBe('*-1\r\n');
      h.run('WATCH', 'x');
      h.run('SET', 'x', 'v', 'NX'); // refused: x exists, nothing changed
      h.run('DEL', 'nokey');
      h.run('MULTI');
      h.run('PING');
      expect(h.call('EXEC')).toEqual(['PONG']);
    });

    it('after EXEC, failed or not, and after DISCARD, nothing is watched', () => {
      const h = harness();
      const other = h.other();
      h.run('SET', 'x', '30');
      h.run('WATCH', 'x');
      h.run('MULTI');
      h.run('EXEC');
      other('SET', 'x', '40');
      h.run('MULTI');
      h.run('PING');
      expect(h.call('EXEC')).toEqual(['PONG']);
      h.run('WATCH', 'x');
      other('SET', 'x', '50');
      h.run('MULTI');
      expect(h.run('EXEC')).toBe('*-1\r\n');
      other('SET', 'x', '60');
      h.run('MULTI');
      h.run('INCR', 'x');
      expect(h.call('EXEC')).toEqual([61]);
      h.run('WATCH', 'x');
      other('SET', 'x', '10');
      h.run('MULTI');
      h.run('DISCARD'); // clears the dirty flag and unwatches
      h.run('MULTI');
      h.run('INCR', 'x');
      expect(h.call('EXEC')).toEqual([11]);
    });

    it('UNWATCH forgets the keys and the dirty flag; with nothing watched it is OK', () => {
      const h = harness();
      expect(h.run('UNWATCH')).toBe('+OK\r\n');
      h.run('WATCH', 'x');
      h.run('SET', 'x', '1');
      h.run('UNWATCH');
      h.run('MULTI');
      h.run('PING');
      expect(h.call('EXEC')).toEqual(['PONG']);
    });

    it('FLUSHALL touches the watched keys that exist, not the others', () => {
      const h = harness();
      const other = h.other();
      h.run('SET', 'x', '1');
      h.run('WATCH', 'x');
      other('FLUSHALL');
      h.run('MULTI');
      expect(h.run('EXEC')).toBe('*-1\r\n');
      h.run('WATCH', 'absent');
      other('FLUSHALL');
      h.run('MULTI');
      h.run('PING');
      expect(h.call('EXEC')).toEqual(['PONG']);
    });

    it('a watched key that expires before EXEC fails it, deleted or not (lazy expiry)', () => {
      const h = harness();
      h.run('SET', 'k', '1');
      h.ks.setExpire('k', Date.now() + 60_000);
      h.run('WATCH', 'k');
      h.ks.data.setExpireAt(h.ks.data.find('k'), Date.now() - 1); // its TTL passes; nothing deleted it yet
      h.run('MULTI');
      h.run('INCR', 'k');
      expect(h.run('EXEC')).toBe('*-1\r\n');
      // the same, deleted by a read before EXEC
      h.run('SET', 'k', '1');
      h.ks.setExpire('k', Date.now() + 60_000);
      h.run('WATCH', 'k');
      h.ks.data.setExpireAt(h.ks.data.find('k'), Date.now() - 1);
      expect(h.call('EXISTS', 'k')).toBe(0);
      h.run('MULTI');
      h.run('PING');
      expect(h.run('EXEC')).toBe('*-1\r\n');
    });

    it('a key already expired at WATCH: deleting it (a read, FLUSHALL) is no change; writing it is', () => {
      const stale = () => {
        const h = harness();
        h.run('SET', 'x', 'foo');
        h.ks.setExpire('x', Date.now() - 1);
        h.run('WATCH', 'x');
        return h;
      };
      const execOk = (h: ReturnType<typeof harness>) => {
        h.run('MULTI');
        h.run('PING');
        return h.run('EXEC');
      };
      expect(execOk(stale())).toBe('*1\r\n+PONG\r\n');
      let h = stale();
      expect(h.call('EXISTS', 'x')).toBe(0);
      expect(execOk(h)).toBe('*1\r\n+PONG\r\n');
      h = stale();
      h.run('FLUSHALL');
      expect(execOk(h)).toBe('*1\r\n+PONG\r\n');
      h = stale();
      h.other()('SET', 'x', 'new');
      expect(execOk(h)).toBe('*-1\r\n');
      h = stale();
      h.run('GET', 'x'); // deleted: no change
      h.other()('SET', 'x', 'new'); // then written: a change
      expect(execOk(h)).toBe('*-1\r\n');
    });

    it('a closed client stops watching (the registry forgets it)', () => {
      const h = harness();
      h.run('WATCH', 'a', 'b');
      expect(h.client.tx!.watched.size).toBe(2);
      h.client.tx!.discard();
      expect(h.client.tx!.watched.size).toBe(0);
      expect(h.ks.onTouch).toBeNull(); // no watchers: writes pay nothing
    });
  });
});
