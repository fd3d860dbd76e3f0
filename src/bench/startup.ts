/**
 * `npm run bench:startup`: how long the built-in server takes from spawn to its first PONG,
 * side by side with bare `node -e 0` (spawn → exit) and redis-server (spawn → first PONG).
 * Spawns are interleaved (one of each per round) so a shared machine's drift hits all three;
 * the probe is the harness's own raw-socket recovery clock (a PING every ≤ 1 ms).
 *
 *   npm run bench:startup [-- --n 20] [--no-redis] [--json] [--node-flags '...'] [--snapshot-blob F]
 *
 * The issue's goal: built-in ≤ 1.3 × node -e 0, read from the ratio of medians of one run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probeReady } from '../harness/measure/recovery-probe.js';
import { repoRoot } from '../harness/repo.js';
import { SERVER_NODE_FLAGS } from '../harness/targets/builtin.js';
import { freePort } from '../harness/targets/ports.js';
import { median } from '../report/stats.js';
import { procCpuMs } from './proc-stat.js';

const BIN = path.join(repoRoot, 'bin', 'durabench');
const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const N = Number(flag('--n') ?? 20);
const withRedis = !argv.includes('--no-redis') && !spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error;
// Extra node flags for the built-in server (e.g. --node-flags=--snapshot-blob=...): what was tried.
const extraNodeFlags = (flag('--node-flags') ?? '').split(/\s+/).filter(Boolean);
// A V8 startup snapshot of the server (node --snapshot-blob F --build-snapshot entry.cjs, made
// by hand; see the README's start-up section): adds a row that starts the server from it.
const snapshotBlob = flag('--snapshot-blob');

/**
 * CPU time (user + system, ms) of this process's reaped children so far. On a busy shared
 * machine the wall clock swings with the other load; the CPU a start-up burns does much less.
 */
const childrenCpuMs = (): number | null => procCpuMs('self', true);

/** nearest-rank percentile */
function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

const live = new Set<ChildProcess>();
const killAll = (): void => {
  for (const c of live) c.kill('SIGKILL');
};
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

function exited(c: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) resolve(c.exitCode);
    else c.once('exit', (code) => resolve(code));
  });
}

async function bareNode(): Promise<number> {
  const t0 = performance.now();
  const c = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  const code = await exited(c);
  if (code !== 0) throw new Error(`node -e 0 exited ${code}`);
  return performance.now() - t0;
}

/** spawn → first PONG of an empty server with no persistence, then SIGKILL it. */
async function serverPong(command: string, args: (port: number, dir: string) => string[]): Promise<number> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-startup-'));
  try {
    const t0 = performance.now();
    const c = spawn(command, args(port, dir), { stdio: ['ignore', 'ignore', 'pipe'] });
    live.add(c);
    let stderr = '';
    c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const gone = exited(c);
    try {
      const r = await probeReady({ port, since: t0, timeoutMs: 10_000, exited: gone });
      return r.ms;
    } catch (e) {
      throw new Error(`${command} ${(e as Error).message}${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`);
    } finally {
      c.kill('SIGKILL');
      await gone;
      live.delete(c);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Started as the harness starts it (its node flags), so this is the start-up inside every recovery time.
const builtin = (port: number, dir: string): string[] => [
  ...SERVER_NODE_FLAGS, ...extraNodeFlags, BIN, 'server', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no',
];
const redis = (port: number, dir: string): string[] => [
  '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--loglevel', 'warning',
];

const fromSnapshot = (port: number, dir: string): string[] => ['--snapshot-blob', snapshotBlob!, ...builtin(port, dir).slice(extraNodeFlags.length + 1)];

const samples: Record<string, number[]> = { 'node -e 0': [], 'durabench server': [] };
if (snapshotBlob) samples['server (snapshot)'] = [];
const cpu: Record<string, number[]> = {};
/** runs one start-up, noting the child's CPU time (it is reaped before this returns) */
async function sample(name: string, f: () => Promise<number>): Promise<void> {
  const before = childrenCpuMs();
  samples[name]!.push(await f());
  const after = childrenCpuMs();
  if (before !== null && after !== null) (cpu[name] ??= []).push(after - before);
}
if (withRedis) samples['redis-server'] = [];
// one warm-up round, not counted (page cache, first-exec costs)
await bareNode();
await serverPong(process.execPath, builtin);
for (let i = 0; i < N; i++) {
  await sample('node -e 0', bareNode);
  await sample('durabench server', () => serverPong(process.execPath, builtin));
  if (snapshotBlob) await sample('server (snapshot)', () => serverPong(process.execPath, fromSnapshot));
  if (withRedis) await sample('redis-server', () => serverPong('redis-server', redis));
}

const base = median(samples['node -e 0']!);
const rows = Object.entries(samples).map(([name, xs]) => ({
  name,
  medianMs: median(xs),
  p90Ms: percentile(xs, 90),
  ratio: median(xs) / base,
  // mean: the samples are whole 10 ms ticks
  cpuMs: cpu[name] ? cpu[name]!.reduce((a, b) => a + b, 0) / cpu[name]!.length : null,
}));
const baseCpu = rows[0]!.cpuMs;
if (argv.includes('--json')) {
  process.stdout.write(JSON.stringify({ n: N, node: process.version, nodeFlags: extraNodeFlags, rows }, null, 2) + '\n');
} else {
  process.stdout.write(`spawn → first PONG (node -e 0: spawn → exit), ${N} interleaved rounds, node ${process.version}${SERVER_NODE_FLAGS.length + extraNodeFlags.length ? `, server node flags ${[...SERVER_NODE_FLAGS, ...extraNodeFlags].join(' ')}` : ''}\n`);
  process.stdout.write(`${'what'.padEnd(18)} ${'median ms'.padStart(10)} ${'p90 ms'.padStart(8)} ${'× node -e 0'.padStart(12)} ${'cpu ms'.padStart(8)} ${'cpu ×'.padStart(6)}\n`);
  for (const r of rows) {
    const c = r.cpuMs === null || baseCpu === null ? ['', ''] : [r.cpuMs.toFixed(0), (r.cpuMs / baseCpu).toFixed(2)];
    process.stdout.write(`${r.name.padEnd(18)} ${r.medianMs.toFixed(1).padStart(10)} ${r.p90Ms.toFixed(1).padStart(8)} ${r.ratio.toFixed(2).padStart(12)} ${c[0]!.padStart(8)} ${c[1]!.padStart(6)}\n`);
  }
  process.stdout.write('(cpu: mean user+system time of the process until it exited or was killed after its PONG)\n');
  const b = rows.find((r) => r.name === 'durabench server')!;
  process.stdout.write(`goal: durabench server ≤ 1.30 × node -e 0 → ${b.ratio.toFixed(2)} ${b.ratio <= 1.3 ? 'met' : 'NOT met'}\n`);
}
