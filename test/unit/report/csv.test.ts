import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, neutralise, renderCsv } from '../../../src/report/csv.js';
import { METRICS } from '../../../src/shared/metrics.js';
import { parseCsv } from './csv-parse.js';
import { result, trial, typicalTrials } from './fixtures.js';

describe('renderCsv', () => {
  it('has a fixed header with units in the names, whatever the data', () => {
    const a = parseCsv(renderCsv(result(typicalTrials())))[0];
    const b = parseCsv(renderCsv(result([])))[0];
    expect(a).toEqual([...CSV_COLUMNS]);
    expect(b).toEqual([...CSV_COLUMNS]);
    for (const c of ['row_kind', 'target', 'mode', 'fault', 'trial', 'acked', 'lost', 'loss_pct', 'recovery_ms',
      'disk_bytes', 'fork_usec', 'throughput_ops_per_sec', 'p99_ms']) {
      expect(a).toContain(c);
    }
    expect(a!.length).toBeGreaterThanOrEqual(Object.keys(METRICS).length + 8);
  });

  it('one row per trial then median/min/max rows per target/mode/fault', () => {
    const rows = parseCsv(renderCsv(result(typicalTrials())));
    const [header, ...data] = rows;
    const col = (name: string) => header!.indexOf(name);
    const kinds = data.map((r) => r[col('row_kind')]);
    expect(kinds.filter((k) => k === 'trial')).toHaveLength(9);
    expect(kinds.filter((k) => k === 'median')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'min')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'max')).toHaveLength(3);
    for (const r of data) expect(r).toHaveLength(header!.length);
    const noneMedian = data.find((r) => r[col('row_kind')] === 'median' && r[col('mode')] === 'none')!;
    expect(noneMedian[col('acked')]).toBe('12200');
    expect(noneMedian[col('loss_pct')]).toBe('100');
    expect(noneMedian[col('trials')]).toBe('3');
    expect(noneMedian[col('trial')]).toBe('');
  });

  it('null is an empty cell; NaN and Infinity never appear', () => {
    const t = trial({ forkUsec: null, recoveryMs: NaN, p99Ms: Infinity });
    const text = renderCsv(result([t]));
    expect(text).not.toMatch(/NaN|Infinity|null|undefined/);
    const [header, row] = parseCsv(text);
    expect(row![header!.indexOf('fork_usec')]).toBe('');
    expect(row![header!.indexOf('recovery_ms')]).toBe('');
    expect(row![header!.indexOf('p99_ms')]).toBe('');
  });

  it('quotes commas, quotes and newlines correctly', () => {
    const t = trial({ error: 'boom, "quoted"\nsecond line' });
    const text = renderCsv(result([t]));
    const [header, row] = parseCsv(text);
    expect(row![header!.indexOf('error')]).toBe('boom, "quoted"\nsecond line');
    expect(text).toContain('"boom, ""quoted""\nsecond line"');
  });

  it('neutralises formula-looking text but not our negative numbers', () => {
    expect(neutralise('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(neutralise('+1')).toBe(`'+1`);
    expect(neutralise('-ERR')).toBe(`'-ERR`);
    expect(neutralise('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(neutralise('\tx')).toBe(`'\tx`);
    expect(neutralise('fine')).toBe('fine');
    const t = trial({ error: '=cmd|calc', flags: ['--save', ''], lossWindowMs: -5 });
    const [header, row] = parseCsv(renderCsv(result([t])));
    expect(row![header!.indexOf('error')]).toBe(`'=cmd|calc`);
    expect(row![header!.indexOf('flags')]).toBe(`'--save ""`);
    expect(row![header!.indexOf('loss_window_ms')]).toBe('-5');
  });

  it('carries outcome, outcome_detail, traced and fault_detail (compact JSON, quoted), before flags and error', () => {
    for (const c of ['outcome', 'outcome_detail', 'traced', 'fault_detail']) expect(CSV_COLUMNS).toContain(c);
    expect(CSV_COLUMNS.slice(-6)).toEqual(['outcome', 'outcome_detail', 'traced', 'fault_detail', 'flags', 'error']);
    const detail = { trace_bytes: 123_456, refusal_error: 'ENOSPC, "no space"', server_state: 'refused-writes', replay_ms: null };
    const t = trial({
      outcome: 'refused',
      outcomeDetail: 'Bad file format reading the append only file, line 2\nmore',
      traced: true,
      faultDetail: detail,
    });
    const text = renderCsv(result([t, trial({ trial: 2 })]));
    const [header, row, plain, median] = parseCsv(text);
    const at = (r: string[] | undefined, c: string) => r![header!.indexOf(c)];
    expect(at(row, 'outcome')).toBe('refused');
    expect(at(row, 'outcome_detail')).toBe('Bad file format reading the append only file, line 2\nmore');
    expect(at(row, 'traced')).toBe('1');
    expect(at(row, 'fault_detail')).toBe(
      '{"trace_bytes":123456,"refusal_error":"ENOSPC, \\"no space\\"","server_state":"refused-writes","replay_ms":null}',
    );
    expect(JSON.parse(at(row, 'fault_detail')!)).toEqual(detail);
    expect(text).toContain('"{""trace_bytes"":123456,');
    expect(at(plain, 'outcome')).toBe('intact');
    expect(at(plain, 'traced')).toBe('0');
    expect(at(plain, 'fault_detail')).toBe('');
    expect(at(plain, 'outcome_detail')).toBe('');
    expect(at(median, 'row_kind')).toBe('median');
    expect(at(median, 'outcome')).toBe('');
    expect(at(median, 'traced')).toBe('');
    expect(at(median, 'refused')).toBe('0.5');
    for (const r of [row, plain, median]) expect(r).toHaveLength(header!.length);
  });

  it('an unjudged trial has empty outcome and empty refused / wrong_data; a judged one 0 or 1', () => {
    const [header, a, b] = parseCsv(renderCsv(result([trial({ outcome: null, trial: 1 }), trial({ outcome: 'wrong-data', trial: 2 })])));
    const at = (r: string[] | undefined, c: string) => r![header!.indexOf(c)];
    expect([at(a, 'outcome'), at(a, 'refused'), at(a, 'wrong_data')]).toEqual(['', '', '']);
    expect([at(b, 'outcome'), at(b, 'refused'), at(b, 'wrong_data')]).toEqual(['wrong-data', '0', '1']);
  });

  it('neutralises a formula-looking outcome detail', () => {
    const [header, row] = parseCsv(renderCsv(result([trial({ outcome: 'refused', outcomeDetail: '-ERR bad' })])));
    expect(row![header!.indexOf('outcome_detail')]).toBe(`'-ERR bad`);
  });
});
