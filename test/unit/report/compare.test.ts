import { describe, expect, it } from 'vitest';
import { compareResults, hasRegression, scenarioDifferences } from '../../../src/report/compare.js';
import { renderCompare } from '../../../src/report/compare-table.js';
import type { MicroResult } from '../../../src/report/micro-result.js';
import type { TrialResult } from '../../../src/shared/result.js';
import { result, trial, typicalTrials } from './fixtures.js';

const base = result(typicalTrials());
const tweak = (f: (t: TrialResult) => Partial<TrialResult>) => result(typicalTrials().map((t) => ({ ...t, ...f(t) })));
const row = (rows: ReturnType<typeof compareResults>, mode: string, metric: string) =>
  rows.find((r) => r.mode === mode && r.metric === metric)!;

describe('compareResults on runs', () => {
  it('identical runs: everything same, no regression', () => {
    const rows = compareResults(base, base, { thresholdPct: 10 });
    expect(rows.every((r) => r.verdict === 'same')).toBe(true);
    expect(hasRegression(rows)).toBe(false);
  });

  it('higher-is-better metric dropping beyond the threshold is a regression', () => {
    const rows = compareResults(base, tweak((t) => ({ throughputOps: t.throughputOps * 0.8 })), { thresholdPct: 10 });
    const r = row(rows, 'none', 'throughput');
    expect(r).toMatchObject({ verdict: 'regression', baseline: 107_000, current: 85_600, better: 'higher', unit: 'ops/s' });
    expect(r.changePct).toBeCloseTo(-20);
    expect(hasRegression(rows)).toBe(true);
  });

  it('lower-is-better metric rising beyond the threshold is a regression', () => {
    const rows = compareResults(base, tweak((t) => ({ recoveryMs: (t.recoveryMs ?? 0) * 1.5 })), { thresholdPct: 10 });
    expect(row(rows, 'rdb', 'recovery_ms')).toMatchObject({ verdict: 'regression', changePct: 50 });
  });

  it('moves in the good direction are improvements', () => {
    const rows = compareResults(base, tweak((t) => ({ throughputOps: t.throughputOps * 1.3, p99Ms: 1 })), { thresholdPct: 10 });
    expect(row(rows, 'none', 'throughput').verdict).toBe('improvement');
    expect(row(rows, 'none', 'p99_ms').verdict).toBe('improvement');
    expect(hasRegression(rows)).toBe(false);
  });

  it('within the threshold is the same, in either direction', () => {
    const rows = compareResults(base, tweak((t) => ({ throughputOps: t.throughputOps * 0.95, p99Ms: 2.2 })), { thresholdPct: 10 });
    expect(row(rows, 'none', 'throughput').verdict).toBe('same');
    expect(row(rows, 'none', 'p99_ms').verdict).toBe('same');
    expect(hasRegression(rows)).toBe(false);
  });

  it('from zero: any loss where there was none is a regression', () => {
    const rows = compareResults(base, tweak((t) => (t.mode === 'aof-always' ? { lost: 1 } : {})), { thresholdPct: 1000 });
    expect(row(rows, 'aof-always', 'lost')).toMatchObject({ verdict: 'regression', changePct: null, baseline: 0, current: 1 });
  });

  it('trials that started failing are a regression', () => {
    const cur = result([...typicalTrials(), trial({ mode: 'aof-always', trial: 4, error: 'crashed' })]);
    const rows = compareResults(base, cur, { thresholdPct: 10 });
    expect(row(rows, 'aof-always', 'errors')).toMatchObject({ verdict: 'regression', baseline: 0, current: 1 });
  });

  it('modes on one side only are reported as missing', () => {
    const cur = result(typicalTrials().filter((t) => t.mode !== 'rdb'));
    const rows = compareResults(base, cur, { thresholdPct: 10 });
    expect(row(rows, 'rdb', '*')).toMatchObject({ verdict: 'missing', note: 'not in the current result' });
    expect(hasRegression(rows)).toBe(false);
  });

  it('refuses to compare a run with a micro result, or a bad threshold', () => {
    const micro = { schemaVersion: 1, kind: 'micro', benchmarks: [] } as unknown as MicroResult;
    expect(() => compareResults(base, micro, { thresholdPct: 10 })).toThrow(/cannot compare a 'run' result with a 'micro' result/);
    expect(() => compareResults(base, base, { thresholdPct: NaN })).toThrow(/threshold/);
  });

  it('renders changed rows grouped by target:mode, and a summary line', () => {
    const rows = compareResults(base, tweak((t) => ({ throughputOps: t.throughputOps * 0.8 })), { thresholdPct: 10 });
    const out = renderCompare(rows, { thresholdPct: 10 });
    expect(out).toContain('builtin:none');
    expect(out).toMatch(/throughput\s+│\s+107k ops\/s │\s+85.6k ops\/s │\s+-20.0% │ REGRESSION/);
    expect(out).not.toMatch(/│ p99_ms /);
    expect(out.trim().split('\n').at(-1)).toMatch(/^Compare: REGRESSION — 3 regressed, 0 improved, \d+ unchanged, 0 missing \(threshold ±10%\)\.$/);
    expect(renderCompare(rows, { all: true })).toMatch(/│ p99_ms /);
    expect(Math.max(...out.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
  });
});

describe('scenarioDifferences', () => {
  it('names settings that differ, but not the seed', () => {
    expect(scenarioDifferences(base, result(typicalTrials(), { seed: 7 }))).toEqual([]);
    expect(scenarioDifferences(base, result(typicalTrials(), { workload: 'overwrite', clients: 8 }))).toEqual([
      'workload "unique-set" vs "overwrite"',
      'clients 4 vs 8',
    ]);
  });
});

describe('compareResults on micro results', () => {
  const micro = (ops: Record<string, number>): MicroResult => ({
    schemaVersion: 1, kind: 'micro', tool: { name: 'durabench', version: '1' },
    environment: { node: 'v20', os: 'linux', cpu: 'x', cores: 2, memoryBytes: 1 }, startedAt: '', timeMs: 100,
    benchmarks: Object.entries(ops).map(([name, opsPerSec]) => ({
      name, opsPerSec, meanMs: 1000 / opsPerSec, medianMs: 1000 / opsPerSec, p99Ms: 1, rme: 1, samples: 10,
    })),
  });

  it('judges ops/s: slower is a regression, faster an improvement, new/removed missing', () => {
    const rows = compareResults(micro({ a: 1000, b: 1000, c: 1000, gone: 5 }), micro({ a: 700, b: 1500, c: 1050, new: 1 }), { thresholdPct: 10 });
    const v = Object.fromEntries(rows.map((r) => [r.metric, r.verdict]));
    expect(v).toEqual({ a: 'regression', b: 'improvement', c: 'same', gone: 'missing', new: 'missing' });
    expect(renderCompare(rows)).toContain('micro-benchmarks');
  });
});
