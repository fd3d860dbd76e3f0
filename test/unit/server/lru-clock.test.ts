import { describe, expect, it } from 'vitest';
import { clockIdleFor, idleSeconds, LRU_CLOCK_MAX, lru, sharedInteger, sharedIntegerBytes, tickLruClock } from '../../../src/server/lru-clock.js';

describe('LRU clock', () => {
  it('is unix seconds in 24 bits, refreshed by tick', () => {
    tickLruClock(1_700_000_123_999);
    expect(lru.now).toBe(1_700_000_123 & LRU_CLOCK_MAX);
    tickLruClock();
    expect(lru.now).toBe(Math.floor(Date.now() / 1000) & LRU_CLOCK_MAX);
  });

  it('measures idle time across a wrap of the clock, as estimateObjectIdleTime does', () => {
    const wrapAt = (LRU_CLOCK_MAX + 1) * 1000 * 101; // a unix time whose clock is 0
    tickLruClock(wrapAt - 3000);
    const before = lru.now;
    expect(before).toBe(LRU_CLOCK_MAX - 2);
    tickLruClock(wrapAt + 4000);
    expect(lru.now).toBe(4);
    // Redis counts LRU_CLOCK_MAX - stamp + now: one second short of the true 7 at a wrap.
    expect(idleSeconds(before)).toBe(6);
    tickLruClock();
  });

  it('sets the clock back by an idle time as objectSetLRUOrLFU does, wrapping big ones', () => {
    tickLruClock(1_700_000_000_000);
    const now = lru.now;
    expect(idleSeconds(clockIdleFor(0))).toBe(0);
    expect(idleSeconds(clockIdleFor(1000))).toBe(1000);
    // Past the clock's start: LRU_CLOCK_MAX is added once, then the 24-bit field keeps what fits.
    expect(clockIdleFor(now + 1)).toBe(LRU_CLOCK_MAX - 1);
    expect(idleSeconds(clockIdleFor(LRU_CLOCK_MAX))).toBe(0);
    expect(idleSeconds(clockIdleFor(LRU_CLOCK_MAX + 1))).toBe(1);
    expect(idleSeconds(clockIdleFor(4294967296))).toBe(1);
    tickLruClock();
  });

  it('knows the shared integers: canonical decimals 0..9999, as strings and as bytes', () => {
    const cases: Array<[string, number]> = [
      ['0', 0], ['7', 7], ['9999', 9999], ['10000', -1], ['-1', -1], ['01', -1], ['00', -1], ['', -1], ['1a', -1], [' 1', -1], ['1.0', -1],
    ];
    for (const [s, n] of cases) {
      expect(sharedInteger(s)).toBe(n);
      const b = Buffer.from('xx' + s + 'yy', 'latin1');
      expect(sharedIntegerBytes(b, 2, s.length)).toBe(n);
    }
  });
});
