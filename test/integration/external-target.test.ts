/**
 * `--target external:<file>` tested honestly: test/fixtures/local-redis.json starts, signals,
 * pauses and waits for a local redis-server only through the shell commands of
 * test/fixtures/local-redis.sh, so every step takes the external path. `run quick` on it must
 * give the same sanity verdicts as the redis target in the same run; faults that need the
 * data directory are skipped with the reason when the file names none; and nothing is left
 * running, even after a kill -9 of the harness.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redisAvailable } from '../../src/harness/targets/redis.js';
import { processesUnder, until } from '../helpers/processes.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/durabench');
const TARGET = 'external:test/fixtures/local-redis.json';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-ext-test-'));
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000, env: { ...process.env, CI: 'true', ...env } });

/** redis-servers running in a dir under `under`, or naming one */
const serversUnder = (under: string): number[] =>
  processesUnder(under).filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').startsWith('redis-server');
    } catch {
      return false;
    }
  });

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const skip = !redisAvailable();
describe.skipIf(skip)(`external target through a wrapper script${skip ? ' (skipped: redis-server not on PATH)' : ''}`, () => {
  it('run quick: the same sanity verdicts as the redis target, nothing left running', () => {
    const out = path.join(tmp, 'quick.json');
    // 1 s of writes a trial: the verdicts compared do not depend on how long the writes run
    const r = cli(['run', 'quick', '--target', `redis,${TARGET}`, '--duration', '1s', '--json', out, '--out', tmp, '--quiet'], { TMPDIR: tmp });
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(result.scenario.targets).toEqual(['redis', 'external:local-redis']);
    expect(result.scenario.externalTargets['local-redis'].start).toMatch(/local-redis\.sh start/);
    const verdicts = (target: string) =>
      result.sanity
        .filter((v: { target: string }) => v.target === target)
        .map((v: { mode: string; check: string; ok: boolean }) => `${v.mode} ${v.check} ${v.ok}`)
        .sort();
    expect(verdicts('external:local-redis').length).toBeGreaterThan(6);
    expect(verdicts('external:local-redis')).toEqual(verdicts('redis'));
    for (const t of result.trials) {
      expect(t.error, `${t.target} ${t.mode}`).toBeNull();
      expect(t.acked).toBeGreaterThan(0);
    }
    // figures only a process of ours gives are not measured; the files are (dataDir "{dir}")
    const ext = result.trials.filter((t: { target: string }) => t.target === 'external:local-redis');
    expect(ext.every((t: { bytesWritten: unknown }) => t.bytesWritten === null)).toBe(true);
    expect(ext.find((t: { mode: string }) => t.mode === 'aof-always').aofBytes).toBeGreaterThan(0);
    // the tables name it
    expect(r.stdout).toMatch(/Loss of acknowledged writes — redis vs external:local-redis/);
    expect(serversUnder(tmp)).toEqual([]);
  }, 240_000);

  it('sigterm, pause and a torn file go through its commands; without dataDir the file faults are not measured', () => {
    const noDir = path.join(tmp, 'no-dir.json');
    const spec = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/local-redis.json'), 'utf8'));
    delete spec.dataDir;
    fs.writeFileSync(noDir, JSON.stringify({ ...spec, name: 'no-dir' }));
    const out = path.join(tmp, 'faults.json');
    const r = cli(
      ['run', 'quick', '--target', `${TARGET},external:${noDir}`, '--modes', 'aof-always', '--fault', 'sigterm,pause,torn-tail', '--duration', '1s', '--json', out, '--out', tmp, '--quiet'],
      { TMPDIR: tmp },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 of 6 trials not measured: torn-tail changes the server's files: give external:no-dir a "dataDir"/);
    const trials = JSON.parse(fs.readFileSync(out, 'utf8')).trials as Record<string, any>[];
    const get = (target: string, fault: string) => trials.find((t) => t.target === target && t.fault === fault)!;
    for (const target of ['external:local-redis', 'external:no-dir']) {
      expect(get(target, 'sigterm')).toMatchObject({ error: null, lost: 0, outcome: 'intact' });
      expect(get(target, 'pause')).toMatchObject({ error: null, lost: 0 });
      // the server did stop: a PING sent at the SIGSTOP waited for the SIGCONT
      expect(get(target, 'pause').faultDetail.stalled_ping_ms).toBeGreaterThan(get(target, 'pause').faultDetail.pause_ms * 0.8);
    }
    expect(get('external:local-redis', 'torn-tail')).toMatchObject({ error: null, outcome: 'lost-writes' });
    expect(get('external:local-redis', 'torn-tail').faultDetail.cut_bytes).toBeGreaterThan(0);
    expect(get('external:no-dir', 'torn-tail').error).toMatch(/^skipped: torn-tail changes the server's files/);
    expect(get('external:no-dir', 'sigterm').diskBytes).toBeNull();
    expect(serversUnder(tmp)).toEqual([]);
  }, 240_000);

  // a daemon-style start (returns at once; the server in a session of its own): only the
  // kill command can end it, and the address polls see it gone
  const daemon = path.join(tmp, 'daemon.json');
  const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/local-redis.json'), 'utf8'));
  fs.writeFileSync(
    daemon,
    JSON.stringify({ ...fixture, name: 'daemon', foreground: false, start: '(setsid sh test/fixtures/local-redis.sh start {port} {dir} {flags} >/dev/null 2>&1 &)' }),
  );

  it('a daemon-style start ("foreground": false): killed, restarted and judged through its commands only', () => {
    const out = path.join(tmp, 'daemon-run.json');
    const r = cli(['run', 'quick', '--target', `external:${daemon}`, '--modes', 'none,aof-always', '--fault', 'sigkill,sigterm', '--duration', '1500ms', '--json', out, '--out', tmp, '--quiet'], { TMPDIR: tmp });
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(result.trials.map((t: { error: unknown }) => t.error)).toEqual([null, null, null, null]);
    expect(result.sanity.every((v: { ok: boolean }) => v.ok)).toBe(true);
    expect(serversUnder(tmp)).toEqual([]);
  }, 120_000);

  /** `durabench run quick` in the background, TMPDIR in `dir`, with its exit code (null: killed) */
  const background = (target: string, dir: string) => {
    const child = spawn(process.execPath, [BIN, 'run', 'quick', '--target', target, '--modes', 'none', '--duration', '20s', '--quiet', '--out', path.join(dir, 'out')], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', TMPDIR: dir },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    return { child, exited };
  };
  /** the run's trial dirs (its results would go to out/) */
  const trialDirs = (dir: string) => fs.readdirSync(dir).filter((f) => f !== 'out');

  for (const [sig, what, target] of [
    ['SIGKILL', 'a foreground start: the reaper kills its process group', TARGET],
    ['SIGKILL', 'a daemon-style start: the reaper runs its kill command', `external:${daemon}`],
    ['SIGINT', 'a daemon-style start: the harness runs its kill command', `external:${daemon}`],
  ] as const) {
    it.concurrent(`${sig} of the harness in the write phase leaves no server running (${what})`, async () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'orphan-'));
      const { child, exited } = background(target, dir);
      expect(await until(() => serversUnder(dir).length === 1, 30_000), 'the run never started its server').toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      child.kill(sig);
      expect(await exited).toBe(sig === 'SIGINT' ? 130 : null);
      await until(() => processesUnder(dir).length === 0 && trialDirs(dir).length === 0, 5000);
      expect({ left: processesUnder(dir), dirs: trialDirs(dir) }).toEqual({ left: [], dirs: [] });
    }, 60_000);
  }

  // A daemon-style start still underway when the harness dies (`docker run -d` takes a while;
  // here the server comes up 1 s after the start signals the harness): the first kill
  // finds nothing, killing the start's process group does not reach a server in a session of
  // its own, and the server comes up later. The state is outside the trial's dir, as a
  // container's is. The reaper runs a failed kill command again until it succeeds.
  for (const sig of ['SIGKILL', 'SIGINT'] as const) {
    it.concurrent(`${sig} of the harness while a daemon-style start is underway: the server that comes up later is killed`, async () => {
      const state = fs.mkdtempSync(path.join(tmp, 'state-'));
      const spec = `${state}.json`;
      // the harness is signalled from inside the new session: signalled before setsid ran,
      // the harness's kill of the start's process group could still reach the late server's shell
      const late = `(setsid sh -c 'kill -s ${sig.slice(3)} "$0"; sleep 1; exec sh test/fixtures/local-redis.sh start "$@"' $PPID {port} ${state} {flags} >/dev/null 2>&1 &)`;
      fs.writeFileSync(
        spec,
        JSON.stringify({
          name: 'late',
          port: '{port}',
          foreground: false,
          start: late,
          kill: `sh test/fixtures/local-redis.sh kill {port} ${state} {signal}`,
        }),
      );
      const dir = fs.mkdtempSync(path.join(tmp, 'late-'));
      const { exited } = background(`external:${spec}`, dir);
      expect(await exited).toBe(sig === 'SIGINT' ? 130 : null);
      // the start went on after the harness died: local-redis.sh wrote <state>.<port>.pid
      const pidFile = () => fs.readdirSync(tmp).find((f) => f.startsWith(`${path.basename(state)}.`) && f.endsWith('.pid'));
      expect(await until(() => pidFile() !== undefined, 10_000), 'the late server never started').toBe(true);
      await until(() => processesUnder(state).length === 0 && trialDirs(dir).length === 0, 10_000);
      expect({ left: processesUnder(state), dirs: trialDirs(dir) }).toEqual({ left: [], dirs: [] });
    }, 60_000);
  }
});
