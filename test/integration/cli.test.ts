/** The CLI's top level: help lists every command; unknown commands and flags are one line, exit 2. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/durabench');
const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('durabench CLI', () => {
  it('--help lists the commands', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['run', 'report', 'gate', 'compare', 'micro', 'server', 'doctor']) expect(r.stdout).toContain(`durabench ${c}`);
  });

  it.each([
    [['nosuch'], 'Unknown argument: nosuch'],
    [['run', '--nosuch'], 'Unknown argument'],
    [[], 'Name a command'],
  ])('%j → one line on stderr, exit 2', (args, msg) => {
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(msg);
  });

  it('doctor reports what is here and exits 0 when the default run can work', () => {
    const r = cli(['doctor']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ok\s+node/);
    expect(r.stdout).toMatch(/redis-server/);
  });
});
