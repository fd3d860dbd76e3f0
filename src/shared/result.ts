import type { Timeline } from './timeline.js';
import type { FaultKind, Mode, Scenario, TargetKind } from './types.js';

/**
 * What the restart made of the data the fault left: every acknowledged write back (`intact`),
 * some lost (`lost-writes`: trimmed or never durable), would not start (`refused`, with the
 * reason in `outcomeDetail`: correct for damaged files, a failure after a crash), or started
 * serving values nobody wrote (`wrong-data`: always a failure).
 */
export const OUTCOMES = ['intact', 'lost-writes', 'refused', 'wrong-data'] as const;
export type RecoveryOutcome = (typeof OUTCOMES)[number];

/** Everything one trial measured. Missing measurements are null, never NaN. */
export interface TrialResult {
  target: TargetKind;
  mode: Mode;
  fault: FaultKind;
  trial: number;
  seed: number;
  /** The server flags this mode mapped to. */
  flags: string[];
  /** null when the trial completed; otherwise what went wrong (counts as a failure). */
  error: string | null;
  /** what the restart made of the data (null when the trial failed before judging it) */
  outcome: RecoveryOutcome | null;
  /** why the restart refused (the server's own words), or what the fault saw; else null */
  outcomeDetail: string | null;
  /** the first server ran under a syscall tracer: its throughput and latency are not comparable */
  traced: boolean;
  /** the fault's own figures (see each fault), or null */
  faultDetail: Record<string, number | string | null> | null;
  // loss (Jepsen-style set checker over the client's ledger)
  attempted: number;
  acked: number;
  failed: number;
  inFlight: number;
  lost: number;
  recovered: number;
  unexpected: number;
  /** list-append only: elements present twice / out of order */
  duplicated: number;
  reordered: number;
  lossPct: number;
  /**
   * mixed only (else null, and null when no read was answered): reads of the live server that
   * returned a value certainly older than a write acknowledged before the read was sent, or
   * none at all (see check-stale-reads)
   */
  staleReads: number | null;
  /**
   * transaction only (else null): transactions found partially applied after recovery, some
   * of their writes present and others missing, acknowledged or not: an atomicity violation
   */
  partialTx: number | null;
  /** ms from the oldest lost acknowledgement to the kill; 0 when nothing was lost */
  lossWindowMs: number;
  // recovery
  /** spawn → first reply that is not -LOADING, ms: what a user waits for, process start included */
  recoveryMs: number | null;
  /** listening (first accepted connection) → ready, ms: the dataset load, without process start-up */
  loadMs: number | null;
  keysRecovered: number | null;
  /** keys / loadMs and loaded file bytes / loadMs */
  loadKeysPerSec: number | null;
  loadMBPerSec: number | null;
  // disk, after the kill, before restart (null: not visible to the harness, an external target without dataDir)
  rdbBytes: number | null;
  aofBytes: number | null;
  diskBytes: number | null;
  bytesPerKey: number | null;
  /**
   * bytes on disk after the kill / logical bytes acknowledged (keys + values, preload
   * included): space, not bytes written. null when nothing is on disk or nothing was acked.
   */
  spaceAmplification: number | null;
  /**
   * bytes the server (and its reaped children) sent to the storage layer from the start of the
   * writes to the kill (Linux /proc/<pid>/io; null elsewhere), per acknowledged write, and per
   * logical byte acknowledged (write amplification)
   */
  bytesWritten: number | null;
  bytesWrittenPerWrite: number | null;
  writeAmplification: number | null;
  // snapshots
  forkUsec: number | null;
  cowBytes: number | null;
  /** worst client latency while a snapshot was in progress, ms */
  snapshotMaxLatencyMs: number | null;
  // throughput and latency of acknowledged writes
  throughputOps: number;
  p50Ms: number | null;
  p99Ms: number | null;
  p999Ms: number | null;
  maxMs: number | null;
  /**
   * Open loop only (null in closed loop): the load generator's own lateness, actual send −
   * the moment the op could first go out (its due time, or the reply that freed a slot of a
   * full window), ms. Latency counts from the due time, so a large send lag means the
   * latency figures include the generator's delays, not only the server's.
   */
  sendLagP99Ms: number | null;
  sendLagMaxMs: number | null;
  /**
   * Open loop only: acknowledged writes' service time, actual send → reply read, ms. Latency
   * counts from the due time, so it also holds the wait for a free slot of a full window
   * (`pipeline` requests in flight per client): where p99 is far above this, ops queued in
   * the clients behind a slow stretch. Null in closed loop and in results from before it.
   */
  serviceP99Ms: number | null;
  serviceMaxMs: number | null;
  /** open loop only: ops due before the halt but never sent (their wait is in the latency as a lower bound) */
  unsentDue: number | null;
  /** reads (the mixed workload): completed per second of the write phase, and their p99 latency; null without reads */
  readThroughputOps: number | null;
  readP99Ms: number | null;
  /** write phase length, ms */
  writeMs: number;
  /** latency over time in small buckets with snapshot/rewrite/fault markers (null: not recorded) */
  timeline: Timeline | null;
}

export interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}

export interface SummaryRow {
  target: TargetKind;
  mode: Mode;
  fault: FaultKind;
  trials: number;
  errors: number;
  /** metric name (see METRICS) → stat across the trials that measured it */
  metrics: Record<string, Stat>;
}

export interface SanityVerdict {
  target: TargetKind;
  mode: Mode;
  check: string;
  ok: boolean;
  detail: string;
}

export interface Environment {
  node: string;
  os: string;
  cpu: string;
  cores: number;
  memoryBytes: number;
  /** target kind → version string (builtin: durabench version; redis: redis-server -v) */
  targetVersions: Partial<Record<TargetKind, string>>;
}

export interface RunResult {
  schemaVersion: 1;
  kind: 'run';
  tool: { name: 'durabench'; version: string };
  scenario: Scenario;
  environment: Environment;
  startedAt: string;
  wallMs: number;
  trials: TrialResult[];
  summary: SummaryRow[];
  sanity: SanityVerdict[];
  /** `--shard i/n`: this result holds shard `index` of `count` (absent: every trial) */
  shard?: { index: number; count: number };
}
