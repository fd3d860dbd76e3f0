import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Table from 'cli-table3';
import type { ValueKind } from '../harness/workload/preload.js';
import { MODES, type Mode, type LocalTargetKind } from '../shared/types.js';
import { threadRunMs } from './proc-stat.js';
import { command, driverSetOps, fail, fill, fmt, info, median, redisBenchmark, requireBinaries, start, valueKinds, verdict, waitZero } from './lib.js';

/**
 * npm run bench:persistence — the built-in server vs redis-server, side by side in one run,
 * every row twice: repetitive values (one repeated byte, redis-benchmark's) and random
 * incompressible ones (the harness's values, what every trial writes):
 *  1. SET in every persistence mode, pipeline 1 and 16 (goal ≥ 0.9 / ≥ 0.6), median of
 *     interleaved rounds, a fresh server and data dir per run; repetitive = redis-benchmark,
 *     random = durabench's load generator (redis-benchmark cannot vary its values);
 *  2. at 1M and 4M keys × 100 B, filled with each kind of value: BGSAVE start pause
 *     (latest_fork_usec; goal < 1 ms on ours), RDB size (≤ 1.05×), a later BGSAVE's time and
 *     what it cost the main thread (redis-server's: the fork; the built-in server's with the
 *     encoding on the main thread and on a thread: `snapshot-encoder`), load time from RDB and from
 *     AOF, each from spawn to the first reply that is not -LOADING (the harness's recovery
 *     clock), median of LOADS interleaved restarts: each server its own files, and the
 *     built-in server loading redis-server's files against redis-server loading them
 *     (goals ≤ 1.0× for the RDB, ≤ 1.3× for the AOF).
 * Env: ROUNDS (3), N requests per redis-benchmark run at pipeline 1 (100000; ×4 at 16), SECONDS
 *      per load-generator run (2), SIZES (1000000,4000000), ONLY (throughput | sizes: run one
 *      part), MODES, PIPELINES and VALUES (comma lists: a subset), LOADS (3: restarts per load figure).
 */
requireBinaries('bench:persistence');
const VALUES = valueKinds('bench:persistence');
const SECONDS = Number(process.env.SECONDS ?? 2);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const N = Number(process.env.N ?? 100_000);
const SIZES = (process.env.SIZES ?? '1000000,4000000').split(',').map(Number);
const SAVE = '10 10000';
const LOADS = Number(process.env.LOADS ?? 3);
const kinds: LocalTargetKind[] = ['builtin', 'redis'];
const modes = process.env.MODES ? (process.env.MODES.split(',') as Mode[]) : MODES;
const bad = modes.filter((m) => !MODES.includes(m));
if (bad.length > 0) fail('bench:persistence', `MODES: unknown mode ${bad.join(', ')} (known: ${MODES.join(', ')})`);
const pipelines = (process.env.PIPELINES ?? '1,16').split(',').map(Number);
const head = (first: string): string[] => [first, ...VALUES.flatMap((v) => [`${v}: built-in`, 'redis', '÷']), 'goal', 'verdict'];
/** One row: per value kind built-in, redis, ratio; the goal; a verdict per kind (none for a figure without a goal). */
const row = (name: string, per: Array<{ b: number; r: number }>, unit: string, goal: string, ok: ((b: number, r: number) => boolean) | null): string[] => [
  name,
  ...per.flatMap(({ b, r }) => [`${fmt(b)}${unit}`, `${fmt(r)}${unit}`, (b / r).toFixed(2)]),
  goal,
  ok === null ? '' : per.map(({ b, r }) => verdict(ok(b, r))).join(' / '),
];

async function setOps(kind: LocalTargetKind, mode: Mode, pipeline: number, values: ValueKind, round: number): Promise<number> {
  const s = await start(kind, mode, { savePoints: SAVE });
  try {
    if (values === 'random') return (await driverSetOps(s.port, { clients: 50, pipeline, seconds: SECONDS, keys: 100_000, size: 100, seed: round + 1 })).ops;
    return redisBenchmark(s.port, 'set', { n: pipeline > 1 ? N * 4 : N, clients: 50, pipeline, size: 100, keys: 100_000 });
  } finally {
    await s.stop();
  }
}

