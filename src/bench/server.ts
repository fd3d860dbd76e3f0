import Table from 'cli-table3';
import { type BenchTarget, fill, fmt, info, median, redisBenchmark, requireBinary, start } from './lib.js';

/**
 * npm run bench:server — the built-in server vs redis-server (no persistence), side by side
 * in one run: redis-benchmark SET/GET, 50 clients, 100-byte values, random keys over 100k,
 * pipeline 1 and 16 (median of interleaved rounds), then RSS per key after 1M keys.
 * Goals: ratio ≥ 0.9 at pipeline 1, ≥ 0.6 at pipeline 16; RSS/key ≤ 1.5× redis-server's.
 */
requireBinary('redis-server', 'redis-server');
requireBinary('redis-benchmark', 'redis-tools');

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const N = Number(process.env.N ?? 200_000);
const KEYS = Number(process.env.KEYS ?? 1_000_000);
const FLAGS = ['--save', '', '--appendonly', 'no'];
const targets: BenchTarget[] = ['builtin', 'redis'];

const table = new Table({ head: ['case', 'built-in ops/s', 'redis ops/s', 'ratio', 'goal', 'verdict'] });
const servers = { builtin: await start('builtin', FLAGS), redis: await start('redis', FLAGS) };
try {
  for (const pipeline of [1, 16]) {
    for (const test of ['set', 'get']) {
      const runs: Record<BenchTarget, number[]> = { builtin: [], redis: [] };
      for (let r = 0; r < ROUNDS; r++) {
        for (const t of r % 2 ? [...targets].reverse() : targets) {
          runs[t].push(redisBenchmark(servers[t].port, test, { n: N * (pipeline > 1 ? 4 : 1), clients: 50, pipeline, size: 100, keys: 100_000 }));
        }
      }
      const b = median(runs.builtin);
      const rd = median(runs.redis);
      const goal = pipeline === 1 ? 0.9 : 0.6;
      table.push([`${test.toUpperCase()} -P ${pipeline}`, fmt(b), fmt(rd), (b / rd).toFixed(2), `≥ ${goal}`, b / rd >= goal ? 'ok' : 'BELOW']);
    }
  }
} finally {
  await servers.builtin.stop();
  await servers.redis.stop();
}

// Memory: a fresh server each, 1M keys with 100-byte values.
const mem: Record<BenchTarget, number> = { builtin: 0, redis: 0 };
for (const t of targets) {
  const s = await start(t, FLAGS);
  try {
    const before = Number((await info(s.port, 'memory')).used_memory_rss);
    await fill(s.port, KEYS, 100);
    await new Promise((r) => setTimeout(r, 500));
    const after = Number((await info(s.port, 'memory')).used_memory_rss);
    mem[t] = (after - before) / KEYS;
  } finally {
    await s.stop();
  }
}
const ratio = mem.builtin / mem.redis;
table.push([`RSS/key, ${fmt(KEYS)} keys × 100 B`, `${mem.builtin.toFixed(0)} B`, `${mem.redis.toFixed(0)} B`, ratio.toFixed(2), '≤ 1.5', ratio <= 1.5 ? 'ok' : 'ABOVE']);
process.stdout.write(`bench:server — built-in vs redis-server, ${ROUNDS} interleaved rounds, median\n${table.toString()}\n`);
