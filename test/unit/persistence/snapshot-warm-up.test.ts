import { constants, PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Databases } from '../../../src/server/databases.js';
import type { EncoderFactory } from '../../../src/server/persistence/background-save.js';
import { defaultAux, loadRdbInto, RdbEncoder } from '../../../src/server/persistence/rdb/index.js';
import { IdleWarmUp, SnapshotWarmUp } from '../../../src/server/persistence/snapshot-warm-up.js';

/** The server's main-thread encoder, with a copy of every chunk before the warm-up drops it. */
function capturing(out: Buffer[]): EncoderFactory {
  return (sink, pool) => {
    const e = new RdbEncoder(
      (c) => {
        out.push(Buffer.from(c));
        sink(c);
      },
      { compress: true, pool },
    );
    e.header(defaultAux());
    return e;
  };
}

describe('SnapshotWarmUp', () => {
  it('serializes a point-in-time snapshot of its scratch keys while it overwrites and deletes them', () => {
    const out: Buffer[] = [];
    const w = new SnapshotWarmUp(capturing(out), 600);
    let slices = 0;
    while (!w.step(0.05)) slices++;
    expect(w.done).toBe(true);
    expect(w.step(1)).toBe(true); // done stays done, writes nothing more
    expect(slices).toBeGreaterThan(2); // filled, then serialized, over several slices
    const dbs = new Databases(1);
    const st = loadRdbInto(Buffer.concat(out), dbs); // checksum verified
    // the copy-on-write hook kept every key as it was at the start, deletions included
    expect(st.loaded).toBe(600);
    expect(dbs.get(0).size).toBe(600);
    expect(dbs.get(0).expiresCount).toBe(30);
    expect(dbs.get(0).get('warm:1')).toBe('x'.repeat(100)); // as filled, whatever overwrote it meanwhile
  });

  it('IdleWarmUp runs only after a cron tick that saw no command, stops when one comes, not while mayRun is false', async () => {
    let commands = 0;
    let allowed = true;
    const made: number[] = [];
    const idle = new IdleWarmUp({
      commandsProcessed: () => commands,
      mayRun: () => allowed,
      makeEncoder: () => {
        made.push(1);
        return capturing([]);
      },
      warning: (msg) => {
        throw new Error(msg);
      },
    });
    const turns = (n: number) => new Promise<void>((r) => { let i = 0; const next = () => (++i >= n ? r() : setImmediate(next)); setImmediate(next); });
    idle.tick(); // first tick: nothing to compare with
    await turns(5);
    expect(made).toHaveLength(0);
    commands++;
    idle.tick(); // commands moved: not idle
    await turns(5);
    expect(made).toHaveLength(0);
    idle.tick(); // idle: starts
    await turns(3);
    expect(made).toHaveLength(1);
    commands++; // a command arrives: the slices stop (given these turns, a run goes to its end)
    await turns(1000);
    expect(idle.done).toBe(false);
    allowed = false;
    idle.tick();
    idle.tick(); // idle, but a save runs (mayRun false): nothing
    await turns(1000);
    expect(idle.done).toBe(false);
    allowed = true;
    idle.tick(); // idle again: goes on to the end, with the same scratch run
    for (let i = 0; i < 2000 && !idle.done; i++) await turns(1);
    expect(idle.done).toBe(true);
    expect(made).toHaveLength(1);
  });

  it('IdleWarmUp ends with a full garbage collection, while still idle', async () => {
    const majors: number[] = [];
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors.push(e.startTime);
    });
    obs.observe({ entryTypes: ['gc'] });
    try {
      const idle = new IdleWarmUp({ commandsProcessed: () => 0, mayRun: () => true, makeEncoder: () => capturing([]), warning: (msg) => { throw new Error(msg); } });
      idle.tick();
      idle.tick(); // idle: runs to the end
      for (let i = 0; i < 2000 && !idle.done; i++) await new Promise((r) => setImmediate(r));
      expect(idle.done).toBe(true);
      const doneAt = performance.now();
      await new Promise((r) => setTimeout(r, 50)); // gc entries arrive asynchronously
      expect(majors.some((t) => t <= doneAt)).toBe(true);
    } finally {
      obs.disconnect();
    }
  });
});