const ONLY = process.env.ONLY ?? '';
const tput = new Table({ style: { head: [], border: [] }, head: head('SET, 50 clients, 100 B (ops/s)') });
for (const mode of ONLY === 'sizes' ? [] : modes) {
  for (const pipeline of pipelines) {
    const per: Array<{ b: number; r: number }> = [];
    for (const v of VALUES) {
      const runs: Record<LocalTargetKind, number[]> = { builtin: [], redis: [] };
      for (let r = 0; r < ROUNDS; r++) for (const k of r % 2 ? [...kinds].reverse() : kinds) runs[k].push(await setOps(k, mode, pipeline, v, r));
      per.push({ b: median(runs.builtin), r: median(runs.redis) });
    }
    const goal = pipeline === 1 ? 0.9 : 0.6;
    tput.push(row(`${mode} -P ${pipeline}`, per, '', `≥ ${goal}`, (b, r) => b / r >= goal));
  }
}
if (ONLY !== 'sizes') {
  process.stdout.write(`bench:persistence — built-in vs redis-server, ${ROUNDS} interleaved rounds (median)\n${tput.toString()}\n`);
  process.stdout.write(
    `÷ = built-in / redis. repetitive: redis-benchmark (one repeated byte per value); random: durabench's load generator ` +
      `(seeded incompressible values, ${SECONDS} s runs); both over 100k random keys.\n`,
  );
}

const noRewrite = ['--auto-aof-rewrite-percentage', '0'];

/** One server's files at one size and value kind: made once, then loaded LOADS times. */
interface Made {
  forkUsec: number;
  /** A BGSAVE of a server that has saved once: wall time and its main thread's CPU (ms); the built-in server with each encoder. */
  save: Record<'main' | 'thread', { ms: number; mainCpuMs: number }>;
  rdbBytes: number;
  /** a directory holding dump.rdb and appendonlydir/ */
  dir: string;
}

/** BGSAVE and wait for it: its wall time, and what it cost the server's main thread (redis-server's: the fork; its child is a process of its own). */
async function timedSave(port: number, pid: number): Promise<{ ms: number; mainCpuMs: number }> {
  const cpu0 = threadRunMs(pid) ?? NaN;
  const t0 = performance.now();
  await command(port, ['BGSAVE']);
  await waitZero(port, 'persistence', 'rdb_bgsave_in_progress');
  return { ms: performance.now() - t0, mainCpuMs: (threadRunMs(pid) ?? NaN) - cpu0 };
}

/**
 * Fill, BGSAVE, read the pause; BGSAVEs timed (the built-in server's with each
 * `snapshot-encoder`); then the same writes appended as commands (no rewrite).
 */
async function makeFiles(kind: LocalTargetKind, keys: number, values: ValueKind, dir: string): Promise<Made> {
  const s = await start(kind, 'none');
  let made: Made;
  try {
    await fill(s.port, keys, 100, values);
    const pid = Number((await info(s.port, 'server')).process_id);
    await timedSave(s.port, pid);
    const forkUsec = Number((await info(s.port, 'stats')).latest_fork_usec);
    // the second save of each: the first with an encoder runs its code cold (and starts the thread)
    const encoder = async (how: 'main' | 'thread') => {
      if (kind === 'builtin') await command(s.port, ['CONFIG', 'SET', 'snapshot-encoder', how]);
      await timedSave(s.port, pid);
      return timedSave(s.port, pid);
    };
    const save = { main: await encoder('main'), thread: await encoder('thread') };
    await s.kill();
    fs.copyFileSync(path.join(s.dir, 'dump.rdb'), path.join(dir, 'dump.rdb'));
    made = { forkUsec, save, rdbBytes: fs.statSync(path.join(dir, 'dump.rdb')).size, dir };
  } finally {
    await s.stop();
  }
  const a = await start(kind, 'aof-no', { extra: noRewrite });
  try {
    await fill(a.port, keys, 100, values);
    await a.kill();
    fs.cpSync(path.join(a.dir, 'appendonlydir'), path.join(dir, 'appendonlydir'), { recursive: true });
  } finally {
    await a.stop();
  }
  return made;
}

