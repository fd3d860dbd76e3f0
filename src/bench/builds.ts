import Table from 'cli-table3';
import fs from 'node:fs';
import path from 'node:path';
import { fmt, info, median, redisBenchmark, start, type Running } from './lib.js';

/**
 * npm run bench:builds — this checkout's built-in server against another checkout's
 * (BASE=<dir with a built dist/>), side by side in one run: redis-benchmark SET and GET,
 * 50 clients, random keys over 100k, pipeline 1 and 16, interleaved rounds (median). Besides
 * ops/s (which swings with whatever else the machine runs) it prints each server's CPU time
 * per request, from INFO cpu around each run: steadier on a shared machine.
 * Env: BASE (required), ROUNDS (5), N requests per run at pipeline 1 (100000; ×4 at 16),
 *      SIZE value bytes (3, redis-benchmark's default).
 */
const BASE = process.env.BASE && path.resolve(process.env.BASE);
if (!BASE || !fs.existsSync(path.join(BASE, 'dist'))) {
  process.stderr.write('bench:builds: set BASE to another checkout with a built dist/ (git worktree add … && npm ci && npm run build)\n');
  process.exit(2);
}
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const N = Number(process.env.N ?? 100_000);
const SIZE = Number(process.env.SIZE ?? 3);
const KEYSPACE = 100_000;
const CLIENTS = 50;

async function cpuSeconds(s: Running): Promise<number> {
  const c = await info(s.port, 'cpu');
  return Number(c.used_cpu_user) + Number(c.used_cpu_sys);
}

const builds = { base: await start('builtin', 'none', { bin: path.join(BASE, 'bin', 'durabench') }), this: await start('builtin', 'none') };
type Build = keyof typeof builds;
const order: Build[] = ['base', 'this'];
const table = new Table({ style: { head: [], border: [] }, head: ['case', 'base ops/s', 'this ops/s', '÷', 'base µs CPU/req', 'this µs CPU/req', '÷'] });
process.stdout.write(`bench:builds — ${BASE} vs this checkout, built-in server, mode none, ${ROUNDS} interleaved rounds (median)\n`);
try {
  for (const pipeline of [1, 16]) {
    for (const test of ['set', 'get'] as const) {
      const ops: Record<Build, number[]> = { base: [], this: [] };
      const cpu: Record<Build, number[]> = { base: [], this: [] };
      const n = N * (pipeline > 1 ? 4 : 1);
      for (let r = 0; r < ROUNDS; r++) {
        for (const b of r % 2 ? [...order].reverse() : order) {
          const c0 = await cpuSeconds(builds[b]);
          ops[b].push(redisBenchmark(builds[b].port, test, { n, clients: CLIENTS, pipeline, size: SIZE, keys: KEYSPACE }));
          cpu[b].push(((await cpuSeconds(builds[b])) - c0) * 1e6 / n);
        }
      }
      const [ob, ot, cb, ct] = [median(ops.base), median(ops.this), median(cpu.base), median(cpu.this)];
      table.push([`${test.toUpperCase()} -P ${pipeline}`, fmt(ob), fmt(ot), (ot / ob).toFixed(3), cb.toFixed(2), ct.toFixed(2), (ct / cb).toFixed(3)]);
    }
  }
} finally {
  await builds.base.stop();
  await builds.this.stop();
}
process.stdout.write(table.toString() + '\n');
