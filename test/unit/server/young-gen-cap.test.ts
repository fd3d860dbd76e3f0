import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { YoungGenCap } from '../../../src/server/young-gen-cap.js';

const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;

/**
 * A burst that grows V8's young generation: objects that survive a scavenge or two, at a high
 * rate, in rounds of ~0.3 MB: at most one growth between two ticks, as the server's cron sees
 * a preload's (a tick every 100 ms; a 1M-key fill grew it a step a second). Rounds of 1.6 and
 * 6 MB grew it twice between two ticks now and then: the cap is the cron's, not V8's.
 */
function burst(rounds: number, between: () => void): number {
  let most = 0;
  let keep: object[] = [];
  for (let r = 0; r < rounds; r++) {
    between(); // as the server's cron ticks between bursts of requests
    for (let i = 0; i < 10_000; i++) {
      keep.push({ i });
      if (keep.length > 300_000) keep = keep.slice(-100_000);
    }
    most = Math.max(most, newSpace());
  }
  return most;
}

describe('YoungGenCap', () => {
  it('holds the young generation at two 4 MB semi-spaces through a burst that grows it past them without', async () => {
    while (process.uptime() < 1.1) await new Promise((r) => setTimeout(r, 50)); // it begins a second after start
    const cap = new YoungGenCap();
    const before = newSpace();
    const capped = burst(300, () => cap.tick());
    expect(before).toBeLessThanOrEqual(8 << 20); // not grown past the cap before it began
    expect(capped).toBeLessThanOrEqual(8 << 20);
    // The same burst without it (V8's flag is this worker's alone): the young generation grows on.
    setFlagsFromString('--semi-space-growth-factor=2');
    expect(burst(300, () => {})).toBeGreaterThan(8 << 20);
  });
});
