import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_FIXTURE, sweepFixture } from '../helpers/chart-fixtures.js';

/** The built CLI's HTML paths: what it writes, and one line with exit 2 on bad input, no file left. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'durabench');
let dir: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-cli-html-'));
  fs.writeFileSync(path.join(dir, 'sweep.json'), JSON.stringify(sweepFixture()));
  fs.writeFileSync(path.join(dir, 'micro.json'), JSON.stringify({ schemaVersion: 1, kind: 'micro', tool: { name: 'durabench', version: '0' }, benchmarks: [] }));
  const bad = sweepFixture() as unknown as { points: { keys: unknown }[] };
  bad.points[0]!.keys = 'many';
  fs.writeFileSync(path.join(dir, 'bad-sweep.json'), JSON.stringify(bad));
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('durabench report --format html', () => {
  it('writes a run report to -o, and to stdout without it', () => {
    const r = cli('report', RUN_FIXTURE, '--format', 'html', '-o', 'out/run.html');
    expect(r.code).toBe(0);
    const html = fs.readFileSync(path.join(dir, 'out', 'run.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('data-chart="loss"');
    const s = cli('report', RUN_FIXTURE, '--format', 'html');
    expect(s.code).toBe(0);
    expect(s.stdout).toBe(html);
  });

  it('reads a sweep result: html, its table and its CSV as the sweep command prints them', () => {
    expect(cli('report', 'sweep.json', '--format', 'html', '-o', 'sweep.html').code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'sweep.html'), 'utf8')).toContain('data-chart="sweep-fork"');
    const t = cli('report', 'sweep.json');
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/keys/);
    const c = cli('report', 'sweep.json', '--format', 'csv');
    expect(c.code).toBe(0);
    expect(c.stdout.split('\n')[0]).toMatch(/^keys,target,/);
  });

  it('bad input: one line, exit 2, no file', () => {
    const b = cli('report', 'bad-sweep.json', '--format', 'html', '-o', 'bad.html');
    expect(b.code).toBe(2);
    expect(b.stderr.trim()).toBe('durabench: bad-sweep.json: points[0].keys must be a number');
    const m = cli('report', 'micro.json', '--format', 'html', '-o', 'micro.html');
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/--format html reports run, sweep and claims results/);
    expect(fs.existsSync(path.join(dir, 'bad.html')) || fs.existsSync(path.join(dir, 'micro.html'))).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('run --html to a place it cannot write fails before any trial', () => {
    const t0 = Date.now();
    const r = cli('run', 'quick', '--html', '/dev/null/x.html', '--out', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^durabench: --html \/dev\/null\/x\.html: cannot write there/);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
