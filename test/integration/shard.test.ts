/**
 * `run --shard i/n` + `merge`: two shards merged hold exactly the unsharded run's trials
 * (identity and seed; the figures differ, they are timings), merge prints the tables and writes
 * JSON/CSV like run, and inputs that are not the shards of one run are one line, exit 2.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/durabench');
const cli = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI: 'true' } });

// 2 modes × 3 trials = 6 trials, short writes
const SMALL = ['quick', '--modes', 'none,aof-always', '--trials', '3', '--duration', '400ms', '--preload', '0', '--quiet'];

let tmp = '';
const only = (dir: string) => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  expect(files).toHaveLength(1);
  return path.join(dir, files[0]!);
};
const identities = (file: string) =>
  JSON.parse(fs.readFileSync(file, 'utf8')).trials.map((t: Record<string, unknown>) => `${t.trial}/${t.fault}/${t.mode}/${t.target}/${t.seed}`);

let whole = '';
let shard1 = '';
let shard2 = '';

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-shard-'));
  for (const [dir, extra] of [['whole', []], ['s1', ['--shard', '1/2']], ['s2', ['--shard', '2/2']]] as const) {
    const r = cli(['run', ...SMALL, ...extra, '--out', path.join(tmp, dir)]);
    expect(r.status, r.stderr).toBe(0);
  }
  whole = only(path.join(tmp, 'whole'));
  shard1 = only(path.join(tmp, 's1'));
  shard2 = only(path.join(tmp, 's2'));
}, 120_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('run --shard and merge', () => {
  it('a shard runs its slice: trial k of the canonical order in shard 1 + k mod n', () => {
    const all = identities(whole);
    expect(all).toHaveLength(6);
    expect(path.basename(shard1)).toMatch(/-quick-shard1of2\.json$/);
    expect(identities(shard1)).toEqual(all.filter((_: string, k: number) => k % 2 === 0));
    expect(identities(shard2)).toEqual(all.filter((_: string, k: number) => k % 2 === 1));
  });

  it('merging the shards gives the unsharded trials, seeds and tables', () => {
    const out = path.join(tmp, 'merged');
    const r = cli(['merge', shard2, shard1, '--out', out, '--json', path.join(tmp, 'merged.json')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^wrote .*-quick\.json and .*-quick\.csv\n$/);
    expect(r.stdout).toContain('aof-always');
    const merged = path.join(tmp, 'merged.json');
    expect(identities(merged)).toEqual(identities(whole));
    const m = JSON.parse(fs.readFileSync(merged, 'utf8'));
    const w = JSON.parse(fs.readFileSync(whole, 'utf8'));
    expect(m.shard).toBeUndefined();
    expect(m.scenario).toEqual(w.scenario);
    expect(m.summary.map((s: Record<string, unknown>) => [s.target, s.mode, s.fault, s.trials])).toEqual(
      w.summary.map((s: Record<string, unknown>) => [s.target, s.mode, s.fault, s.trials]),
    );
    expect(m.sanity.map((v: Record<string, unknown>) => [v.target, v.mode, v.check, v.ok])).toEqual(
      w.sanity.map((v: Record<string, unknown>) => [v.target, v.mode, v.check, v.ok]),
    );
    expect(fs.readdirSync(out).sort().map((f) => path.extname(f))).toEqual(['.csv', '.json']);
    // the merged result re-renders and gates like any run result
    const report = cli(['report', merged, '--format', 'csv']);
    expect(report.status).toBe(0);
    const header = (text: string) => text.trim().split('\n').map((l) => l.split(',').slice(0, 3).join(','));
    expect(header(report.stdout)).toEqual(header(cli(['report', whole, '--format', 'csv']).stdout));
  });

  it.each([
    ['the same shard twice', () => [shard1, shard1], /both shard 1\/2/],
    ['a missing shard', () => [shard1], /shard 2\/2 missing/],
    ['a shard and the whole run', () => [whole, shard1], /shard 1\/2, .* is one of 1|is shard 1\/1/],
    ['another scenario', () => [shard1, reseeded(shard2)], /not the same scenario .*seed/],
  ])('rejects %s: one line, exit 2', (_what, files, msg) => {
    const r = cli(['merge', ...files(), '--out', path.join(tmp, 'rejected')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(msg);
    expect(fs.existsSync(path.join(tmp, 'rejected'))).toBe(false);
  });
});

function reseeded(file: string): string {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  r.scenario.seed += 1;
  const to = path.join(tmp, 'reseeded.json');
  fs.writeFileSync(to, JSON.stringify(r));
  return to;
}
