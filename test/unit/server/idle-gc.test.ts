import { describe, expect, it } from 'vitest';
import { IdleCollector, idleCollections } from '../../../src/server/idle-gc.js';
import { letGo } from '../../../src/server/store/untracked.js';

describe('IdleCollector', () => {
  it('collects at an idle tick once 16 MB of dataset buffers were let go, and not again until 16 more', () => {
    let commands = 0;
    let mayRun = true;
    const c = new IdleCollector({ commandsProcessed: () => commands, mayRun: () => mayRun });
    const ran = (tick: () => void): number => {
      const before = idleCollections();
      tick();
      return idleCollections() - before;
    };
    c.tick(); // the first tick only notes the command count
    expect(ran(() => c.tick())).toBe(0); // idle, nothing to free
    letGo(16 << 20);
    commands++;
    expect(ran(() => c.tick())).toBe(0); // a command since the last tick: not idle
    mayRun = false;
    expect(ran(() => c.tick())).toBe(0); // a save running
    mayRun = true;
    expect(ran(() => c.tick())).toBe(1);
    expect(ran(() => c.tick())).toBe(0); // done until there is more
    letGo(15 << 20);
    expect(ran(() => c.tick())).toBe(0);
    letGo(1 << 20);
    expect(ran(() => c.tick())).toBe(1);
    expect(ran(() => c.tick())).toBe(0);
  });
});
