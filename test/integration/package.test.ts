/**
 * The package as a user gets it: `npm pack` → `npm install -g <tarball>` into a temp prefix →
 * the installed `durabench` runs doctor, `run quick` (scenarios are in the package) and
 * `server` (a PING on a raw socket). Everything lives in one temp dir; every process is killed.
 *
 * The tree's dist/ is already built (`npm test` builds first), so the pack runs with
 * --ignore-scripts: the `prepack` build would rewrite dist/ under the other test files
 * running in parallel. That `prepack` builds is checked on package.json instead. Dependencies
 * come from npm's cache (--prefer-offline); when npm cannot get them (no network and a cold
 * cache), the test is skipped and says why.
 */
import { createRequire } from 'node:module';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/harness/targets/ports.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let tmp = '';
let durabench = '';
let skipReason: string | null = null;
const children = new Set<ChildProcess>();

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-pkg-'));
  const pack = spawnSync(NPM, ['pack', '--ignore-scripts', '--silent', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const tarball = path.join(tmp, pack.stdout.trim().split('\n').pop()!);
  const prefix = path.join(tmp, 'prefix');
  const install = spawnSync(NPM, ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', tarball], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 45_000,
  });
  if (install.status !== 0) {
    const why = install.stderr.trim().split('\n').find((l) => /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ENOTCACHED|network/i.test(l));
    if (why) skipReason = `npm could not fetch the dependencies here (${why.trim()})`;
    else throw new Error(`npm install -g failed (${install.status ?? install.signal}): ${install.stderr}`);
  }
  durabench = path.join(prefix, 'bin', 'durabench');
}, 60_000);

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function installed(args: string[], timeout = 30_000) {
  // run from the temp dir: nothing may come from the repository
  return spawnSync(durabench, args, { cwd: tmp, encoding: 'utf8', timeout, env: { ...process.env, CI: 'true' } });
}

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const attempt = (): void => {
      const s = net.connect({ port, host: '127.0.0.1' });
      s.once('connect', () => s.write('*1\r\n$4\r\nPING\r\n'));
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString());
      });
      s.once('error', (e) => {
        s.destroy();
        if (Date.now() > deadline) reject(e);
        else setTimeout(attempt, 10);
      });
    };
    attempt();
  });
}

describe('the npm package', () => {
  it('package.json builds before packing and ships dist, bin, scenarios and the README', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepack).toMatch(/build/);
    expect(pkg.files).toEqual(expect.arrayContaining(['bin', 'dist', 'scenarios', 'README.md']));
  });

  it('installs a durabench that runs doctor, run quick and server', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(fs.existsSync(durabench)).toBe(true);
    const pkgDir = path.join(tmp, 'prefix', 'lib', 'node_modules', 'durabench');
    expect(fs.existsSync(path.join(pkgDir, 'dist', 'server.bundle.cjs'))).toBe(true);
    expect(fs.existsSync(path.join(pkgDir, 'dist', 'server.bundle.cache'))).toBe(true); // its V8 code cache (bin/code-cache.cjs)
    expect(fs.existsSync(path.join(pkgDir, 'scenarios', 'quick.json'))).toBe(true);
    expect(fs.existsSync(path.join(pkgDir, 'src'))).toBe(false);
    // The installed bundle takes the shipped cache: it is keyed by the build id the bundle ends
    // with, not by file times (npm sets every packed file's mtime to one fixed date).
    const probe = spawnSync(process.execPath, ['-e', "const { requireCached } = require('./bin/code-cache.cjs'); process.stdout.write(String(requireCached('dist/server.bundle.cjs', 'dist/server.bundle.cache').fresh))"], { cwd: pkgDir, encoding: 'utf8' });
    expect(probe.stdout, probe.stderr).toBe('true');
    // and the harness's launch flags have their own (V8 rejects a cache made under other flags)
    const flags = (createRequire(import.meta.url)('../../bin/server-flags.cjs') as { SERVER_V8_FLAGS: string[] }).SERVER_V8_FLAGS;
    const launch = spawnSync(process.execPath, [...flags, '-e', "const { requireCached } = require('./bin/code-cache.cjs'); const { cacheName } = require('./bin/server-flags.cjs'); process.stdout.write(String(requireCached('dist/server.bundle.cjs', 'dist/' + cacheName(process.execArgv.slice(0, -2))).fresh))"] /* -e and its code end execArgv */, { cwd: pkgDir, encoding: 'utf8' });
    expect(launch.stdout, launch.stderr).toBe('true');

    const doctor = installed(['doctor']);
    expect(doctor.stderr).toBe('');
    expect(doctor.status).toBe(0);
    expect(doctor.stdout).toMatch(/ok\s+node/);

    const out = path.join(tmp, 'results');
    const run = installed(['run', 'quick', '--modes', 'none,aof-always', '--trials', '1', '--out', out], 40_000);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('aof-always');
    const written = fs.readdirSync(out);
    expect(written.filter((f) => f.endsWith('-quick.json'))).toHaveLength(1);
    expect(written.filter((f) => f.endsWith('-quick.csv'))).toHaveLength(1);
    const result = JSON.parse(fs.readFileSync(path.join(out, written.find((f) => f.endsWith('.json'))!), 'utf8'));
    expect(result.trials).toHaveLength(2);

    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(tmp, 'server-'));
    const server = spawn(durabench, ['server', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no'], { cwd: tmp, stdio: 'ignore' });
    children.add(server);
    try {
      expect(await ping(port)).toBe('+PONG\r\n');
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
      children.delete(server);
    }
    expect(server.exitCode).toBe(0);
  }, 60_000);
});
