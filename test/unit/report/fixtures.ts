import { DEFAULT_SCENARIO } from '../../../src/scenario/schema.js';
import type { RunResult, TrialResult } from '../../../src/shared/result.js';
import type { Scenario } from '../../../src/shared/types.js';
import { summarize } from '../../../src/report/summarize.js';

/** A plausible completed trial; override what the test is about. */
export function trial(over: Partial<TrialResult> = {}): TrialResult {
  return {
    target: 'builtin',
    mode: 'aof-always',
    fault: 'sigkill',
    trial: 1,
    seed: 42,
    flags: ['--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
    error: null,
    outcome: 'intact',
    outcomeDetail: null,
    traced: false,
    faultDetail: null,
    attempted: 10_500,
    acked: 10_000,
    failed: 0,
    inFlight: 500,
    lost: 0,
    recovered: 120,
    unexpected: 0,
    duplicated: 0,
    reordered: 0,
    lossPct: 0,
    staleReads: null,
    partialTx: null,
    lossWindowMs: 0,
    recoveryMs: 41.5,
    loadMs: 38.2,
    keysRecovered: 10_120,
    loadKeysPerSec: 250_000,
    loadMBPerSec: 30,
    rdbBytes: 0,
    aofBytes: 1_234_567,
    diskBytes: 1_234_567,
    bytesPerKey: 122,
    spaceAmplification: 1.1,
    bytesWritten: null,
    bytesWrittenPerWrite: null,
    writeAmplification: null,
    forkUsec: null,
    cowBytes: null,
    snapshotMaxLatencyMs: null,
    throughputOps: 84_000,
    p50Ms: 0.42,
    p99Ms: 2.1,
    p999Ms: 4.8,
    maxMs: 12.5,
    sendLagP99Ms: null,
    sendLagMaxMs: null,
    serviceP99Ms: null,
    serviceMaxMs: null,
    unsentDue: null,
    readThroughputOps: null,
    readP99Ms: null,
    writeMs: 5000,
    timeline: null,
    ...over,
  };
}

export function scenario(over: Partial<Scenario> = {}): Scenario {
  return {
    ...DEFAULT_SCENARIO,
    name: 'unit',
    description: 'crafted for tests',
    modes: ['none', 'aof-always'],
    trials: 3,
    seed: 42,
    durationMs: 5000,
    clients: 4,
    killWindowMs: [1000, 4000],
    savePoints: '60 1000',
    ...over,
  };
}

export function result(trials: TrialResult[], over: Partial<Scenario> = {}): RunResult {
  return {
    schemaVersion: 1,
    kind: 'run',
    tool: { name: 'durabench', version: '0.1.0' },
    scenario: scenario(over),
    environment: {
      node: 'v20.20.2',
      os: 'linux 6.1',
      cpu: 'Test CPU @ 2.0GHz',
      cores: 2,
      memoryBytes: 8e9,
      targetVersions: { builtin: '0.1.0', redis: '7.0.15' },
    },
    startedAt: '2025-01-01T00:00:00.000Z',
    wallMs: 65_000,
    trials,
    summary: summarize(trials),
    sanity: [],
  };
}

/** none loses everything, aof-always loses nothing, rdb in between; 3 trials each. */
export function typicalTrials(targets: Array<'builtin' | 'redis'> = ['builtin']): TrialResult[] {
  const out: TrialResult[] = [];
  for (const target of targets) {
    for (let i = 1; i <= 3; i++) {
      out.push(
        trial({
          target,
          mode: 'none',
          trial: i,
          flags: ['--save', '', '--appendonly', 'no'],
          acked: 12_000 + i * 100,
          lost: 12_000 + i * 100,
          lossPct: 100,
          lossWindowMs: 3000 + i * 10,
          recoveryMs: 2 + i * 0.1,
          keysRecovered: 0,
          aofBytes: 0,
          diskBytes: 0,
          bytesPerKey: null,
          spaceAmplification: null,
          throughputOps: 105_000 + i * 1000,
        }),
      );
      out.push(
        trial({
          target,
          mode: 'rdb',
          trial: i,
          flags: ['--save', '60 1000', '--appendonly', 'no'],
          lost: 3000 + i,
          lossPct: 30 + i,
          lossWindowMs: 1500,
          rdbBytes: 900_000,
          aofBytes: 0,
          diskBytes: 900_000,
          forkUsec: 4000 + i * 100,
          cowBytes: 1_000_000,
          snapshotMaxLatencyMs: 15,
          throughputOps: 100_000,
        }),
      );
      out.push(trial({ target, mode: 'aof-always', trial: i, throughputOps: 84_000 - i * 500 }));
    }
  }
  return out;
}
