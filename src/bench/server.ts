import Table from 'cli-table3';
import type { TargetKind } from '../shared/types.js';
import { fill, fmt, info, median, redisBenchmark, requireBinaries, start, verdict } from './lib.js';

/**
 * npm run bench:server — the built-in server vs redis-server (mode none), side by side in
 * one run: redis-benchmark SET/GET, 50 clients, 100-byte values, random keys over 100k,
 * pipeline 1 and 16 (median of interleaved rounds), then RSS per key after 1M keys.
 * Goals: ratio ≥ 0.9 at pipeline 1, ≥ 0.6 at pipeline 16; RSS/key ≤ 1.5× redis-server's.
 * Env: ROUNDS (3), N requests per run at pipeline 1 (200000; ×4 at 16), KEYS for RSS (1000000).
 */
requireBinaries('bench:server');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const N = Number(process.env.N ?? 200_000);
const KEYS = Number(process.env.KEYS ?? 1_000_000);
const kinds: TargetKind[] = ['builtin', 'redis'];

const table = new Table({ style: { head: [], border: [] }, head: ['case', 'built-in', 'redis', 'ratio', 'goal', 'verdict'] });
const servers = { builtin: await start('builtin', 'none'), redis: await start('redis', 'none') };
process.stdout.write(`bench:server — ${servers.redis.version} vs the built-in server, mode none, ${ROUNDS} interleaved rounds (median)\n`);
try {
  for (const pipeline of [1, 16]) {
    for (const test of ['set', 'get']) {
      const runs: Record<TargetKind, number[]> = { builtin: [], redis: [] };
      for (let r = 0; r < ROUNDS; r++) {
        for (const k of r % 2 ? [...kinds].reverse() : kinds) {
          runs[k].push(redisBenchmark(servers[k].port, test, { n: N * (pipeline > 1 ? 4 : 1), clients: 50, pipeline, size: 100, keys: 100_000 }));
        }
      }
      const b = median(runs.builtin);
      const rd = median(runs.redis);
      const goal = pipeline === 1 ? 0.9 : 0.6;
      table.push([`${test.toUpperCase()} -P ${pipeline} (ops/s)`, fmt(b), fmt(rd), (b / rd).toFixed(2), `≥ ${goal}`, verdict(b / rd >= goal)]);
    }
  }
} finally {
  await servers.builtin.stop();
  await servers.redis.stop();
}

// Memory: a fresh server each, KEYS keys with 100-byte values, RSS growth per key.
const perKey: Record<TargetKind, number> = { builtin: 0, redis: 0 };
for (const k of kinds) {
  const s = await start(k, 'none');
  try {
    const before = Number((await info(s.port, 'memory')).used_memory_rss);
    await fill(s.port, KEYS, 100);
    await new Promise((r) => setTimeout(r, 500));
    perKey[k] = (Number((await info(s.port, 'memory')).used_memory_rss) - before) / KEYS;
  } finally {
    await s.stop();
  }
}
const ratio = perKey.builtin / perKey.redis;
table.push([`RSS per key, ${fmt(KEYS)} × 100 B`, `${perKey.builtin.toFixed(0)} B`, `${perKey.redis.toFixed(0)} B`, ratio.toFixed(2), '≤ 1.5', verdict(ratio <= 1.5)]);
process.stdout.write(`${table.toString()}\n`);
