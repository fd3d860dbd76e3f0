/**
 * Latency over time, built from the ledger after the write phase: every acknowledged write
 * falls in the bucket of its acknowledgement, with its latency (ack − intended send, as the
 * trial's histograms count it). Per bucket the figures are exact (a counting sort of the
 * latencies by bucket, then a sort per bucket), costing one transient float per write; the
 * bucket grows (10 → 20 → 50 → 100 ms ...) so a long run keeps at most MAX_BUCKETS of them.
 * Ops due but never sent (open loop, a stalled server) are not in the ledger and not here.
 */
import type { MarkerKind, Timeline, TimelineBucket, TimelineMarker } from '../../shared/timeline.js';
import { ACKED, type Ledger } from '../workload/ledger.js';

export const DEFAULT_BUCKET_MS = 10;
export const MAX_BUCKETS = 3000;
const STEPS = [1, 2, 5];

/** A marker at a performance.now() instant (converted to ms since the write phase began). */
export interface MarkerAt {
  kind: MarkerKind;
  at: number;
  label: string;
}

/** The smallest 1/2/5 × 10^k bucket ≥ `bucketMs` that cuts `spanMs` into at most MAX_BUCKETS. */
export function bucketFor(spanMs: number, bucketMs = DEFAULT_BUCKET_MS): number {
  for (let scale = 1; ; scale *= 10) {
    for (const s of STEPS) {
      const b = s * scale;
      if (b >= bucketMs && Math.ceil(spanMs / b) <= MAX_BUCKETS) return b;
    }
  }
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The acknowledged writes of `ledger` acknowledged from t0 (performance.now() ms) to `endAt` or
 * the last acknowledgement read, in buckets from t0; markers outside the span are clamped into it.
 */
export function buildTimeline(ledger: Ledger, t0: number, endAt: number, markers: readonly MarkerAt[] = [], bucketMs = DEFAULT_BUCKET_MS): Timeline {
  const { state, sendAt, ackAt } = ledger;
  // Replies the server sent before a kill can be read after it: they are acknowledged
  // writes, so the span reaches the last acknowledgement the client read.
  let end = endAt;
  for (let i = 0; i < ledger.size; i++) if (state[i] === ACKED && ackAt[i]! > end) end = ackAt[i]!;
  const span = Math.max(0, end - t0);
  const b = bucketFor(span, bucketMs);
  const n = Math.max(1, Math.ceil(span / b));
  const slot = (i: number): number => {
    if (state[i] !== ACKED) return -1;
    const a = ackAt[i]!;
    if (a < t0 || a > end) return -1;
    return Math.min(n - 1, Math.floor((a - t0) / b));
  };
  // counting sort of latencies by bucket
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < ledger.size; i++) {
    const k = slot(i);
    if (k >= 0) start[k + 1]!++;
  }
  for (let k = 0; k < n; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, n);
  const lat = new Float32Array(start[n]!);
  for (let i = 0; i < ledger.size; i++) {
    const k = slot(i);
    if (k >= 0) lat[fill[k]!++] = ackAt[i]! - sendAt[i]!;
  }
  const buckets: TimelineBucket[] = [];
  for (let k = 0; k < n; k++) {
    const from = start[k]!;
    const count = start[k + 1]! - from;
    let p99: number | null = null;
    let max: number | null = null;
    if (count > 0) {
      const seg = lat.subarray(from, from + count).sort();
      // nearest rank, as HDR histograms report percentiles
      p99 = r3(Math.max(0, seg[Math.ceil(0.99 * count) - 1]!));
      max = r3(Math.max(0, seg[count - 1]!));
    }
    buckets.push({ tMs: k * b, ops: r3((count * 1000) / b), p99Ms: p99, maxMs: max });
  }
  const out: TimelineMarker[] = markers
    .map((m) => ({ kind: m.kind, tMs: r3(Math.min(span, Math.max(0, m.at - t0))), label: m.label }))
    .sort((x, y) => x.tMs - y.tMs);
  return { bucketMs: b, buckets, markers: out };
}

/** Acknowledged writes a timeline holds (its buckets' ops × bucket length). */
export function timelineWrites(t: Timeline): number {
  let n = 0;
  for (const x of t.buckets) n += (x.ops * t.bucketMs) / 1000;
  return Math.round(n);
}
