import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../../../src/harness/targets/ports.js';
import { RawClient } from './raw-client.js';

/** Whether the side-by-side tests can run (they skip, saying so, without redis-server). */
export const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

/**
 * A redis-server for the side-by-side tests of the calling describe block: started before
 * its tests on a free port in a temp dir, killed and removed after them. The fields are set
 * once it answers (read them inside the tests).
 */
export function redisServer(args: string[]): { port: number; dir: string } {
  const s = { port: 0, dir: '' };
  let proc: ChildProcess | undefined;
  beforeAll(async () => {
    s.dir = mkdtempSync(join(tmpdir(), 'durabench-diff-'));
    s.port = await freePort();
    proc = spawn('redis-server', ['--port', String(s.port), '--dir', s.dir, ...args], { stdio: 'ignore' });
    for (let i = 0; i < 200; i++) {
      try {
        (await RawClient.connect(s.port)).close();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    throw new Error('redis-server did not start');
  });
  afterAll(() => {
    proc?.kill('SIGKILL');
    if (s.dir) rmSync(s.dir, { recursive: true, force: true });
  });
  return s;
}
