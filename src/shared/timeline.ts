/**
 * Latency over time: one trial's write phase cut into small buckets, with markers for what
 * happened on the server meanwhile. The picture of "forking may lead to a momentary delay":
 * the stall shows (or does not) as a spike at the snapshot marker.
 */
export interface TimelineBucket {
  /** bucket start, ms since the write phase began */
  tMs: number;
  /** acknowledged writes completed in this bucket, per second */
  ops: number;
  /** latency of the writes completed in this bucket (null when none completed) */
  p99Ms: number | null;
  maxMs: number | null;
}

export const MARKER_KINDS = ['snapshot-start', 'snapshot-end', 'rewrite-start', 'rewrite-end', 'fault'] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];

export interface TimelineMarker {
  kind: MarkerKind;
  /** ms since the write phase began */
  tMs: number;
  /** e.g. the fault's name, "BGSAVE", "automatic" */
  label: string;
}

export interface Timeline {
  bucketMs: number;
  buckets: TimelineBucket[];
  markers: TimelineMarker[];
}
