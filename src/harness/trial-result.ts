import type { TrialResult } from '../shared/result.js';
import type { Mode, Scenario } from '../shared/types.js';
import type { Target } from './targets/target.js';

/** A trial's result before anything is measured: zeros, and null for what may stay unmeasured. */
export function emptyTrial(
  spec: { scenario: Scenario; target: Target; mode: Mode; trial: number; seed: number },
  flags: string[],
): TrialResult {
  return {
    target: spec.target.kind,
    mode: spec.mode,
    fault: spec.scenario.fault,
    trial: spec.trial,
    seed: spec.seed,
    flags,
    error: null,
    attempted: 0,
    acked: 0,
    failed: 0,
    inFlight: 0,
    lost: 0,
    recovered: 0,
    unexpected: 0,
    duplicated: 0,
    reordered: 0,
    lossPct: 0,
    lossWindowMs: 0,
    recoveryMs: null,
    loadMs: null,
    keysRecovered: null,
    loadKeysPerSec: null,
    loadMBPerSec: null,
    rdbBytes: 0,
    aofBytes: 0,
    diskBytes: 0,
    bytesPerKey: null,
    spaceAmplification: null,
    forkUsec: null,
    cowBytes: null,
    snapshotMaxLatencyMs: null,
    throughputOps: 0,
    p50Ms: null,
    p99Ms: null,
    p999Ms: null,
    maxMs: null,
    sendLagP99Ms: null,
    sendLagMaxMs: null,
    unsentDue: null,
    readThroughputOps: null,
    readP99Ms: null,
    writeMs: 0,
  };
}
