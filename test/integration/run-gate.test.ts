/**
 * `durabench run --gate` as a CI step: exit 0 when every gate passes, 99 when one fails,
 * 2 for a bad gate (before anything runs), JUnit written, quiet output under CI=true.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/durabench');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-gate-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function scenario(name: string, gates: string[], modes = ['none', 'aof-always']): string {
  const file = path.join(tmp, `${name}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      name,
      targets: ['builtin'],
      modes,
      trials: 1,
      seed: 3,
      durationMs: 700,
      killWindowMs: [400, 600],
      preload: 0,
      clients: 4,
      gates,
    }),
  );
  return file;
}

function run(args: string[]) {
  return spawnSync(process.execPath, [BIN, 'run', ...args, '--out', path.join(tmp, 'out')], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
  });
}

describe('durabench run --gate', () => {
  it('exits 0 when every gate passes and writes JUnit; CI output is the gate table and a summary', () => {
    const junit = path.join(tmp, 'gates.xml');
    const r = run([scenario('pass', ['lost[aof-always].max == 0', 'loss_pct[none].min == 100']), '--gate', '--junit', junit]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Gates: PASSED/);
    expect(r.stdout).not.toMatch(/Loss of acknowledged writes/); // no full tables in CI
    expect(r.stderr).toBe('');
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).toContain('tests="2" failures="0"');
  });

  it('exits 99 when a gate fails', () => {
    // the gate reads mode none only: the trials of none are all it needs
    const r = run([scenario('fail', ['acked[none].median < 0'], ['none'])]);
    expect(r.status).toBe(0); // without --gate, gates are not evaluated
    const g = run([scenario('fail2', ['acked[none].median < 0'], ['none']), '--gate']);
    expect(g.status).toBe(99);
    expect(g.stdout).toMatch(/FAIL/);
  });

  it('exits 2 on a bad gate expression, naming it, before running anything', () => {
    const t0 = Date.now();
    const r = run([scenario('bad', ['lost[aof-alwys].max == 0']), '--gate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/lost\[aof-alwys\]\.max == 0/);
    expect(r.stderr).toMatch(/unknown mode 'aof-alwys'/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('exits 2 when --junit comes without --gate', () => {
    const r = run([scenario('usage', ['lost[none].max >= 0']), '--junit', 'x.xml']);
    expect(r.status).toBe(2);
  });
});
