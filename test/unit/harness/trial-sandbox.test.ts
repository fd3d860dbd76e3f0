import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/spawn-server.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-sandbox-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('TrialSandbox.dispose', () => {
  // In a process of its own (the built module), so that nothing but the dispose's own wait
  // can keep it alive: Node exits when nothing is left to wait for, and an unref'd timer does
  // not count; the dispose would stop there, its dir left and the run's results not written.
  it('finishes while it waits for a server whose exit nothing else keeps the process alive for', () => {
    const module = pathToFileURL(path.join(ROOT, 'dist/harness/trial-sandbox.js')).href;
    const script = `
      import fs from 'node:fs';
      import { TrialSandbox } from ${JSON.stringify(module)};
      const box = await TrialSandbox.create({ target: { kind: 'builtin' }, mode: 'none', tmpRoot: ${JSON.stringify(tmp)} });
      box.handles.push({ alive: false, exited: new Promise(() => {}), kill() {} });
      await box.dispose();
      console.log(fs.existsSync(box.root) ? 'left' : 'removed');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect({ status: r.status, stdout: r.stdout.trim(), stderr: r.stderr }).toEqual({ status: 0, stdout: 'removed', stderr: '' });
  });
});
