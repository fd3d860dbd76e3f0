/**
 * Every claim's rule on fixture data: held, did not hold, and not measured (with the reason).
 */
import { describe, expect, it } from 'vitest';
import { evaluateClaims } from '../../../../src/harness/claims/evaluate.js';
import { lastCompletedSnapshot } from '../../../../src/harness/claims/run-claims.js';
import { emptyPoint } from '../../../../src/harness/sweep/sweep-point.js';
import type { ClaimId } from '../../../../src/shared/claims.js';
import type { RunResult, TrialResult } from '../../../../src/shared/result.js';
import type { SweepPoint, SweepResult } from '../../../../src/shared/sweep-result.js';
import type { Timeline } from '../../../../src/shared/timeline.js';
import type { FaultKind, Mode } from '../../../../src/shared/types.js';
import { result, trial } from '../../report/fixtures.js';

const T = 'builtin' as const;
const tl = (markers: [Timeline['markers'][number]['kind'], number][]): Timeline => ({ bucketMs: 10, buckets: [], markers: markers.map(([kind, tMs]) => ({ kind, tMs, label: kind })) });

function t(mode: Mode, fault: FaultKind, over: Partial<TrialResult> = {}): TrialResult {
  return trial({ target: T, mode, fault, lost: 0, lossPct: 0, lossWindowMs: 0, outcome: 'intact', traced: fault === 'power-loss', ...over });
}

/** A run where every claim holds. */
function goodRun(over: (tr: TrialResult) => TrialResult = (x) => x, scenarioOver: Record<string, unknown> = {}): RunResult {
  const trials = [
    t('none', 'sigkill', { throughputOps: 100_000, lost: 5000, lossPct: 100 }),
    t('rdb', 'sigkill', { throughputOps: 90_000, lost: 800, lossPct: 20, lossWindowMs: 900, outcome: 'lost-writes', timeline: tl([['snapshot-start', 1000], ['snapshot-end', 1100], ['fault', 1950]]) }),
    t('aof-everysec', 'sigkill', { throughputOps: 80_000 }),
    t('rdb+aof', 'sigkill', { throughputOps: 78_000 }),
    t('aof-always', 'power-loss', {}),
    t('aof-everysec', 'power-loss', { lost: 300, lossPct: 20, lossWindowMs: 800, outcome: 'lost-writes' }),
    t('aof-no', 'power-loss', { lost: 3000, lossPct: 100, lossWindowMs: 2900, outcome: 'lost-writes' }),
    t('rdb', 'power-loss', { lost: 3000, lossPct: 100, lossWindowMs: 2900, outcome: 'lost-writes' }),
  ].map(over);
  return result(trials, { rate: 0, crashModel: 'ext4', ...scenarioOver });
}

/** The AOF modes under disk-full, a run of their own (as `durabench claims` makes it): every server restarted. */
function fullRun(over: (tr: TrialResult) => TrialResult = (x) => x): RunResult {
  const trials = [t('aof-always', 'disk-full'), t('aof-everysec', 'disk-full'), t('aof-no', 'disk-full', { lost: 2 }), t('rdb+aof', 'disk-full')].map(over);
  return result(trials, { rate: 0 });
}

function pt(keys: number, over: Partial<SweepPoint>): SweepPoint {
  return {
    ...emptyPoint(T, keys, 100),
    rdbBytes: keys * 111, aofBytes: keys * 134, rssBytes: keys * 200,
    rdbLoad: { recoveryMs: keys / 1000 + 5, loadMs: keys / 1000 },
    aofLoad: { recoveryMs: keys / 500 + 5, loadMs: keys / 500 },
    cowBytes: 1_000_000, snapshotWrites: 10_000,
    ...over,
  };
}

