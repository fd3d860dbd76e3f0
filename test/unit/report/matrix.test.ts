import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../../../src/report/format.js';
import { fmtLossPct, fmtWindow, matrixCell, renderMatrix, wantsMatrix } from '../../../src/report/matrix.js';
import { renderTables } from '../../../src/report/table.js';
import type { TrialResult } from '../../../src/shared/result.js';
import { MODES, type FaultKind, type Mode, type TargetKind } from '../../../src/shared/types.js';
import { result, trial, typicalTrials } from './fixtures.js';

// kinds other branches add: cast, so these tests run before they land
const fk = (k: string) => k as FaultKind;
const NINE = ['sigkill', 'sigkill-during-bgsave', 'power-loss', 'power-loss-torn', 'disk-full', 'torn-tail', 'corrupt', 'pause', 'sigkill-during-load'].map(fk);

const lines = (s: string) => stripAnsi(s).split('\n');
const widest = (s: string) => Math.max(...lines(s).map((l) => [...l].length));

/** One trial per target × mode × fault with a plausible story per fault. */
function grid(targets: TargetKind[], faults: FaultKind[] = NINE, tweak: (t: TrialResult) => TrialResult = (t) => t): TrialResult[] {
  const out: TrialResult[] = [];
  for (const target of targets) {
    for (const fault of faults) {
      for (const mode of MODES) {
        const power = fault.startsWith('power');
        const lost = mode === 'none' ? 1000 : power && mode === 'aof-everysec' ? 230 : power && mode === 'aof-no' ? 1000 : mode === 'rdb' ? 310 : 0;
        out.push(
          tweak(
            trial({
              target, mode, fault, acked: 1000, lost, lossPct: lost / 10, lossWindowMs: mode === 'none' ? 2100 : 1234, traced: power,
              outcome: fault === 'corrupt' && mode !== 'none' ? 'refused' : lost > 0 ? 'lost-writes' : 'intact',
            }),
          ),
        );
      }
    }
  }
  return out;
}

function rowOf(text: string, mode: Mode, block = 0): string {
  const ls = lines(text);
  return ls.filter((l) => l.startsWith(`${mode} `) || l.startsWith(`${mode}│`))[block]!;
}

describe('matrixCell', () => {
  it('a fault this machine cannot run reads skipped; any other failure reads error', () => {
    expect(matrixCell([trial({ error: 'skipped: strace not found: apt-get install strace' })]).text).toBe('skipped');
    expect(matrixCell([trial({ error: 'skipped: x' }), trial({ error: 'restart timed out' })]).text).toBe('error');
  });

  it('0 when nothing was lost; median loss and the longest window otherwise; 100% alone', () => {
    expect(matrixCell([trial({ lost: 0 })]).text).toBe('0');
    const some = [
      trial({ lost: 200, lossPct: 20, lossWindowMs: 600, outcome: 'lost-writes' }),
      trial({ lost: 300, lossPct: 30, lossWindowMs: 1250, outcome: 'lost-writes' }),
      trial({ lost: 250, lossPct: 25, lossWindowMs: 700, outcome: 'lost-writes' }),
    ];
    expect(matrixCell(some)).toMatchObject({ text: '25% 1.3s', short: '25%' });
    expect(matrixCell([trial({ lost: 10, lossPct: 100, lossWindowMs: 3000 })]).text).toBe('100%');
    // median 0 but one trial lost: the window still says so
    expect(matrixCell([trial({}), trial({}), trial({ lost: 1, lossPct: 0.01, lossWindowMs: 40 })]).text).toBe('0% <.1s');
  });

  it('refused, partly refused, wrong data, error, not run', () => {
    const refused = trial({ outcome: 'refused', lost: 10, lossPct: 100 });
    expect(matrixCell([refused, refused]).text).toBe('refused');
    expect(matrixCell([refused, trial({}), trial({})]).text).toBe('ref 1/3');
    expect(matrixCell([trial({}), trial({ outcome: 'wrong-data' })])).toMatchObject({ text: 'WRONG DATA', short: 'WRONG!' });
    expect(matrixCell([trial({ unexpected: 2, outcome: null })]).text).toBe('WRONG DATA');
    // a transaction kept in part, whatever the loss says
    expect(matrixCell([trial({}), trial({ partialTx: 1 })])).toMatchObject({ text: 'HALF TX', short: 'HALF!' });
    expect(matrixCell([trial({ partialTx: 0 })]).text).not.toBe('HALF TX');
    expect(matrixCell([trial({ error: 'boom' })]).text).toBe('error');
    expect(matrixCell([])).toMatchObject({ text: '—', empty: true });
    // a failed trial does not hide the others' figures
    expect(matrixCell([trial({ error: 'boom' }), trial({ lost: 0 })]).text).toBe('0');
  });

  it('formats loss and windows compactly and never rounds a partial loss up to 100%', () => {
    expect([100, 99.7, 23.4, 2.54, 2, 0.3, 0].map(fmtLossPct)).toEqual(['100%', '99%', '23%', '2.5%', '2%', '<1%', '0%']);
    expect([10, 640, 1234, 9949, 12_345, 250_000].map(fmtWindow)).toEqual(['<.1s', '0.6s', '1.2s', '9.9s', '12s', '4m']);
  });
});

