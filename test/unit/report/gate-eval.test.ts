import { describe, expect, it } from 'vitest';
import { evaluateGates } from '../../../src/report/gate-eval.js';
import { result, trial, typicalTrials } from './fixtures.js';

const run = result(typicalTrials());

describe('evaluateGates', () => {
  it('passes and fails on plain thresholds with value and threshold', () => {
    const [pass, fail] = evaluateGates(['lost[aof-always].max == 0', 'loss_pct[rdb].median < 10'], run);
    expect(pass).toMatchObject({
      pass: true, value: 0, threshold: 0, target: 'builtin', mode: 'aof-always', reason: null,
      check: 'lost[builtin:aof-always@sigkill].max == 0',
    });
    expect(fail).toMatchObject({ pass: false, value: 32, threshold: 10, reason: null });
  });

  it('aggregates: median, p50, mean, min, max', () => {
    // rdb lossPct over trials: 31, 32, 33
    const v = (agg: string) => evaluateGates([`loss_pct[rdb].${agg} >= 0`], run)[0]!.value;
    expect(v('median')).toBe(32);
    expect(v('p50')).toBe(32);
    expect(v('mean')).toBe(32);
    expect(v('min')).toBe(31);
    expect(v('max')).toBe(33);
  });

  it('* checks every mode present and reports each', () => {
    const out = evaluateGates(['loss_pct[*].max < 50'], run);
    expect(out.map((o) => [o.mode, o.pass])).toEqual([
      ['none', false],
      ['rdb', true],
      ['aof-always', true],
    ]);
  });

  it('without a target, every target is checked; with one, only it', () => {
    const two = result(typicalTrials(['builtin', 'redis']));
    expect(evaluateGates(['lost[aof-always].max == 0'], two).map((o) => o.target)).toEqual(['builtin', 'redis']);
    expect(evaluateGates(['lost[redis:aof-always].max == 0'], two).map((o) => o.target)).toEqual(['redis']);
  });

  it('a metric that was not measured fails with a reason', () => {
    const [o] = evaluateGates(['fork_usec[aof-always].max < 10000'], run);
    expect(o).toMatchObject({ pass: false, value: null, reason: 'fork_usec was not measured' });
  });

  it('a mode that is not in the run fails with a reason', () => {
    const [o] = evaluateGates(['lost[aof-everysec].max == 0'], run);
    expect(o).toMatchObject({ pass: false, reason: 'no trials for aof-everysec in this result' });
    const [p] = evaluateGates(['lost[redis:aof-always].max == 0'], run);
    expect(p!.reason).toBe('no trials for redis:aof-always in this result');
  });

  it('a trial with an error fails the gate even when the numbers would pass', () => {
    const r = result([trial({ trial: 1 }), trial({ trial: 2, error: 'target crashed: SIGSEGV\nstack…' })]);
    const [o] = evaluateGates(['lost[aof-always].max == 0'], r);
    expect(o).toMatchObject({ pass: false, reason: '1 of 2 trials failed (target crashed: SIGSEGV)' });
  });

  it('baseline: same metric/target/mode/agg in the baseline result', () => {
    const base = result(typicalTrials().map((t) => ({ ...t, p99Ms: 2.0 })));
    const cur = result(typicalTrials().map((t) => ({ ...t, p99Ms: t.mode === 'rdb' ? 3.0 : 2.1 })));
    const out = evaluateGates(['p99_ms[*].median <= 1.1 * baseline'], cur, base);
    expect(out.map((o) => [o.mode, o.pass])).toEqual([
      ['none', true],
      ['rdb', false],
      ['aof-always', true],
    ]);
    expect(out[1]).toMatchObject({ value: 3, threshold: 2.2 });
    expect(out[1]!.thresholdFrom).toBe('1.1 × baseline 2');
  });

  it('baseline missing, or missing the mode, fails with a reason', () => {
    expect(evaluateGates(['p99_ms[rdb].median <= baseline'], run)[0]).toMatchObject({
      pass: false, reason: 'needs a baseline result (--baseline)',
    });
    const base = result(typicalTrials().filter((t) => t.mode !== 'rdb'));
    expect(evaluateGates(['p99_ms[rdb].median <= baseline'], run, base)[0]).toMatchObject({
      pass: false, reason: 'baseline has no trials for builtin:rdb@sigkill',
    });
  });

  it('ratio between modes of the same run, per target', () => {
    const two = result(typicalTrials(['builtin', 'redis']).map((t) =>
      t.target === 'redis' && t.mode === 'aof-always' ? { ...t, throughputOps: 10_000 } : t));
    const out = evaluateGates(['throughput[aof-always].median >= 0.5 * throughput[none].median'], two);
    expect(out.map((o) => [o.target, o.pass])).toEqual([
      ['builtin', true],
      ['redis', false],
    ]);
    expect(out[0]).toMatchObject({ value: 83_000, threshold: 53_500 });
    expect(out[0]!.thresholdFrom).toBe('0.5 × throughput[builtin:none@sigkill].median 107k');
  });

  it('ratio against a failed or missing mode fails', () => {
    const r = result([...typicalTrials(), trial({ mode: 'none', trial: 9, error: 'boom' })]);
    const [o] = evaluateGates(['throughput[aof-always].median >= 0.5 * throughput[none].median'], r);
    expect(o!.pass).toBe(false);
    expect(o!.reason).toMatch(/throughput\[builtin:none@sigkill\]\.median: 1 of 4 trials failed \(boom\)/);
    const [p] = evaluateGates(['throughput[aof-always].median >= 0.5 * throughput[aof-no].median'], run);
    expect(p!.reason).toMatch(/no trials for builtin:aof-no@sigkill/);
  });

  it('parse errors propagate as ConfigError', () => {
    expect(() => evaluateGates(['lost[aof-alwys].max == 0'], run)).toThrow(/unknown mode 'aof-alwys'/);
  });

  it('outcomes are JSON-safe', () => {
    const out = evaluateGates(['lost[*].max == 0', 'fork_usec[*].max < 1', 'p99_ms[*].median <= baseline'], run);
    expect(JSON.stringify(out)).not.toMatch(/NaN|Infinity/);
  });

  describe('faults', () => {
    // sigkill: typical; sigterm: nothing lost anywhere (none included, for the test's sake)
    const twoFaults = result([
      ...typicalTrials(),
      ...typicalTrials().map((t) => ({ ...t, fault: 'sigterm' as const, lost: 0, lossPct: 0, lossWindowMs: 0 })),
    ]);

    it('without @fault every fault is checked on its own, with the fault in the check', () => {
      const out = evaluateGates(['loss_pct[rdb].max < 10'], twoFaults);
      expect(out.map((o) => [o.check, o.fault, o.pass])).toEqual([
        ['loss_pct[builtin:rdb@sigkill].max < 10', 'sigkill', false],
        ['loss_pct[builtin:rdb@sigterm].max < 10', 'sigterm', true],
      ]);
    });

    it('@fault checks only that fault; @* all of them', () => {
      expect(evaluateGates(['loss_pct[rdb@sigterm].max < 10'], twoFaults).map((o) => [o.fault, o.pass])).toEqual([
        ['sigterm', true],
      ]);
      expect(evaluateGates(['loss_pct[*@sigkill].max < 10'], twoFaults).map((o) => [o.mode, o.pass])).toEqual([
        ['none', false],
        ['rdb', false],
        ['aof-always', true],
      ]);
      expect(evaluateGates(['lost[builtin:*@sigterm].max == 0'], twoFaults).every((o) => o.pass && o.fault === 'sigterm')).toBe(true);
      expect(evaluateGates(['lost[aof-always@*].max == 0'], twoFaults)).toHaveLength(2);
    });

    it('a fault that is not in the run fails with a reason', () => {
      const [o] = evaluateGates(['lost[aof-always@sigkill-during-bgsave].max == 0'], twoFaults);
      expect(o).toMatchObject({ pass: false, reason: 'no trials for aof-always@sigkill-during-bgsave in this result' });
    });

    it('a ref on the right defaults to the checked fault, or takes the one written', () => {
      const same = evaluateGates(['loss_pct[rdb].median <= loss_pct[none].median'], twoFaults);
      expect(same.map((o) => [o.fault, o.threshold])).toEqual([
        ['sigkill', 100],
        ['sigterm', 0],
      ]);
      expect(same[1]!.thresholdFrom).toBe('loss_pct[builtin:none@sigterm].median 0');
      const cross = evaluateGates(['loss_pct[rdb@sigterm].median <= 0.1 * loss_pct[rdb@sigkill].median'], twoFaults);
      expect(cross).toHaveLength(1);
      expect(cross[0]).toMatchObject({ fault: 'sigterm', threshold: 3.2, pass: true });
      const [missing] = evaluateGates(['lost[rdb].max <= lost[rdb@sigkill-during-rewrite].max'], twoFaults);
      expect(missing!.reason).toMatch(/no trials for builtin:rdb@sigkill-during-rewrite/);
    });

    it('baseline is matched on the fault too', () => {
      const base = result(typicalTrials());
      const out = evaluateGates(['lost[aof-always].max <= baseline'], twoFaults, base);
      expect(out.map((o) => [o.fault, o.pass, o.reason])).toEqual([
        ['sigkill', true, null],
        ['sigterm', false, 'baseline has no trials for builtin:aof-always@sigterm'],
      ]);
    });

    it('wrong_data and refused are per-trial 0/1 gates; unjudged trials are not measured', () => {
      const r = result([
        trial({ trial: 1, outcome: 'intact' }),
        trial({ trial: 2, outcome: 'wrong-data', unexpected: 2 }),
        trial({ trial: 3, outcome: 'refused' }),
      ]);
      expect(evaluateGates(['wrong_data[*].max == 0'], r)[0]).toMatchObject({ pass: false, value: 1 });
      expect(evaluateGates(['refused[*].mean <= 0.2'], r)[0]).toMatchObject({ pass: false });
      expect(evaluateGates(['refused[*].median == 0'], r)[0]).toMatchObject({ pass: true, value: 0 });
      const old = result([trial({ outcome: null })]);
      expect(evaluateGates(['wrong_data[*].max == 0'], old)[0]).toMatchObject({ pass: false, reason: 'wrong_data was not measured' });
    });
  });
});