function sweep(points: SweepPoint[]): SweepResult {
  return {
    schemaVersion: 1, kind: 'sweep', tool: { name: 'durabench', version: '0' },
    environment: { node: 'v20', os: 'linux', cpu: 'x', cores: 2, memoryBytes: 8e9, targetVersions: {} },
    startedAt: '', wallMs: 0, seed: 1, sizes: points.map((p) => p.keys), valueBytes: 100, values: 'random',
    targets: [T], modes: ['rdb', 'aof-everysec'], rate: 5000, clients: 16, windowMs: 2000, loadAverage: 0, points,
  };
}
const goodSweep = (): SweepResult => sweep([pt(100_000, { forkUsec: 400 }), pt(1_000_000, { forkUsec: 4000 }), pt(4_000_000, { forkUsec: 12_000 })]);

const verdictOf = (id: ClaimId, runs: RunResult[], sweeps: SweepResult[]) => evaluateClaims(runs, sweeps, [T]).find((v) => v.id === id)!;

describe('claims: every rule holds on good data', () => {
  it('ten verdicts, each held, each with its rule and evidence', () => {
    const vs = evaluateClaims([goodRun(), fullRun()], [goodSweep()]);
    expect(vs.map((v) => v.id)).toHaveLength(10);
    for (const v of vs) {
      expect(v.verdict, `${v.id}: ${v.evidence}`).toBe('held');
      expect(v.rule).toMatch(/^held/);
      expect(v.evidence.length).toBeGreaterThan(5);
    }
    expect(verdictOf('rdb-loads-faster', [], [goodSweep()]).evidence).toContain('rdb 100 ms vs aof 200 ms at 100k');
    expect(verdictOf('fork-pause-grows', [], [goodSweep()]).figures.fork_usec_4000000).toBe(12_000);
  });
});

describe('claims: did not hold', () => {
  const cases: [ClaimId, RunResult[], SweepResult[]][] = [
    ['none-fastest', [goodRun((x) => (x.mode === 'aof-everysec' && x.fault === 'sigkill' ? { ...x, throughputOps: 120_000 } : x))], []],
    // loss reaching back before the snapshot that completed
    ['rdb-loses-since-snapshot', [goodRun((x) => (x.mode === 'rdb' && x.fault === 'sigkill' ? { ...x, lossWindowMs: 1500 } : x))], []],
    ['rdb-loses-since-snapshot', [goodRun((x) => (x.mode === 'rdb' && x.fault === 'sigkill' ? { ...x, lost: 0, lossPct: 0 } : x))], []],
    // the built-in server's flat snapshot start
    ['fork-pause-grows', [], [sweep([pt(100_000, { forkUsec: 300 }), pt(1_000_000, { forkUsec: 320 }), pt(4_000_000, { forkUsec: 310 })])]],
    ['rdb-loads-faster', [], [sweep([pt(1_000_000, { rdbLoad: { recoveryMs: 800, loadMs: 730 }, aofLoad: { recoveryMs: 850, loadMs: 790 } })])]],
    ['aof-bigger', [], [sweep([pt(1_000_000, { aofBytes: 100 })])]],
    // a power cut that took more from everysec (20%) than from rdb (10%)
    ['aof-more-durable', [goodRun((x) => (x.mode === 'rdb' && x.fault === 'power-loss' ? { ...x, lossPct: 10 } : x))], []],
    ['rdb-aof-restarts-from-aof', [goodRun((x) => (x.mode === 'rdb+aof' ? { ...x, lost: 5, lossPct: 0.1, outcome: 'lost-writes' } : x))], []],
    ['cow-costs-changes', [], [sweep([pt(1_000_000, { cowBytes: 200_000_000, snapshotWrites: 100 })])]],
    ['fsync-policies', [goodRun((x) => (x.mode === 'aof-always' && x.fault === 'power-loss' ? { ...x, lost: 1, lossPct: 0.1 } : x))], []],
    ['fsync-policies', [goodRun((x) => (x.mode === 'aof-everysec' && x.fault === 'power-loss' ? { ...x, lossWindowMs: 2600 } : x))], []],
    // redis-server 7.0 after a rewrite: a short write on the full disk left a hole in the incr file
    ['full-disk-aof-loads', [fullRun((x) => (x.mode === 'aof-everysec' ? { ...x, outcome: 'refused', outcomeDetail: 'Bad file format reading the append only file' } : x))], []],
    ['full-disk-aof-loads', [fullRun((x) => (x.mode === 'aof-no' ? { ...x, unexpected: 3 } : x))], []],
  ];
  for (const [id, runs, sweeps] of cases) {
    it(id, () => {
      const v = verdictOf(id, runs, sweeps);
      expect(v.verdict, v.evidence).toBe('did not hold');
    });
  }
});

