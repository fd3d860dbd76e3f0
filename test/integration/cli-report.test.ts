import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/shared/result.js';
import { FAULTS } from '../../src/shared/types.js';
import { result, trial, typicalTrials } from '../unit/report/fixtures.js';
import { checkXml } from '../unit/report/xml-check.js';
import { parseCsv } from '../unit/report/csv-parse.js';

/**
 * Spawns the built CLI (`npm test` builds first, as `pretest`) on crafted result files and
 * checks exit codes (0 pass, 99 gate failure / regression, 2 bad input) and outputs.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'durabench');
let dir: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '', FORCE_COLOR: '' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, data: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
  return p;
}

const GATES = ['lost[aof-always].max == 0', 'loss_pct[none].min >= 99', 'throughput[aof-always].median >= 0.5 * throughput[none].median'];

function run(over: Partial<RunResult['scenario']> = {}, trials = typicalTrials()): RunResult {
  return result(trials, { gates: GATES, ...over });
}

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'dist', 'cli', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it as pretest)');
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-cli-report-'));
  write('run.json', run());
  write('failing.json', run({}, [...typicalTrials(), trial({ mode: 'aof-always', trial: 4, lost: 3, lossPct: 0.03 })]));
  write('slower.json', run({}, typicalTrials().map((t) => ({ ...t, throughputOps: t.throughputOps * 0.5 }))));
  write('bad-gate.json', run({ gates: ['lost[aof-alwys].max == 0'] }));
  write('no-gates.json', run({ gates: [] }));
  write('not-json.json', '{"schemaVersion": 1,');
  write('wrong-version.json', { ...run(), schemaVersion: 7 });
  write('scenario.json', { name: 'ci', gates: ['recovery_ms[*].max < 100000'] });
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('durabench report', () => {
  it('renders the tables without colour in CI', () => {
    const r = cli('report', 'run.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Loss of acknowledged writes — builtin · fault sigkill · seed 42');
    expect(r.stdout).toMatch(/│ aof-always /);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(Math.max(...r.stdout.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
  });

  it('--format csv and --format json are strict machine output', () => {
    const csv = cli('report', 'run.json', '--format', 'csv');
    expect(csv.code).toBe(0);
    const rows = parseCsv(csv.stdout);
    expect(rows[0]!.slice(0, 5)).toEqual(['row_kind', 'target', 'mode', 'fault', 'trial']);
    expect(rows).toHaveLength(1 + 9 + 9);
    const json = cli('report', 'run.json', '--format', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).kind).toBe('run');
  });

  it('bad input: exit 2 with one line naming the file', () => {
    for (const [file, re] of [
      ['missing.json', /^durabench: result file not found: missing\.json\n$/],
      ['not-json.json', /^durabench: not-json\.json: not valid JSON/],
      ['wrong-version.json', /^durabench: wrong-version\.json: schemaVersion 7 is not supported/],
    ] as const) {
      const r = cli('report', file);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(cli('report', 'run.json', '--format', 'xml').code).toBe(2);
  });
});

describe('durabench gate', () => {
  it('exit 0 when every gate passes; writes JUnit and bench JSON', () => {
    const r = cli('gate', 'run.json', '--junit', 'out/junit.xml', '--bench-json', 'out/bench.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('lost[aof-always].max == 0');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('Gates: PASSED — 3/3 checks of 3 gates.');
    const xml = fs.readFileSync(path.join(dir, 'out/junit.xml'), 'utf8');
    expect(checkXml(xml)).toEqual({ ok: true, root: 'testsuites' });
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    const bigger = JSON.parse(fs.readFileSync(path.join(dir, 'out/bench.bigger.json'), 'utf8'));
    const smaller = JSON.parse(fs.readFileSync(path.join(dir, 'out/bench.smaller.json'), 'utf8'));
    expect(bigger.some((e: { name: string }) => e.name === 'throughput[builtin:none]')).toBe(true);
    expect(smaller.some((e: { name: string }) => e.name === 'lost[builtin:aof-always]')).toBe(true);
  });

  it('exit 99 when a gate fails (and the JUnit file records it)', () => {
    const r = cli('gate', 'failing.json', '--junit', 'fail.xml');
    expect(r.code).toBe(99);
    expect(r.stdout).toMatch(/FAIL\s+│ builtin:aof-always\s+│\s+3 writes │ == 0/);
    expect(r.stdout).toMatch(/Gates: FAILED — 1 of 3 checks failed in 1 of 3 gates\./);
    const xml = fs.readFileSync(path.join(dir, 'fail.xml'), 'utf8');
    expect(checkXml(xml).ok).toBe(true);
    expect(xml.match(/<failure /g)).toHaveLength(1);
  });

  it('--gates-from, extra --gate and --baseline', () => {
    expect(cli('gate', 'run.json', '--gates-from', 'scenario.json').stdout).toContain('recovery_ms[*].max < 100000');
    const worse = cli('gate', 'slower.json', '--gates-from', 'scenario.json', '--gate', 'throughput[*].median >= 0.9 * baseline', '--baseline', 'run.json');
    expect(worse.code).toBe(99);
    expect(worse.stdout).toMatch(/0\.9 × baseline 107k/);
    const same = cli('gate', 'run.json', '--gate', 'throughput[*].median >= 0.9 * baseline', '--baseline', 'run.json', '--gates-from', 'scenario.json');
    expect(same.code).toBe(0);
  });

  it('exit 2 on a bad gate, no gates, or a bad gates file', () => {
    const bad = cli('gate', 'bad-gate.json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("durabench: gate 'lost[aof-alwys].max == 0': unknown mode 'aof-alwys' (did you mean 'aof-always'?)\n");
    const none = cli('gate', 'no-gates.json');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no gates to evaluate/);
    expect(cli('gate', 'run.json', '--gates-from', 'not-json.json').code).toBe(2);
    expect(cli('gate', 'run.json', '--baseline', 'missing.json').code).toBe(2);
    expect(cli('gate').code).toBe(2);
  });
});

describe('durabench compare', () => {
  it('exit 0 when nothing regressed', () => {
    const r = cli('compare', 'run.json', 'run.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Compare: OK — 0 regressed/m);
  });

  it('exit 99 on a regression, with the table', () => {
    const r = cli('compare', 'run.json', 'slower.json', '--threshold', '10%');
    expect(r.code).toBe(99);
    expect(r.stdout).toMatch(/throughput .*REGRESSION/);
    expect(r.stdout).toMatch(/^Compare: REGRESSION — 3 regressed/m);
    // a loose enough threshold lets it through
    expect(cli('compare', 'run.json', 'slower.json', '--threshold', '60').code).toBe(0);
  });

  it('--json - prints only JSON to stdout and keeps the exit code', () => {
    const r = cli('compare', 'run.json', 'slower.json', '--json', '-');
    expect(r.code).toBe(99);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'compare', thresholdPct: 10, regression: true });
    expect(doc.rows.some((x: { metric: string; verdict: string }) => x.metric === 'throughput' && x.verdict === 'regression')).toBe(true);
  });

  it('exit 2 on a bad threshold or mismatched kinds', () => {
    expect(cli('compare', 'run.json', 'run.json', '--threshold', 'lots').code).toBe(2);
    write('micro-empty.json', { schemaVersion: 1, kind: 'micro', tool: { name: 'durabench', version: '0' }, benchmarks: [] });
    const r = cli('compare', 'run.json', 'micro-empty.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot compare a 'run' result with a 'micro' result/);
  });
});

describe('durabench micro', () => {
  it('runs a filtered suite, writes a result that compare and report accept', () => {
    const r = cli('micro', '--filter', 'crc64', '--time', '20', '--json', 'micro.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/crc64\/64 KiB/);
    expect(r.stdout).toMatch(/ops\/s.*mean.*p99.*± rme/);
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'micro.json'), 'utf8'));
    expect(m).toMatchObject({ schemaVersion: 1, kind: 'micro', tool: { name: 'durabench' } });
    expect(m.benchmarks.map((b: { name: string }) => b.name)).toEqual(['crc64/64 KiB', 'crc64/1 MiB']);
    for (const b of m.benchmarks) {
      for (const k of ['opsPerSec', 'meanMs', 'p99Ms', 'rme', 'samples']) expect(Number.isFinite(b[k])).toBe(true);
    }
    expect(cli('compare', 'micro.json', 'micro.json').code).toBe(0);
    expect(cli('report', 'micro.json').stdout).toContain('crc64/1 MiB');
  });

  it('--json - keeps stdout for JSON only', () => {
    const r = cli('micro', '--filter', 'resp-encode/bulk 100', '--time', '20', '--json', '-');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).benchmarks).toHaveLength(1);
    expect(r.stderr).toContain('resp-encode/bulk 100 B');
  });

  it('exit 2 when the filter matches nothing or --time is bad', () => {
    expect(cli('micro', '--filter', 'no-such-benchmark', '--time', '10').code).toBe(2);
    expect(cli('micro', '--time', '0').code).toBe(2);
  });
});

describe('a reader that goes away', () => {
  it('`durabench report x.json | head -1` ends quietly: exit 0, no stack trace', async () => {
    // every fault, 20 trials each: a CSV of about 1 MB, far more than a pipe holds, so the
    // writes meet EPIPE once the reader is gone
    const trials = FAULTS.flatMap((fault) =>
      Array.from({ length: 20 }, (_, trial) => typicalTrials(['builtin', 'redis']).map((t) => ({ ...t, fault, trial }))).flat(),
    );
    const file = write('piped.json', run({ faults: [...FAULTS] }, trials));
    const child = spawn(process.execPath, [bin, 'report', file, '--format', 'csv'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    // read the first chunk, then close the pipe, as head does
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|at \w+/);
    expect(code).toBe(0);
  });
});
