/**
 * No server outlives the harness, however the harness dies: `kill -9` runs no handler, so the
 * reaper process cleans up (targets/reaper.ts); Ctrl-C, and SIGHUP (the terminal closed), run
 * the harness's own handler. The built binary is run as a user runs it, with TMPDIR pointing
 * at a fresh dir so its temp dirs and server processes can be found; for both local targets
 * (the external ones: external-target.test.ts). Interrupted in the first trial, and once in
 * the load generator's warm-up before it (a throwaway built-in server of its own).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redisAvailable } from '../../src/harness/targets/redis.js';
import { BIN } from '../helpers/spawn-server.js';
import { processesUnder, until } from '../helpers/processes.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-reaper-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Run {
  child: ChildProcess;
  tmpdir: string;
  stderr: () => string;
}

const WARM_UP_DIR = 'durabench-warm-up-';

/**
 * Starts a long run; resolves once it is writing to its server (its temp dir made, a server
 * running in it), in the first trial or in the load generator's warm-up before it (warm-up.ts).
 */
async function startRun(target: 'builtin' | 'redis', during: 'trial' | 'warm-up' = 'trial'): Promise<Run> {
  const tmpdir = fs.mkdtempSync(path.join(tmp, 'TMPDIR-'));
  const child = spawn(
    process.execPath,
    [BIN, 'run', 'quick', '--target', target, '--modes', 'aof-everysec', '--duration', '20s', '--preload', '0', '--out', path.join(tmp, 'out'), '--quiet'],
    { cwd: tmp, env: { ...process.env, TMPDIR: tmpdir }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const inPhase = (): boolean => {
    const dirs = fs.readdirSync(tmpdir);
    const ours = dirs.filter((d) => d.startsWith(WARM_UP_DIR) === (during === 'warm-up'));
    return ours.length === 1 && processesUnder(path.join(tmpdir, ours[0]!)).length > 0;
  };
  const running = await until(inPhase, 15_000);
  expect(running, `the run never started a server (${during})`).toBe(true);
  await new Promise((r) => setTimeout(r, during === 'trial' ? 500 : 200)); // into the write phase
  return { child, tmpdir, stderr: () => stderr };
}

function signal(child: ChildProcess, sig: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(sig);
  });
}

const clean = (tmpdir: string) => processesUnder(tmpdir).length === 0 && fs.readdirSync(tmpdir).length === 0;

const targets = redisAvailable() ? (['builtin', 'redis'] as const) : (['builtin'] as const);
describe.each(targets)(`no %s server outlives the harness${redisAvailable() ? '' : ' (redis: skipped, redis-server not on PATH)'}`, (target) => {
  it('kill -9 of the harness: the reaper kills its server and removes its temp dir', async () => {
    const { child, tmpdir } = await startRun(target);
    const servers = processesUnder(tmpdir);
    await signal(child, 'SIGKILL');
    const ok = await until(() => clean(tmpdir), 5000);
    expect({ ok, left: processesUnder(tmpdir), dirs: fs.readdirSync(tmpdir), servers }).toMatchObject({ ok: true, left: [], dirs: [] });
  });

  it('Ctrl-C kills every server it started, removes its temp dirs, exits 130', async () => {
    const run = await startRun(target);
    const code = await signal(run.child, 'SIGINT');
    expect(code, run.stderr()).toBe(130);
    expect(run.stderr()).toMatch(/interrupted \(SIGINT\): stopped every server this run started/);
    // the harness's own handler: done before it exits, no waiting for the reaper
    expect(fs.readdirSync(run.tmpdir)).toEqual([]);
    expect(await until(() => processesUnder(run.tmpdir).length === 0, 3000)).toBe(true);
  });

  it('Ctrl-C in the load generator\'s warm-up: its server stopped, its temp dir removed, exit 130', async () => {
    const run = await startRun(target, 'warm-up');
    const code = await signal(run.child, 'SIGINT');
    expect(code, run.stderr()).toBe(130);
    expect(fs.readdirSync(run.tmpdir)).toEqual([]);
    expect(await until(() => processesUnder(run.tmpdir).length === 0, 3000)).toBe(true);
  });

  it('SIGHUP (terminal closed): servers stopped, temp dirs removed, exit 129', async () => {
    const run = await startRun(target);
    expect(await signal(run.child, 'SIGHUP')).toBe(129);
    expect(fs.readdirSync(run.tmpdir)).toEqual([]);
    expect(await until(() => processesUnder(run.tmpdir).length === 0, 3000)).toBe(true);
  });
});
