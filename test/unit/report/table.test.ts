import { describe, expect, it } from 'vitest';
import { renderTables } from '../../../src/report/table.js';
import { stripAnsi } from '../../../src/report/format.js';
import { result, trial, typicalTrials } from './fixtures.js';

const maxLine = (s: string) => Math.max(...stripAnsi(s).split('\n').map((l) => [...l].length));

describe('renderTables', () => {
  it('shows every mode, the units, seed, fault and target, within 100 columns', () => {
    const out = renderTables(result(typicalTrials()));
    for (const m of ['none', 'rdb', 'aof-always']) expect(out).toMatch(new RegExp(`│ ${m}\\s`));
    for (const u of ['(writes)', '(ms)', '(ops/s)', '(bytes)', '(%)', '(keys/s)']) expect(out).toContain(u);
    for (const title of ['Loss of acknowledged writes', 'Recovery', 'Disk', 'Fork / snapshot latency', 'Throughput & latency of acknowledged writes']) {
      expect(out).toContain(`${title} — builtin · fault sigkill · seed 42`);
    }
    expect(out).toContain('--appendfsync always');
    expect(maxLine(out)).toBeLessThanOrEqual(100);
    expect(out).not.toMatch(/\x1b\[/);
  });

  it('medians with the min–max range below when trials differ', () => {
    const out = renderTables(result(typicalTrials()));
    // none: acked 12.1k, 12.2k, 12.3k → median 12.2k, range 12.1k–12.3k
    expect(out).toMatch(/12\.2k[\s\S]*12\.1k–12\.3k/);
    // the fork table only lists modes that snapshotted
    const fork = out.split('Fork / snapshot latency')[1]!.split('Throughput')[0]!;
    expect(fork).toContain('rdb');
    expect(fork).not.toMatch(/│ none/);
  });

  it('adds a target column with several targets and still fits 100 columns', () => {
    const out = renderTables(result(typicalTrials(['builtin', 'redis']), { targets: ['builtin', 'redis'] }));
    expect(out).toContain('builtin vs redis');
    expect(out).toMatch(/│ target/);
    expect(out).toContain('redis (7.0.15)');
    expect(maxLine(out)).toBeLessThanOrEqual(100);
  });

  it('splits a table that would not fit instead of exceeding the width', () => {
    const trials = typicalTrials(['builtin', 'redis']).map((t) => ({
      ...t,
      acked: 123_456_789.123 + t.trial,
      lost: 1_234_567.891 * t.trial,
      lossWindowMs: 12_345.678 * t.trial,
      recovered: 98_765.4321 * t.trial,
      unexpected: 4567.89 * t.trial,
      duplicated: 1234.5 * t.trial,
      reordered: 2345.6 * t.trial,
      lossPct: 12.3456 * t.trial,
    }));
    const out = renderTables(result(trials, { targets: ['builtin', 'redis'] }));
    expect(maxLine(out)).toBeLessThanOrEqual(100);
    expect(out).toContain('(continued)');
  });

  it('shows partially applied transactions when measured, 0 included; never for other workloads', () => {
    const loss = (out: string) => out.slice(out.indexOf('Loss of acknowledged writes'), out.indexOf('\nRecovery')); // (continued) too
    expect(loss(renderTables(result(typicalTrials())))).not.toContain('partial');
    const tx = typicalTrials().map((t) => ({ ...t, partialTx: 0 }));
    expect(loss(renderTables(result(tx)))).toMatch(/partially[\s\S]*applied[\s\S]*\(tx\)/);
  });

  it('fails loudly when a sanity check failed', () => {
    const r = result(typicalTrials());
    r.sanity = [
      { target: 'builtin', mode: 'none', check: 'none loses everything', ok: true, detail: 'lost 100%' },
      { target: 'builtin', mode: 'aof-always', check: 'aof-always loses nothing', ok: false, detail: 'lost 12 of 10000' },
    ];
    const out = renderTables(r);
    expect(out).toContain('SANITY CHECK FAILED');
    expect(out).toContain('THE TOOL OR THE SERVER IS WRONG');
    expect(out).toMatch(/FAIL builtin aof-always/);
    expect(maxLine(out)).toBeLessThanOrEqual(100);
  });

  it('explains each kind of sanity failure in its own words', () => {
    const r = result(typicalTrials());
    r.sanity = [
      { target: 'redis', mode: 'none', check: 'none + SIGKILL loses every acknowledged write [sigkill]', ok: false, detail: 'lost 5 of 12000 acked' },
      { target: 'builtin', mode: 'none', check: 'no value nobody wrote, no duplicated element [sigkill]', ok: false, detail: '3 unexpected, 0 duplicated' },
    ];
    const out = renderTables(r).replace(/\n!! /g, ' ');
    expect(out).toContain("mode 'none' did not lose everything after the kill (lost 5 of 12000 acked)");
    expect(out).toContain('expected "no value nobody wrote, no duplicated element [sigkill]", but 3 unexpected, 0 duplicated.');
  });

  it('explains power-loss, wrong-data and refusal failures in their own words', () => {
    const r = result(typicalTrials());
    r.sanity = [
      { target: 'redis', mode: 'aof-always', check: 'aof-always + power loss loses no acknowledged write [power-loss]', ok: false, detail: 'BROKEN in 1 of 1 trial(s): trial 1 lost 3 of 50 acked' },
      { target: 'builtin', mode: 'rdb', check: 'no value nobody wrote, no duplicated element [corrupt]', ok: false, detail: 'BROKEN in 1 of 1 trial(s): trial 1 WRONG DATA: 0 unexpected, 0 duplicated' },
      { target: 'builtin', mode: 'rdb', check: 'the restart does not refuse to start [sigkill]', ok: false, detail: 'BROKEN in 1 of 1 trial(s): trial 1 refused: Bad file format' },
    ];
    const out = renderTables(r).replace(/\n!! /g, ' ');
    expect(out).toContain('A write acknowledged after fsync must survive a power loss.');
    expect(out).toContain('the restarted server served WRONG DATA');
    expect(out).toContain('the server refused to start on what the fault left');
    expect(maxLine(renderTables(r))).toBeLessThanOrEqual(100);
  });

  it('is quiet when sanity checks pass', () => {
    const r = result(typicalTrials());
    r.sanity = [{ target: 'builtin', mode: 'none', check: 'none loses everything', ok: true, detail: '' }];
    const out = renderTables(r);
    expect(out).toContain('Sanity checks: all 1 passed.');
    expect(out).not.toContain('WRONG');
  });

  it('lists failed trials and marks their mode', () => {
    const trials = typicalTrials();
    trials.push(trial({ mode: 'aof-always', trial: 4, error: `redis-server exited with code 1 ${'x'.repeat(200)}` }));
    const out = renderTables(result(trials));
    expect(out).toContain('1/4 failed');
    expect(out).toMatch(/1 of 10 trials FAILED/);
    expect(out).toContain('builtin aof-always sigkill trial 4: redis-server exited');
    expect(maxLine(out)).toBeLessThanOrEqual(100);
  });

  it('shows "error" for a mode whose trials all failed', () => {
    const out = renderTables(result([trial({ mode: 'rdb', error: 'crashed' }), trial({ mode: 'none' })]));
    expect(out).toMatch(/│ rdb[\s\S]*error/);
  });

  it('colours only when asked', () => {
    const out = renderTables(result(typicalTrials()), { color: true });
    expect(out).toMatch(/\x1b\[/);
    expect(maxLine(out)).toBeLessThanOrEqual(100);
  });

  it('copes with an empty result', () => {
    expect(renderTables(result([]))).toContain('No trials in this result.');
  });
});
