import { describe, expect, it } from 'vitest';
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
});
