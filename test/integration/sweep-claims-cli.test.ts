/**
 * `durabench sweep` and `durabench claims --from` end to end through the built binary: a
 * small sweep writes its tables, JSON and CSV; its figures check out against the files and
 * the data (RDB/AOF bytes per key near the value size, loads that restored every key); the
 * claims read it back with a small run. Bad input: one line, exit 2, no files.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClaimsResult } from '../../src/shared/claims.js';
import type { SweepResult } from '../../src/shared/sweep-result.js';
import { redisAvailable } from '../../src/harness/targets/redis.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/durabench');
const cli = (args: string[], timeout = 240_000) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout, env: { ...process.env, CI: 'true' } });
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-sweep-it-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const targets = redisAvailable() ? 'builtin,redis' : 'builtin';

describe(`sweep and claims CLI (${targets})`, () => {
  it('bad flags: one line, exit 2, nothing written', () => {
    const out = path.join(root, 'bad');
    for (const args of [['--sizes', '10x'], ['--modes', 'rdb+aof'], ['--target', 'nope']]) {
      const r = cli(['sweep', ...args, '--out', out]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const c = cli(['claims', '--from', path.join(root, 'missing.json')]);
    expect(c.status).toBe(2);
    expect(c.stderr).toMatch(/result file not found/);
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);

  it('a two-size sweep: tables, JSON, CSV; figures that check out; claims --from reads it', () => {
    const out = path.join(root, 'out');
    const json = path.join(root, 'sweep.json');
    const r = cli(['sweep', '--sizes', '5k,50k', '--target', targets, '--window', '500ms', '--out', out, '--json', json]);
    // a failed point says why in the table's FAILED lines
    expect(r.status, `${r.stderr}${r.stdout.split('\n').filter((l) => l.startsWith('FAILED')).join('\n')}`).toBe(0);
    expect(r.stdout).toContain('Snapshot (BGSAVE under load)');
    expect(r.stdout).toContain('Files and restart');
    const s = JSON.parse(fs.readFileSync(json, 'utf8')) as SweepResult;
    expect(s.kind).toBe('sweep');
    expect(s.points).toHaveLength(2 * targets.split(',').length);
    for (const p of s.points) {
      expect(p.error, `${p.target} ${p.keys}`).toBeNull();
      // 100 B values + ~7 B keys + framing: a file of this dataset is ~110–140 B a key
      expect(p.rdbBytes! / p.keys).toBeGreaterThan(100);
      expect(p.rdbBytes! / p.keys).toBeLessThan(125);
      expect(p.aofBytes!).toBeGreaterThan(p.rdbBytes!);
      expect(p.rdbLoad.loadMs!).toBeLessThanOrEqual(p.rdbLoad.recoveryMs!);
      expect(p.aofLoad.loadMs!).toBeLessThanOrEqual(p.aofLoad.recoveryMs!);
      expect(p.rssBytes!).toBeGreaterThan(p.keys * 100);
      expect(p.timeline!.markers.map((m) => m.kind)).toEqual(['snapshot-start', 'snapshot-end']);
      expect(p.snapshotMs!).toBeGreaterThan(0);
    }
    const files = fs.readdirSync(out);
    expect(files.filter((f) => /-sweep\.(json|csv)$/.test(f))).toHaveLength(2);
    const csv = fs.readFileSync(path.join(out, files.find((f) => f.endsWith('.csv'))!), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(1 + s.points.length);

    const run = path.join(root, 'run.json');
    // every mode on both targets, 1 s of writes each: the claims only need trials to read
    const q = cli(['run', 'quick', '--target', targets, '--duration', '1s', '--out', out, '--json', run, '--quiet']);
    expect(q.status, q.stderr).toBe(0);
    const claimsJson = path.join(root, 'claims.json');
    const c = cli(['claims', '--from', `${run},${json}`, '--out', out, '--json', claimsJson]);
    expect(c.status, c.stderr).toBe(0);
    const cr = JSON.parse(fs.readFileSync(claimsJson, 'utf8')) as ClaimsResult;
    expect(cr.verdicts).toHaveLength(10 * targets.split(',').length);
    const v = (id: string, t = 'builtin') => cr.verdicts.find((x) => x.id === id && x.target === t)!;
    expect(v('aof-bigger').verdict).toBe('held');
    expect(v('none-fastest').verdict).not.toBe('not measured');
    // the quick scenario has no power cut: those claims say so rather than guess
    expect(v('fsync-policies').verdict).toBe('not measured');
    expect(v('full-disk-aof-loads').verdict).toBe('not measured');
    expect(c.stdout).toContain('9. `appendfsync always`');
  }, 600_000);
});
