import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllChildren, registerKillCommand } from '../../../../src/harness/targets/children.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-children-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const runs = (file: string): number => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length - 1 : 0);

describe('kill commands (external targets)', () => {
  it('one registered for two servers (a restart on the same port) stays until both forgot it', () => {
    const file = path.join(dir, 'shared');
    const command = `echo ran >> ${file}`;
    const first = registerKillCommand(command);
    const second = registerKillCommand(command);
    first();
    first(); // a second call is not a second server's
    killAllChildren();
    expect(runs(file)).toBe(1);
    second(); // ran and forgotten by killAllChildren already: nothing to do
    killAllChildren();
    expect(runs(file)).toBe(1);
  });

  it('one forgotten (its server seen gone) does not run on the way out', () => {
    const file = path.join(dir, 'forgotten');
    registerKillCommand(`echo ran >> ${file}`)();
    killAllChildren();
    expect(runs(file)).toBe(0);
  });
});
