import fs from 'node:fs';
import path from 'node:path';
import Table from 'cli-table3';
import { MODES, type Mode, type LocalTargetKind } from '../shared/types.js';
import { command, driverSetOps, fail, fill, fmt, info, median, redisBenchmark, requireBinaries, start, valueKinds, verdict, waitZero, type ValueKind } from './lib.js';

/**
 * npm run bench:persistence — the built-in server vs redis-server, side by side in one run,
 * every row twice: repetitive values (one repeated byte, redis-benchmark's) and random
 * incompressible ones (the harness's values, what every trial writes):
 *  1. SET in every persistence mode, pipeline 1 and 16 (goal ≥ 0.9 / ≥ 0.6), median of
 *     interleaved rounds, a fresh server and data dir per run; repetitive = redis-benchmark,
 *     random = durabench's load generator (redis-benchmark cannot vary its values);
 *  2. at 1M and 4M keys × 100 B, filled with each kind of value: BGSAVE start pause
 *     (latest_fork_usec; goal < 1 ms on ours), RDB size (≤ 1.05×), load time from RDB (≤ 1.0×)
 *     and from AOF (≤ 1.5×), each from spawn to the first reply that is not -LOADING (the
 *     harness's recovery clock), median of LOADS restarts.
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
/** One row: per value kind built-in, redis, ratio; the goal; a verdict per kind. */
const row = (name: string, per: Array<{ b: number; r: number }>, unit: string, goal: string, ok: (b: number, r: number) => boolean): string[] => [
  name,
  ...per.flatMap(({ b, r }) => [`${fmt(b)}${unit}`, `${fmt(r)}${unit}`, (b / r).toFixed(2)]),
  goal,
  per.map(({ b, r }) => verdict(ok(b, r))).join(' / '),
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

interface AtSize {
  forkUsec: number;
  rdbBytes: number;
  rdbLoadMs: number;
  aofLoadMs: number;
}

/** Median spawn → ready of LOADS restarts on the same directory (one load is too noisy). */
async function loadMs(kind: LocalTargetKind, mode: Mode, opts: Parameters<typeof start>[2]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const again = await start(kind, mode, opts);
    await again.kill();
    times.push(again.readyMs);
  }
  return median(times);
}

/** Fill, BGSAVE, read the pause and the file; restart and time the RDB load; same for an AOF. */
async function atSize(kind: LocalTargetKind, keys: number, values: ValueKind): Promise<AtSize> {
  const s = await start(kind, 'none');
  let out: AtSize;
  try {
    await fill(s.port, keys, 100, values);
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
    await fill(a.port, keys, 100, values);
    await a.kill();
    out.aofLoadMs = await loadMs(kind, 'aof-no', { extra: noRewrite, dir: a.dir });
  } finally {
    await a.stop();
  }
  return out;
}

for (const keys of ONLY === 'throughput' ? [] : SIZES) {
  const m: Array<Record<LocalTargetKind, AtSize>> = [];
  for (const v of VALUES) m.push({ builtin: await atSize('builtin', keys, v), redis: await atSize('redis', keys, v) });
  const per = (f: (a: AtSize) => number) => m.map((x) => ({ b: f(x.builtin), r: f(x.redis) }));
  const t = new Table({ style: { head: [], border: [] }, head: head(`${fmt(keys)} keys × 100 B`) });
  t.push(
    row('BGSAVE start pause (latest_fork_usec)', per((a) => a.forkUsec), ' us', 'ours < 1000 us', (b) => b < 1000),
    row('RDB file size', per((a) => a.rdbBytes), 'B', '≤ 1.05', (b, r) => b / r <= 1.05),
    row('load from RDB (spawn → ready)', per((a) => a.rdbLoadMs), ' ms', '≤ 1.0', (b, r) => b / r <= 1.0),
    row('load from AOF (spawn → ready)', per((a) => a.aofLoadMs), ' ms', '≤ 1.5', (b, r) => b / r <= 1.5),
  );
  process.stdout.write(`${t.toString()}\n`);
}
