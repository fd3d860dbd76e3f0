import { describe, expect, it } from 'vitest';
import { detailKeys, renderFaultTables } from '../../../src/report/fault-tables.js';
import { stripAnsi } from '../../../src/report/format.js';
import { renderTables } from '../../../src/report/table.js';
import type { FaultKind } from '../../../src/shared/types.js';
import { result, trial, typicalTrials } from './fixtures.js';

const fk = (k: string) => k as FaultKind;
const widest = (s: string) => Math.max(...stripAnsi(s).split('\n').map((l) => [...l].length));

describe('renderFaultTables', () => {
  it('nothing when no trial carries fault figures', () => {
    expect(renderFaultTables(result(typicalTrials()))).toBe('');
  });

  it('one table per fault with figures; friendly headers for known keys, raw for the others', () => {
    const trials = [
      trial({ mode: 'aof-everysec', fault: fk('power-loss'), traced: true, faultDetail: { trace_bytes: 2_500_000, dropped_bytes: 40_960, files_reverted: 1, my_new_key: 7 } }),
      trial({ mode: 'aof-everysec', fault: fk('power-loss'), trial: 2, traced: true, faultDetail: { trace_bytes: 3_500_000, dropped_bytes: 40_960, files_reverted: 1, my_new_key: 9 } }),
      trial({ mode: 'aof-always', fault: fk('disk-full'), faultDetail: { fs_bytes: 8_000_000, server_state: 'refused-writes', refusal_error: 'MISCONF Errors writing to the AOF file: No space left on device' } }),
      trial({ mode: 'aof-always', fault: 'sigkill' }),
    ];
    const out = stripAnsi(renderFaultTables(result(trials, { faults: ['sigkill', fk('power-loss'), fk('disk-full')] })));
    expect(out).toContain('Fault power-loss: what it did');
    expect(out).toContain('Fault disk-full: what it did');
    expect(out).not.toContain('Fault sigkill');
    expect(out).toMatch(/trace\s+│/);
    expect(out).toMatch(/dropped/);
    expect(out).toContain('my_new_key');
    expect(out).toContain('3 MB'); // median of 2.5 and 3.5 MB
    expect(out).toContain('2.5 MB–3.5 MB');
    expect(out).toContain('41 kB');
    expect(out).toContain('refused-writes');
    expect(out).toContain('MISCONF Errors writing …');
    expect(widest(out)).toBeLessThanOrEqual(100);
  });

  it('known keys first in their order, then unknown keys as first seen', () => {
    const ts = [
      trial({ faultDetail: { zeta: 1, cut_bytes: 10, alpha: 'x' } }),
      trial({ faultDetail: { cut_file: 'appendonly.aof.1.incr.aof', beta: 2 } }),
    ];
    expect(detailKeys(ts)).toEqual(['cut_file', 'cut_bytes', 'zeta', 'alpha', 'beta']);
  });

  it('shows the outcome class and, shortened, what the restart said', () => {
    const reason = 'Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup and run redis-check-aof --fix';
    const trials = [
      trial({ mode: 'rdb', fault: fk('corrupt'), outcome: 'refused', outcomeDetail: reason, faultDetail: { corrupt_file: 'dump.rdb', flipped_bytes: 4 } }),
      trial({ mode: 'rdb', fault: fk('corrupt'), trial: 2, outcome: 'intact', faultDetail: { corrupt_file: 'dump.rdb', flipped_bytes: 4 } }),
      trial({ mode: 'aof-always', fault: fk('corrupt'), outcome: 'wrong-data', faultDetail: { corrupt_file: 'appendonly.aof.1.incr.aof', flipped_bytes: 1 } }),
      trial({ mode: 'aof-always', target: 'redis', fault: fk('corrupt'), error: 'boom', faultDetail: { flipped_bytes: 1 } }),
    ];
    const out = stripAnsi(renderFaultTables(result(trials, { targets: ['builtin', 'redis'] })));
    expect(out).toContain('intact 1');
    expect(out).toContain('refused 1');
    expect(out).toContain('WRONG-DATA');
    expect(out).toContain('1 failed');
    expect(out).toContain('Bad file format reading the append only…');
    expect(out).not.toContain('redis-check-aof --fix');
    expect(out).toMatch(/target/);
    expect(widest(out)).toBeLessThanOrEqual(100);
  });

  it('renderTables prints them after the concern tables, and marks traced throughput rows', () => {
    const trials = [
      ...typicalTrials(),
      ...typicalTrials().map((t) => ({ ...t, fault: fk('power-loss'), traced: true, throughputOps: 9_000, faultDetail: { replay_ms: 12 } })),
    ];
    const out = stripAnsi(renderTables(result(trials, { faults: ['sigkill', fk('power-loss')] })));
    const tp = out.split('Throughput & latency')[1]!.split('Fault power-loss')[0]!;
    expect(tp).toMatch(/│ aof-always \*\s+│ power-loss\s+│\s+9k/);
    expect(tp).toMatch(/│ aof-always\s+│ sigkill\s+│\s+83k/);
    expect(tp).toContain('* traced: throughput of traced trials (power-loss) is not comparable with untraced ones.');
    expect(out.indexOf('Fault power-loss: what it did')).toBeGreaterThan(out.indexOf('Throughput & latency'));
    expect(widest(out)).toBeLessThanOrEqual(100);
  });

  it('never mixes traced and untraced trials of one group in a throughput cell', () => {
    const trials = [
      trial({ trial: 1, throughputOps: 80_000 }),
      trial({ trial: 2, throughputOps: 82_000 }),
      trial({ trial: 3, throughputOps: 5_000, traced: true }),
    ];
    const tp = stripAnsi(renderTables(result(trials))).split('Throughput & latency')[1]!;
    expect(tp).toMatch(/│ aof-always\s+│\s+81k\s*│/);
    expect(tp).toMatch(/│ aof-always \*\s+│\s+5k\s*│/);
    expect(tp).toContain('80k–82k');
    expect(tp).not.toContain('5k–');
  });
});
