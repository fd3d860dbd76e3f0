import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../../src/server/keyspace.js';

describe('Keyspace expiry', () => {
  it('lazy: reading an expired key deletes it and reports the expiry', () => {
    const ks = new Keyspace();
    const expired: string[] = [];
    ks.onExpire = (k) => expired.push(k);
    ks.set('a', '1');
    ks.setExpire('a', Date.now() - 1);
    expect(ks.get('a')).toBeUndefined();
    expect(ks.size).toBe(0);
    expect(expired).toEqual(['a']);
  });

  it('active: the sampled sweep removes expired keys nobody reads, and keeps the live ones', () => {
    const ks = new Keyspace();
    const past = Date.now() - 1000;
    const future = Date.now() + 3_600_000;
    for (let i = 0; i < 5000; i++) {
      ks.set(`dead:${i}`, 'x');
      ks.setExpire(`dead:${i}`, past);
      ks.set(`live:${i}`, 'x');
      ks.setExpire(`live:${i}`, future);
    }
    let removed = 0;
    // As the cron calls it: a small budget per tick; the sweep resumes where it stopped.
    for (let tick = 0; tick < 10_000 && ks.size > 5000; tick++) removed += ks.activeExpireCycle(1, 20);
    expect(removed).toBe(5000);
    expect(ks.size).toBe(5000);
    expect(ks.expiresCount).toBe(5000);
    expect(ks.expiredKeys).toBe(5000);
  });

  it('active: a sweep in progress survives writes, deletes and a flush in between ticks', () => {
    const ks = new Keyspace();
    const past = Date.now() - 1000;
    for (let i = 0; i < 1000; i++) {
      ks.set(`k:${i}`, 'x');
      ks.setExpire(`k:${i}`, past);
    }
    ks.activeExpireCycle(1, 20); // a sweep is now part-way through
    for (let i = 0; i < 1000; i += 3) ks.delete(`k:${i}`);
    for (let i = 0; i < 500; i++) {
      ks.set(`n:${i}`, 'x');
      ks.setExpire(`n:${i}`, past);
    }
    for (let tick = 0; tick < 10_000 && ks.size > 0; tick++) ks.activeExpireCycle(1, 20);
    expect(ks.size).toBe(0);
    expect(ks.expiresCount).toBe(0);
    ks.set('after', 'x');
    ks.setExpire('after', past);
    ks.flush();
    ks.set('again', 'x');
    ks.setExpire('again', past);
    for (let tick = 0; tick < 100 && ks.size > 0; tick++) ks.activeExpireCycle(1, 20);
    expect(ks.size).toBe(0);
  });
});

describe('Keyspace flush during a sweep', () => {
  it('a sweep part-way through survives flushes and goes on with the keys added after', () => {
    const ks = new Keyspace();
    const past = Date.now() - 1000;
    const future = Date.now() + 1e9;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) {
        ks.set(`k${i}`, 'v');
        ks.setExpire(`k${i}`, i % 10 === 0 ? past : future);
      }
      ks.activeExpireCycle(1, 20); // leaves the sweep part-way through
      ks.flush();
    }
    for (let i = 0; i < 100; i++) {
      ks.set(`k${i}`, 'v');
      ks.setExpire(`k${i}`, i % 10 === 0 ? past : future);
    }
    for (let tick = 0; tick < 100 && ks.size > 90; tick++) ks.activeExpireCycle(1, 20);
    expect(ks.size).toBe(90);
  });
});

describe('Keyspace expiry among many keys without a TTL', () => {
  it('reaches the few keys with a TTL within a bounded number of ticks, each within its budget', () => {
    const ks = new Keyspace();
    const past = Date.now() - 1000;
    for (let i = 0; i < 200_000; i++) ks.set(`plain:${i}`, 'x');
    for (let i = 0; i < 10; i++) {
      ks.set(`ttl:${i}`, 'x');
      ks.setExpire(`ttl:${i}`, past);
    }
    let ticks = 0;
    while (ks.size > 200_000 && ticks < 1000) {
      ks.activeExpireCycle(1, 20);
      ticks++;
    }
    expect(ks.size).toBe(200_000);
    expect(ks.expiresCount).toBe(0);
  });
});
