/**
 * `durabench run` as a user runs it: the built binary, exit codes, files written, strict
 * machine output on stdout with --json -, one-line errors for bad input.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/spawn-server.js';

function durabench(args: string[], cwd: string) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
}

describe('durabench run (CLI)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-cli-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('runs a scenario, prints tables, writes results/<timestamp>-<name>.json and .csv', () => {
    const r = durabench(['run', 'quick', '--modes', 'none,aof-always', '--duration', '800ms', '--preload', '0', '--out', 'out', '--json', '-', '--quiet'], tmp);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.kind).toBe('run');
    expect(result.scenario.name).toBe('quick');
    expect(result.scenario.durationMs).toBe(800);
    expect(result.trials).toHaveLength(2);
    expect(r.stderr).toContain('Loss of acknowledged writes'); // tables went to stderr, stdout stayed JSON
    const files = fs.readdirSync(path.join(tmp, 'out')).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-quick\.csv$/);
    expect(files[1]).toMatch(/-quick\.json$/);
  });

  it('a bad scenario is one line and exit 2', () => {
    fs.writeFileSync(path.join(tmp, 'bad.json'), JSON.stringify({ trials: 0 }));
    const r = durabench(['run', 'bad.json'], tmp);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('durabench: bad.json: field "trials" must be an integer from 1 to 1000 (got 0)');
  });

  it('a bad flag names the flag, exit 2', () => {
    const r = durabench(['run', 'quick', '--modes', 'none,turbo'], tmp);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--modes has "turbo"/);
  });
});
