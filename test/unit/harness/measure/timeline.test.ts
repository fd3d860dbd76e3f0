import { describe, expect, it } from 'vitest';
import { bucketFor, buildTimeline, MAX_BUCKETS, timelineWrites } from '../../../../src/harness/measure/timeline.js';
import { SnapshotMonitor, spanMarkers } from '../../../../src/harness/measure/snapshot-monitor.js';
import type { RespConnection } from '../../../../src/harness/workload/resp-connection.js';
import { Ledger } from '../../../../src/harness/workload/ledger.js';

describe('timeline buckets', () => {
  it('counts each acknowledged write once, in the bucket of its ack, with exact p99 and max', () => {
    const l = new Ledger();
    const t0 = 1000;
    // bucket 0: 100 writes of 1..100 ms latency acked at t0+5; bucket 2: one of 3 ms
    for (let k = 1; k <= 100; k++) l.ack(l.add(0, t0 + 5 - k), t0 + 5, 0);
    l.ack(l.add(0, t0 + 22), t0 + 25, 0);
    l.add(0, t0 + 26); // in flight: not counted
    l.fail(l.add(0, t0 + 1), t0 + 8); // failed: not counted
    l.ack(l.add(0, t0 - 10), t0 - 1, 0); // acked before t0: outside
    const t = buildTimeline(l, t0, t0 + 30, [{ kind: 'fault', at: t0 + 29.5, label: 'sigkill (SIGKILL)' }]);
    expect(t.bucketMs).toBe(10);
    expect(t.buckets.map((b) => b.tMs)).toEqual([0, 10, 20]);
    expect(t.buckets[0]).toEqual({ tMs: 0, ops: 10_000, p99Ms: 99, maxMs: 100 });
    expect(t.buckets[1]).toEqual({ tMs: 10, ops: 0, p99Ms: null, maxMs: null });
    expect(t.buckets[2]).toEqual({ tMs: 20, ops: 100, p99Ms: 3, maxMs: 3 });
    expect(timelineWrites(t)).toBe(101);
    expect(t.markers).toEqual([{ kind: 'fault', tMs: 29.5, label: 'sigkill (SIGKILL)' }]);
  });

  it('keeps replies read after the kill: acknowledged writes, so the span reaches them', () => {
    const l = new Ledger();
    const t0 = 0;
    l.ack(l.add(0, 1), 5, 0);
    l.ack(l.add(0, 28), 34, 0); // sent before the kill at 30, its reply read at 34
    const t = buildTimeline(l, t0, 30, [{ kind: 'fault', at: 30, label: 'sigkill (SIGKILL)' }]);
    expect(timelineWrites(t)).toBe(2);
    expect(t.buckets.map((b) => b.tMs)).toEqual([0, 10, 20, 30]);
  });

  it('grows the bucket so a long run keeps at most MAX_BUCKETS', () => {
    expect(bucketFor(5_000)).toBe(10);
    expect(bucketFor(30_000)).toBe(10);
    expect(bucketFor(30_001)).toBe(20);
    expect(bucketFor(3_600_000)).toBe(2000);
    const l = new Ledger();
    for (let i = 0; i < 1000; i++) l.ack(l.add(0, i * 600), i * 600 + 1, 0);
    const t = buildTimeline(l, 0, 600_000);
    expect(t.buckets.length).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(timelineWrites(t)).toBe(1000);
  });

  it('an empty write phase is one empty bucket; markers are clamped into the span', () => {
    const t = buildTimeline(new Ledger(), 0, 0, [{ kind: 'snapshot-start', at: -5, label: 'BGSAVE' }]);
    expect(t.buckets).toEqual([{ tMs: 0, ops: 0, p99Ms: null, maxMs: null }]);
    expect(t.markers[0]!.tMs).toBe(0);
  });
});

/** A monitor fed by hand (record()), never polling. */
function fed(): SnapshotMonitor {
  return new SnapshotMonitor({ closed: true } as unknown as RespConnection);
}
const info = (o: Record<string, number>) => Object.fromEntries(Object.entries({ rdb_bgsave_in_progress: 0, aof_rewrite_in_progress: 0, rdb_saves: 0, aof_rewrites: 0, total_forks: 0, ...o }).map(([k, v]) => [k, String(v)]));

describe('snapshot spans for the markers', () => {
  it('a save seen running opens at the reading before and closes at the one that saw it over', async () => {
    const m = fed();
    m.record(info({}), 100);
    m.record(info({ rdb_bgsave_in_progress: 1, rdb_saves: 1, total_forks: 1 }), 110);
    m.record(info({ rdb_bgsave_in_progress: 1, rdb_saves: 1, total_forks: 1 }), 120);
    m.record(info({ rdb_saves: 1, total_forks: 1 }), 130);
    m.record(info({ aof_rewrite_in_progress: 1, rdb_saves: 1, total_forks: 2 }), 140);
    const o = await m.stop(150);
    expect(o.spans).toEqual([
      { kind: 'snapshot', from: 100, to: 130, between: false },
      { kind: 'rewrite', from: 130, to: null, between: false }, // killed while it ran
    ]);
    expect(spanMarkers(o.spans).map((x) => `${x.kind}@${x.at}`)).toEqual(['snapshot-start@100', 'snapshot-end@130', 'rewrite-start@130']);
  });

  it('a save that began and ended between two readings is seen through its counter, once', async () => {
    const m = fed();
    m.record(info({}), 100);
    m.record(info({ rdb_saves: 1, total_forks: 1 }), 110); // both polls missed it running
    // the built-in server counts rdb_saves at the end: a save seen running closes once
    m.record(info({ rdb_bgsave_in_progress: 1, rdb_saves: 1, total_forks: 2 }), 120);
    m.record(info({ rdb_saves: 2, total_forks: 2 }), 130);
    const o = await m.stop(140);
    expect(o.spans).toEqual([
      { kind: 'snapshot', from: 100, to: 110, between: true },
      { kind: 'snapshot', from: 110, to: 130, between: false },
    ]);
  });
});
