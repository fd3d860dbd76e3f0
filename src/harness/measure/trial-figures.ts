/**
 * The derived figures of a trial: write-phase throughput and latency from the load driver,
 * the ledger, disk and fork figures after the kill, and the load rate and space figures
 * after recovery. Kept apart from trial.ts, which only
 * sequences the phases.
 */
import type { TrialResult } from '../../shared/result.js';
import type { LoadDriver } from '../workload/load-driver.js';
import type { Ledger } from '../workload/ledger.js';
import type { DiskUsage } from './disk.js';
import { maxLatencyDuring, mergeHistograms, summarizeLatency } from './latency.js';
import type { SnapshotObservation } from './snapshot-monitor.js';

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

type WriteFigures = Pick<
  TrialResult,
  | 'throughputOps' | 'p50Ms' | 'p99Ms' | 'p999Ms' | 'maxMs' | 'sendLagP99Ms' | 'sendLagMaxMs' | 'serviceP99Ms' | 'serviceMaxMs' | 'unsentDue'
  | 'readThroughputOps' | 'readP99Ms' | 'writeMs'
>;

/**
 * Throughput counts acknowledged writes up to the halt (a mixed workload's reads have their
 * own figures); latency is of acknowledged writes, from the intended send time.
 */
export function writeFigures(d: LoadDriver, writeMs: number): WriteFigures {
  const perSec = (n: number): number => (writeMs > 0 ? Math.round(n / (writeMs / 1000)) : 0);
  const lat = summarizeLatency(mergeHistograms(d.histograms()));
  const lag = d.openLoop ? summarizeLatency(mergeHistograms(d.lagHistograms())) : null;
  const service = d.openLoop ? summarizeLatency(mergeHistograms(d.serviceHistograms())) : null;
  const reads = summarizeLatency(mergeHistograms(d.readHistograms()));
  return {
    throughputOps: perSec(d.writesAtHalt),
    p50Ms: lat.p50Ms,
    p99Ms: lat.p99Ms,
    p999Ms: lat.p999Ms,
    maxMs: lat.maxMs,
    sendLagP99Ms: lag?.p99Ms ?? null,
    sendLagMaxMs: lag?.maxMs ?? null,
    serviceP99Ms: service?.p99Ms ?? null,
    serviceMaxMs: service?.maxMs ?? null,
    unsentDue: d.unsentDue,
    readThroughputOps: reads.count > 0 ? perSec(d.readsAtHalt) : null,
    readP99Ms: reads.p99Ms,
    writeMs: r3(writeMs),
  };
}

/** Everything known once the server is dead: the ledger's counts, its disk, its forks, the writes. */
export function afterKillFigures(ledger: Ledger, disk: DiskUsage | null, observed: SnapshotObservation, d: LoadDriver, writeMs: number): Partial<TrialResult> {
  return {
    ...ledger.counts(),
    // null: an external target whose files the harness cannot see (not measured, not 0)
    rdbBytes: disk?.rdbBytes ?? null,
    aofBytes: disk?.aofBytes ?? null,
    diskBytes: disk?.diskBytes ?? null,
    forkUsec: observed.fork.forkUsec,
    cowBytes: observed.fork.cowBytes,
    snapshotMaxLatencyMs: maxLatencyDuring(ledger, observed.intervals),
    ...writeFigures(d, writeMs),
  };
}

/** Bytes written over the write phase, per acknowledged write and per logical byte acknowledged. */
export function ioFigures(before: number | null, atKill: number | null, acked: number, logicalBytes: number): Pick<TrialResult, 'bytesWritten' | 'bytesWrittenPerWrite' | 'writeAmplification'> {
  if (before === null || atKill === null) return { bytesWritten: null, bytesWrittenPerWrite: null, writeAmplification: null };
  const written = Math.max(0, atKill - before);
  return {
    bytesWritten: written,
    bytesWrittenPerWrite: acked > 0 ? r3(written / acked) : null,
    writeAmplification: logicalBytes > 0 ? r3(written / logicalBytes) : null,
  };
}

type RecoveryFigures = Pick<TrialResult, 'recoveryMs' | 'loadMs' | 'loadKeysPerSec' | 'loadMBPerSec' | 'bytesPerKey' | 'spaceAmplification'>;

export interface RecoveryInput {
  /** the restarted server's clock: spawn, first accepted connection, first non-LOADING reply */
  spawnedAt: number;
  listeningAt: number;
  readyAt: number;
  keys: number;
  /** null: not visible here (an external target without dataDir) */
  disk: DiskUsage | null;
  /** bytes of the files the server loads (the AOF when on, else the RDB) */
  loadedBytes: number | null;
  /** keys + values of every acknowledged write, preload included */
  logicalBytes: number;
}

/**
 * recovery_ms is spawn → ready, the honest user-facing wait; the load rate is over
 * listening → ready, so it describes the loader rather than the process start (~150 ms of
 * Node start-up for the built-in server). space_amplification is disk bytes after the kill
 * per logical byte acked: a space figure. Bytes *written* would need per-process I/O
 * accounting, redis's fork children included (/proc/<pid>/io of processes that come and go),
 * and is not measured.
 */
export function recoveryFigures(r: RecoveryInput): RecoveryFigures {
  const loadMs = Math.max(0, r.readyAt - r.listeningAt);
  const rate = r.keys > 0 && loadMs > 0;
  return {
    recoveryMs: r3(r.readyAt - r.spawnedAt),
    loadMs: r3(loadMs),
    loadKeysPerSec: rate ? Math.round(r.keys / (loadMs / 1000)) : null,
    loadMBPerSec: rate && r.loadedBytes !== null ? r3(r.loadedBytes / 1e6 / (loadMs / 1000)) : null,
    bytesPerKey: r.disk && r.keys > 0 && r.disk.diskBytes > 0 ? r3(r.disk.diskBytes / r.keys) : null,
    spaceAmplification: r.disk && r.disk.diskBytes > 0 && r.logicalBytes > 0 ? r3(r.disk.diskBytes / r.logicalBytes) : null,
  };
}
