import fs from 'node:fs';
import path from 'node:path';
import Table from 'cli-table3';
import { MODES, type Mode, type TargetKind } from '../shared/types.js';
import { command, fail, fill, fmt, info, median, redisBenchmark, requireBinaries, start, verdict, waitZero } from './lib.js';

/**
 * npm run bench:persistence — the built-in server vs redis-server, side by side in one run:
 *  1. redis-benchmark SET in every persistence mode, pipeline 1 and 16 (goal ≥ 0.9 / ≥ 0.6),
 *     median of interleaved rounds, a fresh server and data dir per run;
 *  2. at 1M and 4M keys × 100 B: BGSAVE start pause (latest_fork_usec; goal < 1 ms on ours),
 *     RDB size (≤ 1.05×), load time from RDB (≤ 1.0×) and from AOF (≤ 1.5×), each from
 *     spawn to the first reply that is not -LOADING (the harness's recovery clock), median of
 *     LOADS restarts.
 * Env: ROUNDS (3), N requests per run at pipeline 1 (100000; ×4 at 16), SIZES (1000000,4000000),
 *      ONLY (throughput | sizes: run one part), MODES and PIPELINES (comma lists: a subset),
 *      LOADS (3: restarts timed per load figure, median).
 */
requireBinaries('bench:persistence');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const N = Number(process.env.N ?? 100_000);
const SIZES = (process.env.SIZES ?? '1000000,4000000').split(',').map(Number);
const SAVE = '10 10000';
const LOADS = Number(process.env.LOADS ?? 3);
const kinds: TargetKind[] = ['builtin', 'redis'];
const modes = process.env.MODES ? (process.env.MODES.split(',') as Mode[]) : MODES;
const bad = modes.filter((m) => !MODES.includes(m));
if (bad.length > 0) fail('bench:persistence', `MODES: unknown mode ${bad.join(', ')} (known: ${MODES.join(', ')})`);
const pipelines = (process.env.PIPELINES ?? '1,16').split(',').map(Number);
const row = (name: string, b: number, r: number, unit: string, goal: string, ok: boolean): string[] => [name, `${fmt(b)}${unit}`, `${fmt(r)}${unit}`, (b / r).toFixed(2), goal, verdict(ok)];

async function setOps(kind: TargetKind, mode: Mode, pipeline: number): Promise<number> {
  const s = await start(kind, mode, { savePoints: SAVE });
  try {
    return redisBenchmark(s.port, 'set', { n: pipeline > 1 ? N * 4 : N, clients: 50, pipeline, size: 100, keys: 100_000 });
  } finally {
    await s.stop();
  }
}

const ONLY = process.env.ONLY ?? '';
const tput = new Table({ style: { head: [], border: [] }, head: ['SET, 50 clients, 100 B (ops/s)', 'built-in', 'redis', 'ratio', 'goal', 'verdict'] });
for (const mode of ONLY === 'sizes' ? [] : modes) {
  for (const pipeline of pipelines) {
    const runs: Record<TargetKind, number[]> = { builtin: [], redis: [] };
    for (let r = 0; r < ROUNDS; r++) for (const k of r % 2 ? [...kinds].reverse() : kinds) runs[k].push(await setOps(k, mode, pipeline));
    const b = median(runs.builtin);
    const rd = median(runs.redis);
    const goal = pipeline === 1 ? 0.9 : 0.6;
    tput.push(row(`${mode} -P ${pipeline}`, b, rd, '', `≥ ${goal}`, b / rd >= goal));
  }
}
if (ONLY !== 'sizes') process.stdout.write(`bench:persistence — built-in vs redis-server, ${ROUNDS} interleaved rounds (median)\n${tput.toString()}\n`);

interface AtSize {
  forkUsec: number;
  rdbBytes: number;
  rdbLoadMs: number;
  aofLoadMs: number;
}

/** Median spawn → ready of LOADS restarts on the same directory (one load is too noisy). */
async function loadMs(kind: TargetKind, mode: Mode, opts: Parameters<typeof start>[2]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const again = await start(kind, mode, opts);
    await again.kill();
    times.push(again.readyMs);
  }
  return median(times);
}

/** Fill, BGSAVE, read the pause and the file; restart and time the RDB load; same for an AOF. */
async function atSize(kind: TargetKind, keys: number): Promise<AtSize> {
  const s = await start(kind, 'none');
  let out: AtSize;
  try {
    await fill(s.port, keys, 100);
    await command(s.port, ['BGSAVE']);
    await waitZero(s.port, 'persistence', 'rdb_bgsave_in_progress');
    const forkUsec = Number((await info(s.port, 'stats')).latest_fork_usec);
    await s.kill();
    const rdbBytes = fs.statSync(path.join(s.dir, 'dump.rdb')).size;
    out = { forkUsec, rdbBytes, rdbLoadMs: await loadMs(kind, 'none', { dir: s.dir }), aofLoadMs: 0 };
  } finally {
    await s.stop();
  }
  // The same writes appended as commands (no rewrite), then time the AOF load.
  const noRewrite = ['--auto-aof-rewrite-percentage', '0'];
  const a = await start(kind, 'aof-no', { extra: noRewrite });
  try {
    await fill(a.port, keys, 100);
    await a.kill();
    out.aofLoadMs = await loadMs(kind, 'aof-no', { extra: noRewrite, dir: a.dir });
  } finally {
    await a.stop();
  }
  return out;
}

for (const keys of ONLY === 'throughput' ? [] : SIZES) {
  const m = { builtin: await atSize('builtin', keys), redis: await atSize('redis', keys) };
  const b = m.builtin;
  const r = m.redis;
  const t = new Table({ style: { head: [], border: [] }, head: [`${fmt(keys)} keys × 100 B`, 'built-in', 'redis', 'ratio', 'goal', 'verdict'] });
  t.push(
    row('BGSAVE start pause (latest_fork_usec)', b.forkUsec, r.forkUsec, ' us', 'ours < 1000 us', b.forkUsec < 1000),
    row('RDB file size', b.rdbBytes, r.rdbBytes, 'B', '≤ 1.05', b.rdbBytes / r.rdbBytes <= 1.05),
    row('load from RDB (spawn → ready)', b.rdbLoadMs, r.rdbLoadMs, ' ms', '≤ 1.0', b.rdbLoadMs / r.rdbLoadMs <= 1.0),
    row('load from AOF (spawn → ready)', b.aofLoadMs, r.aofLoadMs, ' ms', '≤ 1.5', b.aofLoadMs / r.aofLoadMs <= 1.5),
  );
  process.stdout.write(`${t.toString()}\n`);
}
