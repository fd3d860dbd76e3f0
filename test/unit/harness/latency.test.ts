import { describe, expect, it } from 'vitest';
import { maxLatencyDuring, mergeHistograms, newHistogram, summarizeLatency } from '../../../src/harness/measure/latency.js';
import { Ledger } from '../../../src/harness/workload/ledger.js';

describe('HDR latency helpers', () => {
  it('merges per-client histograms in one place', () => {
    const a = newHistogram();
    const b = newHistogram();
    for (let i = 1; i <= 1000; i++) a.recordValue(i); // 1..1000 µs
    b.recordValue(50_000); // one 50 ms outlier
    const s = summarizeLatency(mergeHistograms([a, b]));
    expect(s.count).toBe(1001);
    expect(s.p50Ms).toBeCloseTo(0.5, 2);
    expect(s.p99Ms).toBeCloseTo(0.99, 2);
    expect(s.maxMs).toBeCloseTo(50, 0);
  });

  it('empty → nulls, never NaN', () => {
    expect(summarizeLatency(newHistogram())).toEqual({ count: 0, p50Ms: null, p99Ms: null, p999Ms: null, maxMs: null });
  });

  it('worst latency of writes overlapping a snapshot', () => {
    const l = new Ledger();
    l.ack(l.add(0, 0), 1, 0); // 1 ms, before
    l.ack(l.add(0, 9), 14, 0); // 5 ms, overlaps [10, 20]
    l.ack(l.add(0, 12), 15, 0); // 3 ms, inside
    l.ack(l.add(0, 30), 70, 0); // 40 ms, after
    l.add(0, 11); // in flight: not counted
    expect(maxLatencyDuring(l, [[10, 20]])).toBe(5);
    expect(maxLatencyDuring(l, [])).toBeNull();
    expect(maxLatencyDuring(l, [[100, 200]])).toBeNull();
  });
});
