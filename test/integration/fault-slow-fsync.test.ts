/**
 * The slow-fsync fault end to end: every fsync held 500 ms, a SIGKILL half-way into one.
 * Certain on both servers: `always` loses no acknowledged write and `none` every one. What
 * the fault exists to show: the built-in server writes each command before its reply, so
 * `everysec` loses nothing to a process kill even mid-fsync, while redis-server 7.0 postpones
 * the AOF write() while its background fsync runs (flushAppendOnlyFile) and replies anyway,
 * so writes acknowledged in that half second die with the process. Skipped, saying why,
 * without strace (or redis-server for the redis half).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { straceUnavailable } from '../../src/harness/faults/power-loss.js';
import { SyncTrace, straceDelayArgs, syncInFlight } from '../../src/harness/faults/slow-fsync.js';
import { runScenario } from '../../src/harness/run.js';
import { liveChildren } from '../../src/harness/targets/children.js';
import { descendants } from '../../src/harness/targets/spawn.js';
import { redisAvailable } from '../../src/harness/targets/redis.js';
import { validateScenario } from '../../src/scenario/index.js';
import type { TargetKind } from '../../src/shared/types.js';

const noStrace = straceUnavailable();

afterAll(() => {
  expect(liveChildren()).toEqual([]);
});

function scenario(targets: TargetKind[]) {
  return validateScenario(
    {
      name: 'it-slow-fsync',
      targets,
      modes: ['none', 'aof-always', 'aof-everysec'],
      trials: 1,
      durationMs: 2500,
      killWindowMs: [1200, 1400],
      clients: 8,
      valueSize: 64,
      preload: 200,
      fault: 'slow-fsync',
    },
    'integration',
  );
}

describe.skipIf(noStrace !== null)(`slow-fsync${noStrace ? ` (skipped: ${noStrace})` : ''}`, () => {
  it('dates a held fdatasync from the trace, with its file, and /proc sees the thread inside it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slow-fsync-'));
    const file = path.join(fs.realpathSync(dir), 'f.aof');
    const script = `const fs=require('fs');setTimeout(()=>{const fd=fs.openSync(${JSON.stringify(file)},'w');fs.fdatasyncSync(fd)},300)`;
    const since = performance.timeOrigin + performance.now();
    const child = spawn('strace', [...straceDelayArgs(1500, path.join(dir, 'trace.txt')), process.execPath, '-e', script], { stdio: 'ignore' });
    try {
      let tracee = -1;
      for (let i = 0; i < 100 && tracee < 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
        tracee = descendants(child.pid!)[0] ?? -1;
      }
      expect(tracee).toBeGreaterThan(0);
      expect(syncInFlight(tracee)).toBeNull();
      const trace = new SyncTrace(path.join(dir, 'trace.txt'));
      let sync: { atEpochMs: number; file: string } | null = null;
      for (let i = 0; i < 150 && sync === null; i++) {
        await new Promise((r) => setTimeout(r, 10));
        sync = trace.next(since, (f) => f.endsWith('.aof'));
      }
      expect(sync?.file).toBe(file);
      // begun about 300 ms after the start, and read while it is still held
      const age = performance.timeOrigin + performance.now() - sync!.atEpochMs;
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThan(1000);
      expect(syncInFlight(tracee)).toBe(file);
      // a later call finds the same entry, not a new one
      expect(trace.next(since, () => true)?.atEpochMs).toBe(sync!.atEpochMs);
    } finally {
      child.kill('SIGKILL');
      for (const p of descendants(child.pid!)) process.kill(p, 'SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('built-in: always and everysec lose nothing acknowledged killed mid-fsync, none loses all', async () => {
    const r = await runScenario(scenario(['builtin']));
    const by = Object.fromEntries(r.trials.map((t) => [t.mode, t]));
    for (const t of r.trials) {
      expect(t.error, t.mode).toBeNull();
      expect(t.traced).toBe(true);
      expect(t.unexpected).toBe(0);
    }
    expect(by.none!.lost).toBe(by.none!.acked);
    for (const m of ['aof-always', 'aof-everysec']) {
      const t = by[m]!;
      expect(t.acked, m).toBeGreaterThan(5);
      expect(t.lost, m).toBe(0);
      // the kill landed inside a held fsync, half-way
      expect(Number(t.faultDetail?.killed_into_fsync_ms), m).toBeGreaterThanOrEqual(200);
      expect(Number(t.faultDetail?.killed_into_fsync_ms), m).toBeLessThan(500);
      expect(String(t.faultDetail?.fsync_file), m).toMatch(/\.aof$/);
      expect(t.faultDetail?.in_sync_at_kill, m).toBe('yes');
    }
    for (const v of r.sanity) expect(v.ok, `${v.mode}: ${v.check} — ${v.detail}`).toBe(true);
  });

  const noRedis = redisAvailable() ? null : 'redis-server not on PATH — apt-get install redis-server';
  it.skipIf(noRedis !== null)(`redis-server: everysec loses writes it acknowledged while its fsync ran${noRedis ? ` (skipped: ${noRedis})` : ''}`, async () => {
    const r = await runScenario(scenario(['redis']));
    const by = Object.fromEntries(r.trials.map((t) => [t.mode, t]));
    for (const t of r.trials) expect(t.error, t.mode).toBeNull();
    expect(by['aof-always']!.lost).toBe(0);
    const every = by['aof-everysec']!;
    expect(Number(every.faultDetail?.killed_into_fsync_ms)).toBeGreaterThanOrEqual(200);
    expect(every.faultDetail?.in_sync_at_kill).toBe('yes');
    expect(every.lost).toBeGreaterThan(0);
    // only what came after the held fsync began: its half second, not the run
    expect(every.lossWindowMs).toBeLessThan(1000);
    for (const v of r.sanity) expect(v.ok, `${v.mode}: ${v.check} — ${v.detail}`).toBe(true);
  });
});
