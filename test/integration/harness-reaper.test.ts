/**
 * No server outlives the harness, however the harness dies: `kill -9` runs no handler, so the
 * reaper process cleans up (targets/reaper.ts); SIGHUP (the terminal closed) is handled like
 * Ctrl-C. The built binary is run as a user runs it, with TMPDIR pointing at a fresh dir so
 * its temp dirs and server processes can be found.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../../bin/durabench');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-reaper-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** pids of live processes whose command line mentions `needle` (zombies have none) */
function processesMentioning(needle: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Starts a long run; resolves once its server answers (its temp dir exists and a process runs in it). */
async function startRun(): Promise<{ child: ChildProcess; tmpdir: string }> {
  const tmpdir = fs.mkdtempSync(path.join(tmp, 'TMPDIR-'));
  const child = spawn(process.execPath, [BIN, 'run', 'quick', '--modes', 'aof-everysec', '--duration', '20s', '--preload', '0', '--out', path.join(tmp, 'out'), '--quiet'], {
    cwd: tmp,
    env: { ...process.env, TMPDIR: tmpdir },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const running = await until(() => fs.readdirSync(tmpdir).length === 1 && processesMentioning(tmpdir).length > 0, 15_000);
  expect(running, 'the run never started a server').toBe(true);
  await new Promise((r) => setTimeout(r, 500)); // into the write phase
  return { child, tmpdir };
}

describe('no server outlives the harness', () => {
  it('kill -9 of the harness: the reaper kills its server and removes its temp dir', async () => {
    const { child, tmpdir } = await startRun();
    const servers = processesMentioning(tmpdir);
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    const clean = await until(() => processesMentioning(tmpdir).length === 0 && fs.readdirSync(tmpdir).length === 0, 5000);
    expect({ clean, left: processesMentioning(tmpdir), dirs: fs.readdirSync(tmpdir), servers }).toMatchObject({ clean: true, left: [], dirs: [] });
  });

  it('SIGHUP (terminal closed): servers stopped, temp dirs removed, exit 129', async () => {
    const { child, tmpdir } = await startRun();
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGHUP');
    });
    expect(code).toBe(129);
    expect(await until(() => processesMentioning(tmpdir).length === 0, 3000)).toBe(true);
    expect(fs.readdirSync(tmpdir)).toEqual([]);
  });
});