/** Spawn → ready of `kind` on a fresh copy of `file` (a dump.rdb or an appendonlydir). */
async function loadOnce(kind: LocalTargetKind, file: string): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-bench-load-'));
  try {
    fs.cpSync(file, path.join(dir, path.basename(file)), { recursive: true });
    const rdb = path.basename(file) === 'dump.rdb';
    const s = await start(kind, rdb ? 'none' : 'aof-no', { dir, extra: rdb ? [] : noRewrite });
    await s.kill();
    return s.readyMs;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface AtSize {
  made: Record<LocalTargetKind, Made>;
  /** median load times: each server its own files, and the built-in server redis-server's */
  rdb: Record<LocalTargetKind, number>;
  aof: Record<LocalTargetKind, number>;
  theirRdb: number;
  theirAof: number;
}

/**
 * Both servers' files first, flushed to disk (so no load competes with the other's
 * write-back), then the loads interleaved LOADS times: one load is too noisy, and a
 * machine's drift then hits every server alike.
 */
async function atSize(keys: number, values: ValueKind): Promise<AtSize> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-bench-files-'));
  try {
    const made = {} as Record<LocalTargetKind, Made>;
    for (const k of kinds) {
      fs.mkdirSync(path.join(root, k));
      made[k] = await makeFiles(k, keys, values, path.join(root, k));
    }
    execFileSync('sync');
    const own = (k: LocalTargetKind, file: string) => path.join(made[k].dir, file);
    // [what, server, files]: each server its own, then the built-in server redis-server's
    const runs: Array<[string, LocalTargetKind, string]> = [];
    for (const file of ['dump.rdb', 'appendonlydir']) {
      for (const k of kinds) runs.push([`${file} ${k}`, k, own(k, file)]);
      runs.push([`${file} theirs`, 'builtin', own('redis', file)]);
    }
    const times = new Map(runs.map(([what]) => [what, [] as number[]]));
    for (let i = 0; i < LOADS; i++) for (const [what, kind, file] of runs) times.get(what)!.push(await loadOnce(kind, file));
    const med = (what: string): number => median(times.get(what)!);
    return {
      made,
      rdb: { builtin: med('dump.rdb builtin'), redis: med('dump.rdb redis') },
      aof: { builtin: med('appendonlydir builtin'), redis: med('appendonlydir redis') },
      theirRdb: med('dump.rdb theirs'),
      theirAof: med('appendonlydir theirs'),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

for (const keys of ONLY === 'throughput' ? [] : SIZES) {
  const m: AtSize[] = [];
  for (const v of VALUES) m.push(await atSize(keys, v));
  const per = (f: (a: Made) => number) => m.map((x) => ({ b: f(x.made.builtin), r: f(x.made.redis) }));
  const loads = (f: (a: AtSize) => { b: number; r: number }) => m.map(f);
  const t = new Table({ style: { head: [], border: [] }, head: head(`${fmt(keys)} keys × 100 B`) });
  t.push(
    row('BGSAVE start pause (latest_fork_usec)', per((a) => a.forkUsec), ' us', 'ours < 1000 us', (b) => b < 1000),
    row('RDB file size', per((a) => a.rdbBytes), 'B', '≤ 1.05', (b, r) => b / r <= 1.05),
    row('BGSAVE time (encoding on the main thread)', per((a) => a.save.main.ms), ' ms', '—', null),
    row('  its main-thread CPU', per((a) => a.save.main.mainCpuMs), ' ms', '—', null),
    row('BGSAVE time (encoding on a thread)', per((a) => a.save.thread.ms), ' ms', '—', null),
    row('  its main-thread CPU', per((a) => a.save.thread.mainCpuMs), ' ms', '—', null),
    row('load own RDB (spawn → ready)', loads((a) => ({ b: a.rdb.builtin, r: a.rdb.redis })), ' ms', '≤ 1.0', (b, r) => b / r <= 1.0),
    row("load redis-server's RDB", loads((a) => ({ b: a.theirRdb, r: a.rdb.redis })), ' ms', '≤ 1.0', (b, r) => b / r <= 1.0),
    row('load own AOF (spawn → ready)', loads((a) => ({ b: a.aof.builtin, r: a.aof.redis })), ' ms', '≤ 1.3', (b, r) => b / r <= 1.3),
    row("load redis-server's AOF", loads((a) => ({ b: a.theirAof, r: a.aof.redis })), ' ms', '≤ 1.3', (b, r) => b / r <= 1.3),
  );
  process.stdout.write(`${t.toString()}\n`);
}
