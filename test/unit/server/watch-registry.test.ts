import { describe, expect, it } from 'vitest';
import { Databases } from '../../../src/server/databases.js';
import { Keyspace } from '../../../src/server/keyspace.js';
import { TxState } from '../../../src/server/tx-state.js';
import { watchRegistry } from '../../../src/server/watch-registry.js';

describe('WatchRegistry', () => {
  it('one registry per keyspace; the hook is installed only while a key is watched', () => {
    const ks = new Keyspace();
    const reg = watchRegistry(ks);
    expect(watchRegistry(ks)).toBe(reg);
    expect(watchRegistry(new Keyspace())).not.toBe(reg);
    const a = new TxState();
    expect(ks.onTouch).toBeNull();
    reg.watch(a, 'k');
    reg.watch(a, 'k'); // once
    expect(ks.onTouch).not.toBeNull();
    expect(reg.size).toBe(1);
    reg.unwatchAll(a);
    expect(reg.size).toBe(0);
    expect(ks.onTouch).toBeNull();
  });

  it('a touch marks every watcher of that key, and only those; a marked watcher is forgotten', () => {
    const ks = new Keyspace();
    const reg = watchRegistry(ks);
    const [a, b, c] = [new TxState(), new TxState(), new TxState()];
    reg.watch(a, 'x');
    reg.watch(b, 'x');
    reg.watch(b, 'y');
    reg.watch(c, 'z');
    ks.set('x', '1');
    expect([a.dirtyCas, b.dirtyCas, c.dirtyCas]).toEqual([true, true, false]);
    expect(reg.size).toBe(1); // only c's z is left
    expect(reg.dirtyAtExec(c)).toBe(false);
    ks.delete('z'); // absent: no change, no touch
    expect(c.dirtyCas).toBe(false);
    ks.set('z', '1');
    expect(c.dirtyCas).toBe(true);
  });

  it('every kind of change touches: in-place mutation, TTL set and removed, expiry, flush', () => {
    const changes: Array<[string, (ks: Keyspace) => void]> = [
      ['mutate', (ks) => ks.mutate('k', ks.get('k')!)],
      ['setExpire', (ks) => ks.setExpire('k', Date.now() + 1000)],
      ['persist', (ks) => ks.persist('k')],
      ['delete', (ks) => ks.delete('k')],
      ['expiry', (ks) => (ks.data.setExpireAt(ks.data.find('k'), Date.now() - 1), ks.get('k'))],
      ['flush', (ks) => ks.flush()],
    ];
    for (const [what, change] of changes) {
      const ks = new Keyspace();
      ks.set('k', 'v');
      ks.data.setExpireAt(ks.data.find('k'), Date.now() + 60_000);
      const w = new TxState();
      watchRegistry(ks).watch(w, 'k');
      change(ks);
      expect(w.dirtyCas, what).toBe(true);
    }
  });

  it('one client, keys in several databases: a touch in one forgets the watches in all', () => {
    const dbs = new Databases(4);
    const [d0, d2] = [dbs.get(0), dbs.get(2)];
    const w = new TxState();
    watchRegistry(d0).watch(w, 'k');
    watchRegistry(d2).watch(w, 'k'); // the same name, another database: a watch of its own
    expect(w.watched.size).toBe(2);
    d2.set('k', 'v');
    expect(w.dirtyCas).toBe(true);
    expect(w.watched.size).toBe(0);
    expect(watchRegistry(d0).size).toBe(0);
    expect(d0.onTouch).toBeNull(); // nothing watched: the hooks are gone
    expect(d0.onTouchAll).toBeNull();
  });

  it('FLUSHDB and SWAPDB judge watched keys as touchAllWatchedKeysInDb does', () => {
    const now = Date.now();
    const dbs = new Databases(4);
    const [a, b] = [dbs.get(0), dbs.get(1)];
    const watching = (ks: Keyspace, key: string) => {
      const w = new TxState();
      watchRegistry(ks).watch(w, key);
      return w;
    };
    a.set('present', '1');
    a.set('stale', '1');
    a.setExpire('stale', now - 10); // already expired at WATCH
    b.set('there', '1');
    b.set('stale-there', '1');
    b.setExpire('stale-there', now - 10);
    const onPresent = watching(a, 'present');
    const onStale = watching(a, 'stale');
    const onThere = watching(a, 'there'); // absent here, present in the other database
    const onStaleThere = watching(a, 'stale-there'); // absent here, expired in the other
    const onNothing = watching(a, 'nowhere');
    dbs.swap(0, 1);
    expect(onPresent.dirtyCas).toBe(true);
    expect(onThere.dirtyCas).toBe(true);
    expect(onStale.dirtyCas).toBe(false); // an expired key gone: no logical change
    expect(onStale.dirtyAtExec()).toBe(false);
    expect(onStaleThere.dirtyCas).toBe(false); // replaced by an expired key: counts as expired
    expect(onStaleThere.dirtyAtExec()).toBe(false);
    expect(onNothing.dirtyCas).toBe(false);
    a.flush(); // database 0 now holds what was database 1's: 'there' and 'stale-there'
    expect(onStaleThere.dirtyCas).toBe(false); // expired, then deleted: still no change
    expect(onNothing.dirtyCas).toBe(false);
    a.set('nowhere', 'x');
    expect(onNothing.dirtyCas).toBe(true);
  });
});
