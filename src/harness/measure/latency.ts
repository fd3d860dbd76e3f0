/**
 * HDR latency helpers. Each load client records into its own histogram (microseconds);
 * they are merged here, in one place, into the percentiles a trial reports.
 */
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { ACKED, type Ledger } from '../workload/ledger.js';

export type { Histogram };

export function newHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000, // 2 minutes in µs; autoResize covers the rest
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

export function mergeHistograms(hists: readonly Histogram[]): Histogram {
  const total = newHistogram();
  for (const h of hists) total.add(h);
  return total;
}

export interface LatencySummary {
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  p999Ms: number | null;
  maxMs: number | null;
}

/** Percentiles in ms (3 decimals); null when nothing was recorded. */
export function summarizeLatency(h: Histogram): LatencySummary {
  const n = h.totalCount;
  const ms = (us: number): number | null => (n > 0 ? Math.round(us) / 1000 : null);
  return {
    count: n,
    p50Ms: ms(h.getValueAtPercentile(50)),
    p99Ms: ms(h.getValueAtPercentile(99)),
    p999Ms: ms(h.getValueAtPercentile(99.9)),
    maxMs: ms(h.maxValue),
  };
}

/** [start, end] in performance.now() ms. */
export type Interval = readonly [number, number];

/**
 * Worst latency of an acknowledged write whose [send, ack] overlapped one of the intervals
 * (a snapshot in progress), in ms; null when there was no interval or no such write.
 */
export function maxLatencyDuring(ledger: Ledger, intervals: readonly Interval[]): number | null {
  if (intervals.length === 0) return null;
  let worst = -1;
  const { state, sendAt, ackAt } = ledger;
  for (let i = 0; i < ledger.size; i++) {
    if (state[i] !== ACKED) continue;
    const s = sendAt[i]!;
    const a = ackAt[i]!;
    for (const [from, to] of intervals) {
      if (s <= to && a >= from) {
        if (a - s > worst) worst = a - s;
        break;
      }
    }
  }
  return worst < 0 ? null : Math.round(worst * 1000) / 1000;
}

export interface WindowLatency {
  count: number;
  p99Ms: number | null;
  p999Ms: number | null;
  maxMs: number | null;
}

/**
 * Exact percentiles (nearest rank) of the acknowledged writes whose [send, ack] overlapped
 * [from, to]: the latency a client saw while something (a snapshot) ran. From the ledger,
 * not the histograms, so a window can be cut out of a longer load.
 */
export function latencyDuring(ledger: Ledger, from: number, to: number): WindowLatency {
  const { state, sendAt, ackAt } = ledger;
  const xs: number[] = [];
  for (let i = 0; i < ledger.size; i++) {
    if (state[i] !== ACKED) continue;
    if (sendAt[i]! <= to && ackAt[i]! >= from) xs.push(ackAt[i]! - sendAt[i]!);
  }
  if (xs.length === 0) return { count: 0, p99Ms: null, p999Ms: null, maxMs: null };
  const s = Float64Array.from(xs).sort();
  const at = (q: number): number => Math.round(Math.max(0, s[Math.ceil(q * s.length) - 1]!) * 1000) / 1000;
  return { count: s.length, p99Ms: at(0.99), p999Ms: at(0.999), maxMs: at(1) };
}
