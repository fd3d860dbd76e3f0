import Table from 'cli-table3';
import type { ValueKind } from '../harness/workload/preload.js';
import type { LocalTargetKind } from '../shared/types.js';
import { driverSetOps, fill, fmt, info, median, redisBenchmark, requireBinaries, rssBaseline, start, valueKinds, verdict, type Running } from './lib.js';

/**
 * npm run bench:server — the built-in server vs redis-server (mode none), side by side in
 * one run, each row twice: first with random incompressible values (the harness's, as every
 * trial writes them: the main row), then with repetitive ones (one repeated byte, what
 * redis-benchmark sends).
 *  - SET: repetitive = redis-benchmark; random = durabench's load generator (redis-benchmark
 *    cannot vary its values), both 50 clients, 100-byte values, random keys over 100k.
 *  - GET: redis-benchmark over 100k keys filled beforehand with that kind of value.
 *  Pipeline 1 and 16, median of interleaved rounds after an unmeasured warm-up run on each
 *  server (warmUp); then RSS per key after KEYS keys.
 * Goals: ratio ≥ 0.9 at pipeline 1, ≥ 0.6 at pipeline 16; RSS/key ≤ 1.5× redis-server's.
 * Env: ROUNDS (3), N requests per redis-benchmark run at pipeline 1 (200000; ×4 at 16),
 *      SECONDS per load-generator run (3), KEYS for RSS (1000000), VALUES (random,repetitive).
 */
requireBinaries('bench:server');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const N = Number(process.env.N ?? 200_000);
const SECONDS = Number(process.env.SECONDS ?? 3);
const KEYS = Number(process.env.KEYS ?? 1_000_000);
const VALUES = valueKinds('bench:server');
const SIZE = 100;
const KEYSPACE = 100_000;
const CLIENTS = 50;
const kinds: LocalTargetKind[] = ['builtin', 'redis'];

const head = ['case'];
for (const v of VALUES) head.push(`${v}: built-in`, 'redis', '÷');
const table = new Table({ style: { head: [], border: [] }, head: [...head, 'goal', 'verdict'] });

/** One measurement of `test` on a server, with values of kind `v` (GET reads what fill wrote). */
async function ops(s: Running, test: 'set' | 'get', v: ValueKind, pipeline: number, round: number, share = 1): Promise<number> {
  if (test === 'set' && v === 'random') {
    return (await driverSetOps(s.port, { clients: CLIENTS, pipeline, seconds: SECONDS * share, keys: KEYSPACE, size: SIZE, seed: round + 1 })).ops;
  }
  return redisBenchmark(s.port, test, { n: Math.round(N * (pipeline > 1 ? 4 : 1) * share), clients: CLIENTS, pipeline, size: SIZE, keys: KEYSPACE });
}

/**
 * An unmeasured quarter-length run on each server before a case's rounds. Without it the
 * case's first round ran on a cold JIT (the built-in server's, and the load generator's,
 * which then went warm into redis-server's turn): SET -P 1 with random values, 3 interleaved
 * rounds, built-in 170k / 182k / 187k against redis-server's 198k–204k in every round.
 */
async function warmUp(test: 'set' | 'get', v: ValueKind, pipeline: number): Promise<void> {
  for (const k of kinds) await ops(servers[k], test, v, pipeline, 99, 0.25);
}

const servers = { builtin: await start('builtin', 'none'), redis: await start('redis', 'none') };
process.stdout.write(`bench:server — ${servers.redis.version} vs the built-in server, mode none, ${ROUNDS} interleaved rounds (median) after an unmeasured warm-up run on each\n`);
try {
  for (const pipeline of [1, 16]) {
    for (const test of ['set', 'get'] as const) {
      const cells: string[] = [];
      const verdicts: string[] = [];
      const goal = pipeline === 1 ? 0.9 : 0.6;
      for (const v of VALUES) {
        if (test === 'get') for (const k of kinds) await fill(servers[k].port, KEYSPACE, SIZE, v);
        await warmUp(test, v, pipeline);
        const runs: Record<LocalTargetKind, number[]> = { builtin: [], redis: [] };
        for (let r = 0; r < ROUNDS; r++) {
          for (const k of r % 2 ? [...kinds].reverse() : kinds) runs[k].push(await ops(servers[k], test, v, pipeline, r));
        }
        const b = median(runs.builtin);
        const rd = median(runs.redis);
        cells.push(fmt(b), fmt(rd), (b / rd).toFixed(2));
        verdicts.push(verdict(b / rd >= goal));
      }
      table.push([`${test.toUpperCase()} -P ${pipeline} (ops/s)`, ...cells, `≥ ${goal}`, verdicts.join(' / ')]);
    }
  }
} finally {
  await servers.builtin.stop();
  await servers.redis.stop();
}

// Memory: a fresh server each, KEYS keys with 100-byte values of each kind, RSS growth per key.
const cells: string[] = [];
const verdicts: string[] = [];
for (const v of VALUES) {
  const perKey: Record<LocalTargetKind, number> = { builtin: 0, redis: 0 };
  for (const k of kinds) {
    const s = await start(k, 'none');
    try {
      const before = await rssBaseline(s.port);
      await fill(s.port, KEYS, SIZE, v);
      await new Promise((r) => setTimeout(r, 500));
      perKey[k] = (Number((await info(s.port, 'memory')).used_memory_rss) - before) / KEYS;
    } finally {
      await s.stop();
    }
  }
  const ratio = perKey.builtin / perKey.redis;
  cells.push(`${perKey.builtin.toFixed(0)} B`, `${perKey.redis.toFixed(0)} B`, ratio.toFixed(2));
  verdicts.push(verdict(ratio <= 1.5));
}
table.push([`RSS per key, ${fmt(KEYS)} × ${SIZE} B`, ...cells, '≤ 1.5', verdicts.join(' / ')]);
process.stdout.write(`${table.toString()}\n`);
process.stdout.write(
  `÷ = built-in / redis. repetitive: one repeated byte per value (redis-benchmark's own values; GET reads keys filled with them).\n` +
    `random: seeded incompressible values (the harness's); SET random is durabench's load generator (${SECONDS} s runs, redis-benchmark ` +
    `cannot send varying values), GET random is redis-benchmark reading keys filled with random values. Keys: random over ${fmt(KEYSPACE)} (-r).\n`,
);
