import { afterEach, describe, expect, it, vi } from 'vitest';
import { Databases } from '../../../src/server/databases.js';

afterEach(() => vi.useRealTimers());

describe('Databases', () => {
  it('makes a database on first use, keeps its id, and shares one change counter', () => {
    const dbs = new Databases(16);
    expect(dbs.made()).toEqual([]);
    expect(dbs.peek(4)).toBeUndefined();
    const d4 = dbs.get(4);
    expect(dbs.get(4)).toBe(d4);
    expect(d4.id).toBe(4);
    d4.set('a', '1');
    dbs.get(1).set('b', '2');
    expect(dbs.dirty).toBe(2);
    expect(d4.dirty).toBe(2);
    dbs.dirty = 0;
    expect(dbs.get(1).dirty).toBe(0);
    expect(dbs.made().map((d) => d.id)).toEqual([1, 4]);
    expect(dbs.size).toBe(2);
    expect(dbs.inRange(15) && !dbs.inRange(16) && !dbs.inRange(-1)).toBe(true);
    expect(() => dbs.get(16)).toThrow(RangeError);
    expect(() => new Databases(0)).toThrow(RangeError);
  });

  it('SWAPDB trades the data, not the databases: ids and expiry callbacks stay', () => {
    const dbs = new Databases(4);
    const expired: Array<[number, string]> = [];
    dbs.onExpire = (db, key) => expired.push([db, key]);
    dbs.get(0).set('a', '0');
    dbs.get(2).set('t', 'x');
    dbs.get(2).setExpire('t', 1);
    dbs.get(2).avgTtl = 1234;
    dbs.swap(0, 2);
    expect(dbs.get(0).get('a')).toBeUndefined();
    expect(dbs.get(2).get('a')).toBe('0');
    expect(dbs.get(0).avgTtl).toBe(1234);
    expect(dbs.get(0).get('t')).toBeUndefined(); // expired on read: reported as database 0's key
    expect(expired).toEqual([[0, 't']]);
    expect(dbs.get(0).id).toBe(0);
  });

  it('active expiry covers every database within one shared budget, and the next call starts where it stopped', () => {
    const dbs = new Databases(16);
    for (const id of [0, 5, 15]) {
      for (let i = 0; i < 10; i++) dbs.get(id).set(`k${i}`, 'v');
      for (let i = 0; i < 10; i++) dbs.get(id).setExpire(`k${i}`, 1);
    }
    expect(dbs.activeExpireCycle(1000)).toBe(30);
    expect(dbs.size).toBe(0);
    expect(dbs.expiredKeys).toBe(30);
    // A spent budget serves nobody this time, and the one not reached comes first next time.
    for (const id of [0, 5]) dbs.get(id).set('x', 'v');
    for (const id of [0, 5]) dbs.get(id).setExpire('x', 1);
    const t = vi.spyOn(performance, 'now');
    let clock = 0;
    t.mockImplementation(() => (clock += 0.6));
    dbs.activeExpireCycle(1);
    t.mockRestore();
    expect(dbs.get(0).size + dbs.get(5).size).toBe(1);
    expect(dbs.activeExpireCycle(1000)).toBe(1);
  });

  it('expireOnRead reaches databases made later (a load in progress expires nothing)', () => {
    const dbs = new Databases(4);
    dbs.expireOnRead = false;
    const d = dbs.get(3);
    d.set('k', 'v');
    d.setExpire('k', 1);
    expect(d.get('k')).toBe('v');
    dbs.expireOnRead = true;
    expect(d.get('k')).toBeUndefined();
  });

  it('FLUSHALL empties every database and counts the keys removed', () => {
    const dbs = new Databases(4);
    dbs.get(1).set('a', '1');
    dbs.get(3).set('b', '1');
    dbs.get(3).set('c', '1');
    dbs.dirty = 0;
    expect(dbs.flushAll()).toBe(3);
    expect(dbs.size).toBe(0);
    expect(dbs.dirty).toBe(3);
  });
});
