import fs from 'node:fs';
import path from 'node:path';
import Table from 'cli-table3';
import { flagsFor } from '../harness/targets/modes.js';
import { MODES } from '../shared/types.js';
import { type BenchTarget, command, fill, fmt, info, redisBenchmark, requireBinary, start } from './lib.js';

/**
 * npm run bench:persistence — the built-in server vs redis-server, side by side in one run:
 *  1. redis-benchmark SET in every persistence mode, pipeline 1 and 16 (goal ≥ 0.9 / ≥ 0.6);
 *  2. at 1M (and 4M) keys × 100 B: BGSAVE start pause (latest_fork_usec; goal < 1 ms on
 *     ours), RDB size (≤ 1.05×), load time from RDB (≤ 1.0×) and from AOF (≤ 1.5×),
 *     each measured from spawn to the first reply that is not -LOADING.
 * Env: N (requests per benchmark), SIZES (comma list of key counts, default 1000000,4000000).
 */
requireBinary('redis-server', 'redis-server');
requireBinary('redis-benchmark', 'redis-tools');

const N = Number(process.env.N ?? 100_000);
const SIZES = (process.env.SIZES ?? '1000000,4000000').split(',').map(Number);
const SAVE = '10 10000';
const targets: BenchTarget[] = ['builtin', 'redis'];
const ratioRow = (name: string, b: number, r: number, goal: string, ok: boolean, unit = ''): string[] => [
  name, `${fmt(b)}${unit}`, `${fmt(r)}${unit}`, (b / r).toFixed(2), goal, ok ? 'ok' : 'MISSED',
];

const tput = new Table({ head: ['SET ops/s', 'built-in', 'redis', 'ratio', 'goal', 'verdict'] });
for (const mode of MODES) {
  for (const pipeline of [1, 16]) {
    const ops: Record<BenchTarget, number> = { builtin: 0, redis: 0 };
    for (const t of targets) {
      const s = await start(t, flagsFor(mode, SAVE));
      try {
        ops[t] = redisBenchmark(s.port, 'set', { n: pipeline > 1 ? N * 4 : N, clients: 50, pipeline, size: 100, keys: 100_000 });
      } finally {
        await s.stop();
      }
    }
    const goal = pipeline === 1 ? 0.9 : 0.6;
    const ratio = ops.builtin / ops.redis;
    tput.push(ratioRow(`${mode} -P ${pipeline}`, ops.builtin, ops.redis, `≥ ${goal}`, ratio >= goal));
  }
}
process.stdout.write(`Throughput (50 clients, 100 B values, random keys over 100k)\n${tput.toString()}\n`);

/** Spawn → first reply that is not -LOADING, probed every millisecond or less. */
async function timeLoad(t: BenchTarget, flags: string[], dir: string): Promise<number> {
  const t0 = performance.now();
  const s = await start(t, flags, dir);
  const ms = performance.now() - t0;
  await s.kill();
  return ms;
}

async function waitIdle(port: number, field: string): Promise<Record<string, string>> {
  for (;;) {
    const p = await info(port, 'persistence');
    if (p[field] === '0') return p;
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const keys of SIZES) {
  const size = new Table({ head: [`${fmt(keys)} keys × 100 B`, 'built-in', 'redis', 'ratio', 'goal', 'verdict'] });
  const m: Record<BenchTarget, { forkUsec: number; rdbBytes: number; rdbLoadMs: number; aofLoadMs: number }> = {
    builtin: { forkUsec: 0, rdbBytes: 0, rdbLoadMs: 0, aofLoadMs: 0 },
    redis: { forkUsec: 0, rdbBytes: 0, rdbLoadMs: 0, aofLoadMs: 0 },
  };
  for (const t of targets) {
    // RDB: fill, BGSAVE, read the pause and the file, restart and time the load.
    const s = await start(t, flagsFor('none', SAVE));
    const dir = s.dir;
    try {
      await fill(s.port, keys, 100);
      await command(s.port, ['BGSAVE']);
      await waitIdle(s.port, 'rdb_bgsave_in_progress');
      m[t].forkUsec = Number((await info(s.port, 'stats')).latest_fork_usec);
      await s.kill();
      m[t].rdbBytes = fs.statSync(path.join(dir, 'dump.rdb')).size;
      m[t].rdbLoadMs = await timeLoad(t, flagsFor('none', SAVE), dir);
    } finally {
      await s.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // AOF: the same writes appended as commands (no rewrite), then time the load.
    const a = await start(t, [...flagsFor('aof-no', SAVE), '--auto-aof-rewrite-percentage', '0']);
    try {
      await fill(a.port, keys, 100);
      await a.kill();
      m[t].aofLoadMs = await timeLoad(t, [...flagsFor('aof-no', SAVE), '--auto-aof-rewrite-percentage', '0'], a.dir);
    } finally {
      await a.kill();
      fs.rmSync(a.dir, { recursive: true, force: true });
    }
  }
  const b = m.builtin;
  const r = m.redis;
  size.push(
    [...ratioRow('BGSAVE start pause (latest_fork_usec)', b.forkUsec, r.forkUsec, 'ours < 1000 us', b.forkUsec < 1000, ' us')],
    [...ratioRow('RDB file size', b.rdbBytes, r.rdbBytes, '≤ 1.05', b.rdbBytes / r.rdbBytes <= 1.05, 'B')],
    [...ratioRow('load from RDB (spawn → ready)', b.rdbLoadMs, r.rdbLoadMs, '≤ 1.0', b.rdbLoadMs / r.rdbLoadMs <= 1.0, ' ms')],
    [...ratioRow('load from AOF (spawn → ready)', b.aofLoadMs, r.aofLoadMs, '≤ 1.5', b.aofLoadMs / r.aofLoadMs <= 1.5, ' ms')],
  );
  process.stdout.write(`${size.toString()}\n`);
}
