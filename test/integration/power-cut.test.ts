/**
 * The power-cut machinery against real processes under real strace: a small program that
 * writes and syncs a known pattern (what survives is known to the byte), the kill reaching
 * the traced server rather than the tracer, and the built-in server's fsync cadence per
 * appendfsync policy (the defect a process kill hid: `no` used to sync once a second).
 * Skipped, saying why, where strace is missing or cannot trace.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CrashModel } from '../../src/harness/crash/crash-model.js';
import { applyPowerCut } from '../../src/harness/crash/power-cut.js';
import { Preserver } from '../../src/harness/crash/preserver.js';
import { replayTrace, straceArgs } from '../../src/harness/crash/replay.js';
import { StraceJoiner } from '../../src/harness/crash/strace-line.js';
import { straceUnavailable } from '../../src/harness/faults/strace-available.js';
import { builtinTarget } from '../../src/harness/targets/builtin.js';
import { liveChildren } from '../../src/harness/targets/children.js';
import { freePort } from '../../src/harness/targets/ports.js';
import { waitExit } from '../../src/harness/targets/spawn.js';
import { RespConnection } from '../../src/harness/workload/resp-connection.js';
import type { Mode } from '../../src/shared/types.js';
import { tempDir } from '../helpers/spawn-server.js';

const why = straceUnavailable();
const title = (t: string): string => (why ? `${t} (skipped: ${why})` : t);

afterAll(() => {
  expect(liveChildren()).toEqual([]);
});

// Writes and syncs a known pattern: 1000 'A' synced then 500 'B' not; in sub/, a file
// replaced by a rename that is never made durable (sub/ is never synced); a file synced on
// libuv's thread pool, its name made durable by a directory sync afterwards.
const PROGRAM = `
const fs = require('fs');
const d = process.argv[1];
const a = fs.openSync(d + '/a', 'w');
fs.writeSync(a, Buffer.alloc(1000, 65));
fs.fsyncSync(a);
fs.writeSync(a, Buffer.alloc(500, 66));
const dir = fs.openSync(d, 'r');
fs.fsyncSync(dir);
const t = fs.openSync(d + '/sub/tmp', 'w');
fs.writeSync(t, Buffer.alloc(300, 67));
fs.fsyncSync(t);
fs.renameSync(d + '/sub/tmp', d + '/sub/b');
const c = fs.openSync(d + '/c', 'w');
fs.writeSync(c, Buffer.alloc(64, 68));
fs.fsync(c, () => { fs.writeSync(c, Buffer.alloc(10, 69)); fs.fsyncSync(dir); });
`;

describe.skipIf(why !== null)(title('power cut'), () => {
  it('keeps exactly the synced bytes of a known pattern, and brings back a file a rename replaced', async () => {
    const root = tempDir();
    const data = path.join(root, 'data');
    fs.mkdirSync(path.join(data, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(data, 'sub', 'b'), 'old contents');
    const trace = path.join(root, 'trace.txt');
    const preserver = new Preserver(data, path.join(root, 'preserved'));
    preserver.start();
    const initial = [
      { rel: 'sub', kind: 'dir' as const, size: 0 },
      { rel: 'sub/b', kind: 'file' as const, size: 12 },
    ];
    const model = new CrashModel(data, 'posix', initial, process.cwd());
    const r = spawnSync('strace', [...straceArgs(trace), process.execPath, '-e', PROGRAM, data], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    preserver.stop();
    const stats = await replayTrace(trace, model);
    expect(stats.lines).toBeGreaterThan(5);
    const cut = applyPowerCut(model, preserver, data, path.join(root, 'aside'), null);
    expect(fs.readFileSync(path.join(data, 'a')).toString()).toBe('A'.repeat(1000));
    // sub/ was never synced after the rename onto sub/b: the old b comes back, tmp never was
    expect(fs.readFileSync(path.join(data, 'sub', 'b'), 'utf8')).toBe('old contents');
    expect(fs.readdirSync(path.join(data, 'sub'))).toEqual(['b']);
    // c: synced on the thread pool (64 'D'), then 10 more bytes never synced; its name made
    // durable by the directory fsync after
    expect(fs.readFileSync(path.join(data, 'c')).toString()).toBe('D'.repeat(64));
    expect(fs.readdirSync(data).sort()).toEqual(['a', 'c', 'sub']);
    expect(cut.unknownContent).toBe(0);
    expect(cut.beforeBytes - cut.keptBytes).toBe(1500 + 300 + 74 - (1000 + 12 + 64));
  });

  it('SIGKILL reaches the traced server, not strace, so the trace is complete', async () => {
    const dir = tempDir();
    const trace = path.join(dir, 'trace.txt');
    const h = await builtinTarget.start({
      port: await freePort(),
      dir,
      mode: 'aof-always',
      savePoints: '',
      logFile: path.join(dir, 'server.log'),
      wrapLaunch: (s) => ({ ...s, command: 'strace', args: [...straceArgs(trace), s.command, ...s.args], tracer: true }),
    });
    expect(h.traced).toBe(true);
    const serverPid = h.pid;
    const c = await RespConnection.connect(h.port);
    expect(await c.call('SET', 'k', 'v')).toBe('OK');
    c.close();
    h.kill('SIGKILL');
    await waitExit(h, 10_000, 'SIGKILL');
    const text = fs.readFileSync(trace, 'utf8');
    expect(text).toContain(`${serverPid} `);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/\+\+\+ killed by SIGKILL/);
  });

  /** Traces the built-in server in one policy while a client writes every 5 ms for `ms`. */
  async function syncsOfIncr(mode: Mode, ms: number): Promise<{ writes: number[]; syncs: number[] }> {
    const dir = tempDir();
    const trace = path.join(dir, 'trace.txt');
    const h = await builtinTarget.start({
      port: await freePort(),
      dir,
      mode,
      savePoints: '',
      logFile: path.join(dir, 'server.log'),
      wrapLaunch: (s) => ({ ...s, command: 'strace', args: [...straceArgs(trace), s.command, ...s.args], tracer: true }),
    });
    const c = await RespConnection.connect(h.port);
    const end = performance.now() + ms;
    for (let i = 0; performance.now() < end; i++) {
      await c.call('SET', `k${i}`, 'v');
      await new Promise((r) => setTimeout(r, 5));
    }
    c.close();
    h.kill('SIGKILL'); // not a shutdown: a graceful stop fsyncs whatever the policy
    await waitExit(h, 10_000, 'SIGKILL');
    const j = new StraceJoiner();
    const writes: number[] = [];
    const syncs: number[] = [];
    for (const line of fs.readFileSync(trace, 'utf8').split('\n')) {
      // every line: a sync on the thread pool resumes on a line without the path
      const r = j.feed(line);
      if (!r?.call || r.call.ret === null || r.call.ret < 0 || !r.call.args.includes('.incr.aof>')) continue;
      if (/^(write|writev|pwrite64)$/.test(r.call.name)) writes.push(r.call.ts);
      if (/^f(data)?sync$/.test(r.call.name)) syncs.push(r.call.ts);
    }
    return { writes, syncs };
  }

  it('the built-in server fsyncs the incr file after every write turn with always', async () => {
    const { writes, syncs } = await syncsOfIncr('aof-always', 600);
    expect(writes.length).toBeGreaterThan(20);
    // every write is covered by a sync that began after it and before the next write
    for (let i = 0; i < writes.length; i++) {
      const next = writes[i + 1] ?? Infinity;
      expect(syncs.some((s) => s >= writes[i]! && s <= next), `write ${i} not synced before the next`).toBe(true);
    }
  });

  it('the built-in server fsyncs the incr file about once a second with everysec', async () => {
    const { writes, syncs } = await syncsOfIncr('aof-everysec', 2600);
    const during = syncs.filter((s) => s > writes[0]!);
    expect(during.length).toBeGreaterThanOrEqual(1);
    expect(during.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < during.length; i++) expect(during[i]! - during[i - 1]!).toBeGreaterThan(0.9);
  });

  it('the built-in server never fsyncs the incr file with no', async () => {
    const { writes, syncs } = await syncsOfIncr('aof-no', 2600);
    expect(writes.length).toBeGreaterThan(100);
    expect(syncs.filter((s) => s > writes[0]!)).toEqual([]);
  });
});
