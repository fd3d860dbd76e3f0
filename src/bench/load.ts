/**
 * npm run bench:load — our load generator (the one every trial uses: raw-socket RESP clients,
 * ledger, per-client HDR histograms) against redis-benchmark, same redis-server, same
 * clients, pipeline depth, value size and keyspace, side by side. Rounds alternate which
 * goes first so drift on a shared machine hits both; medians are compared.
 * Goal: ours ≥ 0.8 × redis-benchmark ops/s.
 *
 * Env: CLIENTS (50), PIPELINES (comma list, "1,16"), SECONDS per measurement (3),
 *      VALUE bytes (100), KEYS (100000), ROUNDS (3).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Table from 'cli-table3';
import { targets } from '../harness/targets/index.js';
import { freePort } from '../harness/targets/ports.js';
import { driverSetOps, fail as failScript, fmt, median, redisBenchmark, requireBinaries } from './lib.js';

const CLIENTS = Number(process.env.CLIENTS ?? 50);
const PIPELINES = (process.env.PIPELINES ?? '1,16').split(',').map(Number);
const SECONDS = Number(process.env.SECONDS ?? 3);
const VALUE = Number(process.env.VALUE ?? 100);
const KEYS = Number(process.env.KEYS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const GOAL = 0.8;

const fail = (msg: string): never => failScript('bench:load', msg);
requireBinaries('bench:load');

async function ours(port: number, pipeline: number, seed: number): Promise<{ ops: number; p99: number | null }> {
  return driverSetOps(port, { clients: CLIENTS, pipeline, seconds: SECONDS, keys: KEYS, size: VALUE, seed }).catch((e: unknown) => fail((e as Error).message));
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-bench-load-'));
  const server = await targets.redis.start({
    port: await freePort(),
    dir: root,
    mode: 'none',
    savePoints: '',
    logFile: path.join(root, 'server.log'),
  });
  process.stdout.write(
    `bench:load — ${server.version}, mode none, SET on ${KEYS} random keys, ${VALUE} B values, ${CLIENTS} clients, ` +
      `${ROUNDS} rounds × ${SECONDS} s, ${os.availableParallelism()} cores\n`,
  );
  const table = new Table({ style: { head: [], border: [] }, head: ['pipeline', 'durabench ops/s', 'redis-benchmark ops/s', 'ratio', 'durabench p99', 'goal', 'verdict'] });
  let missed = false;
  try {
    for (const pipeline of PIPELINES) {
      const a: number[] = [];
      const b: number[] = [];
      const p99: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const runOurs = async (): Promise<void> => {
          const r = await ours(server.port, pipeline, round + 1);
          a.push(r.ops);
          if (r.p99 !== null) p99.push(r.p99);
        };
        // redis-benchmark gets as many requests as ours did in SECONDS (at least 100k)
        const runTheirs = (): void => {
          const estimate = a.length ? median(a) : 100_000 * pipeline;
          b.push(redisBenchmark(server.port, 'set', { n: Math.max(100_000, Math.round(estimate * SECONDS)), clients: CLIENTS, pipeline, size: VALUE, keys: KEYS }));
        };
        if (round % 2 === 0) {
          await runOurs();
          runTheirs();
        } else {
          runTheirs();
          await runOurs();
        }
        process.stdout.write(`  pipeline ${pipeline} round ${round + 1}: durabench ${fmt(a.at(-1)!)} · redis-benchmark ${fmt(b.at(-1)!)} ops/s\n`);
      }
      const ratio = median(a) / median(b);
      const ok = ratio >= GOAL;
      missed ||= !ok;
      table.push([pipeline, fmt(median(a)), fmt(median(b)), ratio.toFixed(2), p99.length ? `${median(p99).toFixed(2)} ms` : '—', `≥ ${GOAL}`, ok ? 'ok' : 'MISSED']);
    }
  } finally {
    server.kill('SIGKILL');
    await server.exited;
    fs.rmSync(root, { recursive: true, force: true });
  }
  process.stdout.write(`${table.toString()}\n`);
  process.stdout.write('ops/s are medians over the rounds; ratio = durabench / redis-benchmark (same server, same settings).\n');
  if (missed) process.exitCode = 1;
}

main().catch((err) => fail((err as Error).message));