describe('renderMatrix', () => {
  it('one target: modes as rows, faults as columns, within 100 columns, no target rule', () => {
    const out = renderMatrix(result(grid(['builtin']), { faults: NINE, modes: [...MODES] }));
    expect(widest(out)).toBeLessThanOrEqual(100);
    expect(out).toContain('Durability matrix — acknowledged writes lost, by mode and fault · builtin · seed 42');
    expect(out).not.toMatch(/── builtin/);
    expect(rowOf(out, 'none').split('│').slice(1).every((c) => c.trim() === '100%')).toBe(true);
    const everysec = rowOf(out, 'aof-everysec').split('│').map((c) => c.trim());
    expect(everysec).toEqual(['aof-everysec', '0', '0', '23% 1.2s', '23% 1.2s', '0', '0', 'refused', '0', '0']);
    // abbreviated headers, explained; the traced columns carry the marker on the header
    const head = lines(out)[1]!;
    expect(head).toMatch(/^mode\s*│sigkill\s*│kill-bgs│power\*\s*│pwr-torn\*│/);
    expect(out).toContain('power = power-loss');
    expect(out).toContain('* ran under a syscall tracer');
  });

  it('two targets: one header, a block per target, columns aligned, within 100 columns', () => {
    const trials = grid(['builtin', 'redis'], NINE, (t) =>
      t.target === 'redis' && t.mode === 'rdb' && t.fault === 'torn-tail' ? { ...t, outcome: 'wrong-data' } : t);
    const out = renderMatrix(result(trials, { targets: ['builtin', 'redis'], faults: NINE, modes: [...MODES] }));
    expect(widest(out)).toBeLessThanOrEqual(100);
    expect(lines(out).filter((l) => l.startsWith('mode'))).toHaveLength(1);
    expect(out).toMatch(/── builtin ─+/);
    expect(out).toMatch(/── redis ─+/);
    const b = rowOf(out, 'rdb', 0);
    const r = rowOf(out, 'rdb', 1);
    expect(r).toContain('WRONG DATA');
    expect(b).not.toContain('WRONG');
    // the column rules line up between the two blocks
    const bars = (l: string) => [...l].flatMap((c, i) => (c === '│' ? [i] : []));
    expect(bars(b)).toEqual(bars(r));
    expect(bars(lines(out)[1]!)).toEqual(bars(b));
  });

  it('full fault names and wide spacing when they fit', () => {
    const faults = ['sigkill', 'sigterm'].map(fk);
    const out = renderMatrix(result(grid(['builtin', 'redis'], faults), { targets: ['builtin', 'redis'], faults }));
    expect(lines(out)[1]).toMatch(/^mode\s+sigkill\s+sigterm$/);
    expect(out).not.toContain('│');
    expect(out).not.toContain('Faults:');
  });

  it('a fault that did not run for a mode is —; a traced cell in an untraced column is marked', () => {
    const trials = [
      trial({ mode: 'none', fault: 'sigkill', lost: 10, lossPct: 100 }),
      trial({ mode: 'aof-always', fault: 'sigkill', traced: true }),
      trial({ mode: 'none', fault: 'sigterm', lost: 10, lossPct: 100 }),
    ];
    const out = renderMatrix(result(trials, { faults: ['sigkill', 'sigterm'], modes: ['none', 'aof-always'] }));
    expect(rowOf(out, 'aof-always')).toMatch(/^aof-always\s+0\*\s+—$/);
    expect(lines(out)[1]).toMatch(/^mode\s+sigkill\s+sigterm$/);
  });

  it('colours WRONG DATA red and bold, refused yellow, only when asked', () => {
    const trials = [trial({ outcome: 'wrong-data' }), trial({ mode: 'rdb', outcome: 'refused' })];
    const plain = renderMatrix(result(trials, { faults: [fk('corrupt')], modes: ['rdb', 'aof-always'] }));
    expect(plain).not.toMatch(/\x1b\[/);
    const coloured = renderMatrix(result(trials, { faults: [fk('corrupt')], modes: ['rdb', 'aof-always'] }), { color: true });
    expect(coloured).toContain('\x1b[1m\x1b[31mWRONG DATA\x1b[39m\x1b[22m');
    expect(coloured).toContain('\x1b[33mrefused\x1b[39m');
  });

  it('shortens cells, then splits the columns, rather than exceed a narrow width', () => {
    const r = result(grid(['builtin', 'redis']), { targets: ['builtin', 'redis'], faults: NINE });
    for (const width of [100, 90, 80, 60]) {
      const out = renderMatrix(r, { width });
      expect(widest(out)).toBeLessThanOrEqual(width);
      for (const f of ['sigkill', 'torntail', 'kill-ld']) expect(out).toContain(f);
    }
    expect(lines(renderMatrix(r, { width: 60 })).filter((l) => l.startsWith('mode')).length).toBeGreaterThan(1);
  });

  it('is wanted for several faults or any fault but sigkill, and printed first by renderTables', () => {
    expect(wantsMatrix(result(typicalTrials()))).toBe(false);
    expect(renderTables(result(typicalTrials()))).not.toContain('Durability matrix');
    expect(wantsMatrix(result([trial({ fault: 'sigterm' })], { faults: ['sigterm'] }))).toBe(true);
    const two = result([...typicalTrials(), ...typicalTrials().map((t) => ({ ...t, fault: 'sigterm' as const }))], {
      faults: ['sigkill', 'sigterm'],
    });
    const out = renderTables(two);
    expect(out.indexOf('Durability matrix')).toBeGreaterThan(0);
    expect(out.indexOf('Durability matrix')).toBeLessThan(out.indexOf('Loss of acknowledged writes'));
    expect(out).toContain('faults sigkill, sigterm');
    expect(widest(out)).toBeLessThanOrEqual(100);
    expect(renderMatrix(result([]))).toBe('');
  });
});