describe('claims: not measured, with the reason', () => {
  it('nothing to judge: every claim says what is missing', () => {
    for (const v of evaluateClaims([], [], [T])) {
      expect(v.verdict).toBe('not measured');
      expect(v.evidence).not.toBe('');
    }
  });

  it('power-loss trials skipped for want of strace: the claims that need them say so', () => {
    const run = goodRun((x) => (x.fault === 'power-loss' ? { ...x, error: 'skipped: strace not found on PATH' } : x));
    for (const id of ['aof-more-durable', 'fsync-policies'] as const) {
      const v = verdictOf(id, [run], []);
      expect(v.verdict).toBe('not measured');
      expect(v.evidence).toContain('strace not found');
    }
    expect(verdictOf('rdb-aof-restarts-from-aof', [run], []).verdict).toBe('held');
  });

  it('disk-full trials skipped for want of root: the full-disk claim says so, and names a refusal when there is one', () => {
    const run = fullRun((x) => ({ ...x, error: 'skipped: mounting a tmpfs needs root' }));
    const v = verdictOf('full-disk-aof-loads', [goodRun(), run], []);
    expect(v.verdict).toBe('not measured');
    expect(v.evidence).toContain('needs root');
    const refused = fullRun((x) => (x.mode === 'rdb+aof' ? { ...x, outcome: 'refused', outcomeDetail: 'Bad file format' } : x));
    expect(verdictOf('full-disk-aof-loads', [refused], []).evidence).toContain('1 refused to restart, 0 served wrong data, at most 2 acknowledged writes lost — rdb+aof: Bad file format');
  });

  it('an open-loop run says nothing about the fastest mode; one size says nothing about growth', () => {
    expect(verdictOf('none-fastest', [goodRun(undefined, { rate: 5000 })], []).verdict).toBe('not measured');
    expect(verdictOf('fork-pause-grows', [], [sweep([pt(1_000_000, { forkUsec: 4000 })])]).verdict).toBe('not measured');
  });

  it('rdb alone lost nothing: the restart from the AOF cannot be told apart', () => {
    const run = goodRun((x) => (x.mode === 'rdb' && x.fault === 'sigkill' ? { ...x, lost: 0, lossPct: 0 } : x));
    expect(verdictOf('rdb-aof-restarts-from-aof', [run], []).verdict).toBe('not measured');
  });

  it('skipped and failed sweep points are not figures', () => {
    const s = sweep([pt(100_000, { forkUsec: 400, skipped: 'needs 30 GB' }), pt(1_000_000, { forkUsec: 4000, error: 'boom' })]);
    expect(verdictOf('aof-bigger', [], [s]).verdict).toBe('not measured');
  });
});

describe('the last completed snapshot before the kill', () => {
  it('a snapshot still running at the kill does not count; none at all is the preload\'s (0)', () => {
    expect(lastCompletedSnapshot(tl([['snapshot-start', 100], ['snapshot-end', 200], ['snapshot-start', 900], ['fault', 950]]))).toEqual({ startMs: 100, killMs: 950 });
    expect(lastCompletedSnapshot(tl([['fault', 950]]))).toEqual({ startMs: 0, killMs: 950 });
    expect(lastCompletedSnapshot(tl([]))).toBeNull();
  });
});
