import { describe, expect, it } from 'vitest';
import { REFUSAL_IS_AN_ANSWER, sanityVerdicts } from '../../../src/harness/check/sanity.js';
import { faults } from '../../../src/harness/faults/index.js';
import type { TrialResult } from '../../../src/shared/result.js';
import { FAULTS, MODES, type FaultKind, type Mode } from '../../../src/shared/types.js';

function trial(mode: Mode, fault: FaultKind, acked: number, lost: number, extra: Partial<TrialResult> = {}): TrialResult {
  return {
    target: 'redis', mode, fault, trial: 0, seed: 1, flags: [], error: null,
    outcome: lost > 0 ? 'lost-writes' : 'intact', outcomeDetail: null, traced: false, faultDetail: null,
    bytesWritten: null, bytesWrittenPerWrite: null, writeAmplification: null,
    attempted: acked, acked, failed: 0, inFlight: 0, lost, recovered: 0, unexpected: 0, duplicated: 0, reordered: 0,
    lossPct: acked ? (lost / acked) * 100 : 0, staleReads: null, partialTx: null, lossWindowMs: 0, recoveryMs: 1, loadMs: 1, keysRecovered: 0, loadKeysPerSec: null,
    loadMBPerSec: null, rdbBytes: 0, aofBytes: 0, diskBytes: 0, bytesPerKey: null, spaceAmplification: null, forkUsec: null,
    cowBytes: null, snapshotMaxLatencyMs: null, throughputOps: 1, p50Ms: null, p99Ms: null, p999Ms: null, maxMs: null,
    sendLagP99Ms: null, sendLagMaxMs: null, unsentDue: null, readThroughputOps: null, readP99Ms: null, writeMs: 1, timeline: null,
    ...extra,
  };
}

