/**
 * Launch failures end as one-line RunErrors and leave no process behind: a target that
 * hangs (accepts, never answers) times out; one that exits at once is reported with its log.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { liveChildren } from '../../src/harness/targets/children.js';
import { freePort } from '../../src/harness/targets/ports.js';
import { spawnServer } from '../../src/harness/targets/spawn.js';
import { RunError } from '../../src/shared/errors.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-targets-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function launch(script: string, timeoutMs: number) {
  const port = await freePort();
  const opts = { port, dir: tmp, mode: 'none' as const, savePoints: '', logFile: path.join(tmp, `${port}.log`), timeoutMs };
  return spawnServer('builtin', 'test', { command: process.execPath, args: ['-e', script.replace('PORT', String(port))] }, opts, []);
}

describe('target launch failures', () => {
  it('a server that never answers times out with a RunError and is killed', async () => {
    const t0 = performance.now();
    const err = await launch("require('net').createServer(() => {}).listen(PORT, '127.0.0.1')", 600).catch((e) => e);
    expect(err).toBeInstanceOf(RunError);
    expect(err.message).toMatch(/did not start: not ready within 600 ms/);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(liveChildren()).toEqual([]);
  });

  it('a server that answers -LOADING for a while is ready only after it stops', async () => {
    const script = `
      const start = Date.now();
      require('net').createServer((s) => s.on('data', () => s.write(Date.now() - start < 300 ? '-LOADING loading\\r\\n' : '+PONG\\r\\n'))).listen(PORT, '127.0.0.1');`;
    const h = await launch(script, 5000);
    try {
      expect(h.readyMs).toBeGreaterThanOrEqual(300);
      expect(h.readyMs).toBeLessThan(2000);
    } finally {
      h.kill('SIGKILL');
      await h.exited;
    }
  });

  it('a server that exits at once is reported with its log', async () => {
    const err = await launch("console.error('FATAL: bad flag --nope'); process.exit(3)", 5000).catch((e) => e);
    expect(err).toBeInstanceOf(RunError);
    expect(err.message).toMatch(/exited before it was ready.*FATAL: bad flag --nope/);
  });

  it('a missing binary is a RunError', async () => {
    const port = await freePort();
    const opts = { port, dir: tmp, mode: 'none' as const, savePoints: '', logFile: path.join(tmp, 'x.log') };
    const err = await spawnServer('redis', 'x', { command: '/nonexistent/redis-server', args: [] }, opts, []).catch((e) => e);
    expect(err).toBeInstanceOf(RunError);
    expect(err.message).toMatch(/ENOENT/);
  });
});
