import { describe, expect, it } from 'vitest';
import { recoveryFigures } from '../../../src/harness/measure/trial-figures.js';

const disk = (diskBytes: number) => ({ rdbBytes: diskBytes, aofBytes: 0, diskBytes });

describe('recovery figures', () => {
  it('recovery_ms is spawn → ready; the load rate is over listening → ready', () => {
    // the built-in server: ~160 ms of Node start-up, then 40 ms of loading
    const f = recoveryFigures({ spawnedAt: 1000, listeningAt: 1160, readyAt: 1200, keys: 100_000, disk: disk(9e6), loadedBytes: 9e6, logicalBytes: 1e7 });
    expect(f.recoveryMs).toBe(200);
    expect(f.loadMs).toBe(40);
    expect(f.loadKeysPerSec).toBe(2_500_000);
    expect(f.loadMBPerSec).toBe(225);
    expect(f.bytesPerKey).toBe(90);
    expect(f.spaceAmplification).toBe(0.9); // an RDB holds less than was acked: below 1, as space is
  });

  it('space_amplification is null with nothing on disk or nothing acked, never 0', () => {
    const none = recoveryFigures({ spawnedAt: 0, listeningAt: 5, readyAt: 6, keys: 0, disk: disk(0), loadedBytes: 0, logicalBytes: 5e6 });
    expect(none.spaceAmplification).toBeNull();
    expect(none.bytesPerKey).toBeNull();
    expect(none.loadKeysPerSec).toBeNull();
    const noAcks = recoveryFigures({ spawnedAt: 0, listeningAt: 5, readyAt: 6, keys: 10, disk: disk(100), loadedBytes: 100, logicalBytes: 0 });
    expect(noAcks.spaceAmplification).toBeNull();
  });

  it('ready at the first connection: load 0 ms, no rate rather than an infinite one', () => {
    const f = recoveryFigures({ spawnedAt: 0, listeningAt: 9, readyAt: 9, keys: 10, disk: disk(100), loadedBytes: 100, logicalBytes: 100 });
    expect(f.loadMs).toBe(0);
    expect(f.loadKeysPerSec).toBeNull();
    expect(f.loadMBPerSec).toBeNull();
  });
});