describe('sanity verdicts', () => {
  it('that held over many trials are one line of ranges, not every trial', () => {
    const acked = [10_100, 37_500, 20_000, 15_000];
    const v = sanityVerdicts([
      ...acked.map((a, i) => ({ ...trial('aof-always', 'sigkill', a, 0), trial: i })),
      ...acked.map((a, i) => ({ ...trial('none', 'sigkill', a, a), trial: i })),
    ]);
    const detail = (mode: string, check: string) => v.find((x) => x.mode === mode && x.check.startsWith(check))!.detail;
    expect(detail('aof-always', 'aof-always + SIGKILL')).toBe('lost 0 of 10.1k–37.5k acked in 4 trials');
    expect(detail('none', 'none + SIGKILL')).toBe('lost 10.1k–37.5k of 10.1k–37.5k acked in 4 trials');
    expect(detail('none', 'the restart')).toBe('lost-writes ×4 in 4 trials');
    expect(detail('none', 'no value')).toBe('0 unexpected, 0 duplicated in 4 trials');
    expect(sanityVerdicts([trial('aof-always', 'sigkill', 1234, 0)])[0]!.detail).toBe('lost 0 of 1234 acked in 1 trial');
  });

  it('hold for a correct run', () => {
    const v = sanityVerdicts([trial('none', 'sigkill', 100, 100), trial('aof-always', 'sigkill', 50, 0), trial('rdb', 'sigkill', 80, 30)]);
    expect(v.every((x) => x.ok)).toBe(true);
    expect(v.map((x) => `${x.mode}: ${x.check}`)).toEqual([
      'none: none + SIGKILL loses every acknowledged write [sigkill]',
      'none: the restart does not refuse to start [sigkill]',
      'none: no value nobody wrote, no duplicated element [sigkill]',
      'aof-always: aof-always + SIGKILL loses no acknowledged write [sigkill]',
      'aof-always: the restart does not refuse to start [sigkill]',
      'aof-always: no value nobody wrote, no duplicated element [sigkill]',
      'rdb: the restart does not refuse to start [sigkill]',
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
    expect(v.map((x) => x.check)).toEqual([
      'the restart does not refuse to start [sigterm]',
      'no value nobody wrote, no duplicated element [sigterm]',
    ]);
  });

  // kinds other branches add; cast so this test runs before they land
  const fk = (k: string) => k as FaultKind;

  it('the none / aof-always certainties hold after a power loss too, named so', () => {
    const ok = sanityVerdicts([trial('none', fk('power-loss'), 100, 100), trial('aof-always', fk('power-loss-torn'), 50, 0)]);
    expect(ok.every((x) => x.ok)).toBe(true);
    expect(ok.map((x) => x.check)).toContain('none + power loss loses every acknowledged write [power-loss]');
    expect(ok.map((x) => x.check)).toContain('aof-always + power loss loses no acknowledged write [power-loss-torn]');
    const bad = sanityVerdicts([trial('aof-always', fk('power-loss'), 50, 3)]).filter((x) => !x.ok);
    expect(bad.map((x) => x.check)).toEqual(['aof-always + power loss loses no acknowledged write [power-loss]']);
    // other faults make no such promise: everysec may lose under power loss, none may survive a pause
    const none = sanityVerdicts([trial('aof-everysec', fk('power-loss'), 50, 20), trial('none', fk('pause'), 50, 0)]);
    expect(none.every((x) => x.ok)).toBe(true);
  });

  it('wrong data is always broken, whatever the fault and the counts', () => {
    for (const f of ['sigkill', 'corrupt', 'torn-tail', 'pause']) {
      const v = sanityVerdicts([trial('rdb', fk(f), 10, 0, { outcome: 'wrong-data', outcomeDetail: 'key k1 holds v9' })]);
      const broken = v.filter((x) => !x.ok);
      expect(broken.map((x) => x.check)).toEqual([`no value nobody wrote, no duplicated element [${f}]`]);
      expect(broken[0]!.detail).toContain('WRONG DATA');
      expect(broken[0]!.detail).toContain('key k1 holds v9');
    }
  });

  it('refusing to restart is broken, except where refusal is an answer (corrupt, torn-tail)', () => {
    const refused = (f: string, mode: Mode = 'aof-everysec') =>
      trial(mode, fk(f), 10, 10, { outcome: 'refused', outcomeDetail: 'Bad file format reading the append only file' });
    // a torn AOF tail must be trimmed, not refused
    for (const f of ['sigkill', 'power-loss', 'disk-full', 'pause', 'sigkill-during-load', 'sigterm', 'torn-tail']) {
      const broken = sanityVerdicts([refused(f)]).filter((x) => !x.ok);
      expect(broken.map((x) => x.check)).toContain(`the restart does not refuse to start [${f}]`);
      expect(broken.find((x) => x.check.startsWith('the restart'))!.detail).toContain('refused: Bad file format');
    }
    for (const [f, mode] of [['corrupt', 'aof-everysec'], ['torn-tail', 'rdb']] as const) {
      const v = sanityVerdicts([refused(f, mode)]);
      expect(v.every((x) => x.ok)).toBe(true);
      expect(v.map((x) => x.check)).toEqual([`no value nobody wrote, no duplicated element [${f}]`]);
    }
    expect(Object.keys(REFUSAL_IS_AN_ANSWER).sort()).toEqual(['corrupt', 'torn-tail']);
  });

  it('an unjudged trial (outcome null, e.g. an old result) is not held to the refusal rule', () => {
    const v = sanityVerdicts([trial('rdb', 'sigkill', 10, 10, { outcome: null })]);
    expect(v.map((x) => x.check)).toEqual(['no value nobody wrote, no duplicated element [sigkill]']);
  });

  it("REFUSAL_IS_AN_ANSWER agrees with each registered fault's refusalIsCorrect, mode by mode", () => {
    for (const f of FAULTS) {
      for (const mode of MODES) {
        const fault: { refusalIsCorrect?: (m: typeof mode) => boolean } = faults[f];
        const registry = fault.refusalIsCorrect?.(mode) ?? false;
        const table = Object.hasOwn(REFUSAL_IS_AN_ANSWER, f) && REFUSAL_IS_AN_ANSWER[f]!({ mode });
        expect([f, mode, registry]).toEqual([f, mode, table]);
      }
    }
  });

  it("a power cut's loss window must not reach past the AOF's last sync (ledger vs trace)", () => {
    const within = trial('aof-everysec', 'power-loss', 100, 10, { lossWindowMs: 250, faultDetail: { durable_horizon_ms: 300 } });
    const beyond = trial('aof-everysec', 'power-loss', 100, 10, { lossWindowMs: 900, faultDetail: { durable_horizon_ms: 300 } });
    const rule = (v: ReturnType<typeof sanityVerdicts>) => v.find((x) => x.check.startsWith('the loss reaches back'));
    expect(rule(sanityVerdicts([within]))?.ok).toBe(true);
    expect(rule(sanityVerdicts([beyond]))).toMatchObject({ ok: false });
    expect(rule(sanityVerdicts([beyond]))!.detail).toContain('loss window 900 ms, last sync 300 ms before the kill');
    // nothing lost, or no AOF bytes dropped: nothing to judge
    expect(rule(sanityVerdicts([trial('aof-always', 'power-loss', 100, 0, { faultDetail: { durable_horizon_ms: 300 } })]))).toBeUndefined();
    expect(rule(sanityVerdicts([trial('rdb', 'power-loss', 100, 10, { lossWindowMs: 900, faultDetail: { durable_horizon_ms: null } })]))).toBeUndefined();
  });

  it('a partially applied transaction is BROKEN in every mode and fault; none is one line', () => {
    for (const mode of MODES) {
      for (const fault of ['sigkill', 'power-loss', 'torn-tail'] as FaultKind[]) {
        const v = sanityVerdicts([trial(mode, fault, 100, 0, { partialTx: 2 })]).find((x) => x.check.startsWith('no transaction partially applied'))!;
        expect(v.ok, `${mode} ${fault}`).toBe(false);
        expect(v.detail).toBe('BROKEN in 1 of 1 trial(s): trial 1 ATOMICITY VIOLATED: 2 transaction(s) partially applied');
      }
    }
    const ok = sanityVerdicts([trial('rdb', 'sigkill', 100, 40, { partialTx: 0 }), { ...trial('rdb', 'sigkill', 300, 40, { partialTx: 0 }), trial: 1 }]);
    expect(ok.find((x) => x.check.startsWith('no transaction'))!.detail).toBe('0 partially applied, of 100–300 acked transactions in 2 trials');
    // other workloads (partialTx null) are not judged by it
    expect(sanityVerdicts([trial('rdb', 'sigkill', 100, 40)]).some((x) => x.check.startsWith('no transaction'))).toBe(false);
  });
});
