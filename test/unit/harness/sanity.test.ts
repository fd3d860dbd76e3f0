import { describe, expect, it } from 'vitest';
import { sanityVerdicts } from '../../../src/harness/check/sanity.js';
import type { TrialResult } from '../../../src/shared/result.js';
import type { FaultKind, Mode } from '../../../src/shared/types.js';

function trial(mode: Mode, fault: FaultKind, acked: number, lost: number, extra: Partial<TrialResult> = {}): TrialResult {
  return {
    target: 'redis', mode, fault, trial: 0, seed: 1, flags: [], error: null,
    attempted: acked, acked, failed: 0, inFlight: 0, lost, recovered: 0, unexpected: 0, duplicated: 0, reordered: 0,
    lossPct: acked ? (lost / acked) * 100 : 0, staleReads: null, lossWindowMs: 0, recoveryMs: 1, loadMs: 1, keysRecovered: 0, loadKeysPerSec: null,
    loadMBPerSec: null, rdbBytes: 0, aofBytes: 0, diskBytes: 0, bytesPerKey: null, spaceAmplification: null, forkUsec: null,
    cowBytes: null, snapshotMaxLatencyMs: null, throughputOps: 1, p50Ms: null, p99Ms: null, p999Ms: null, maxMs: null,
    sendLagP99Ms: null, sendLagMaxMs: null, unsentDue: null, readThroughputOps: null, readP99Ms: null, writeMs: 1,
    ...extra,
  };
}

describe('sanity verdicts', () => {
  it('hold for a correct run', () => {
    const v = sanityVerdicts([trial('none', 'sigkill', 100, 100), trial('aof-always', 'sigkill', 50, 0), trial('rdb', 'sigkill', 80, 30)]);
    expect(v.every((x) => x.ok)).toBe(true);
    expect(v.map((x) => `${x.mode}: ${x.check}`)).toEqual([
      'none: none + SIGKILL loses every acknowledged write [sigkill]',
      'none: no value nobody wrote, no duplicated element [sigkill]',
      'aof-always: aof-always + SIGKILL loses no acknowledged write [sigkill]',
      'aof-always: no value nobody wrote, no duplicated element [sigkill]',
      'rdb: no value nobody wrote, no duplicated element [sigkill]',
    ]);
  });

  it('break loudly when none keeps data or aof-always loses some', () => {
    const v = sanityVerdicts([
      trial('none', 'sigkill-during-bgsave', 100, 60),
      { ...trial('aof-always', 'sigkill', 50, 1), trial: 1 },
      trial('aof-everysec', 'sigterm', 50, 2),
      trial('rdb', 'sigkill', 10, 0, { unexpected: 3 }),
    ]);
    const broken = v.filter((x) => !x.ok);
    expect(broken.map((x) => x.mode)).toEqual(['none', 'aof-always', 'aof-everysec', 'rdb']);
    expect(broken[1]!.detail).toContain('trial 2 lost 1 of 50 acked');
  });

  it('failed trials are not judged (they are failures of their own)', () => {
    expect(sanityVerdicts([trial('aof-always', 'sigkill', 0, 0, { error: 'boom' })])).toEqual([]);
    const w = sanityVerdicts([trial('aof-always', 'sigkill', 0, 0, { error: 'boom' }), { ...trial('aof-always', 'sigkill', 5, 0), trial: 1 }]);
    expect(w.every((x) => x.ok)).toBe(true);
  });

  it('none under sigterm is not expected to keep anything', () => {
    const v = sanityVerdicts([trial('none', 'sigterm', 100, 100)]);
    expect(v.map((x) => x.check)).toEqual(['no value nobody wrote, no duplicated element [sigterm]']);
  });
});
