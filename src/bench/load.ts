/**
 * npm run bench:load — our load generator (the one every trial uses: raw-socket RESP clients,
 * ledger, per-client HDR histograms) against redis-benchmark, same redis-server, same
 * clients, pipeline depth, value size and keyspace, side by side, on 1 thread and on N load
 * worker threads (--workers). Rounds rotate which goes first so drift on a shared machine
 * hits all of them; medians are compared. Then the open loop: the generator's own send lag
 * (actual send − due time) at a fixed rate, on 1 and N threads.
 * Goals: ≥ 0.9 × redis-benchmark ops/s at pipeline 1, ≥ 1.0 × at 16 (on the better of 1 and
 * N threads); open-loop send lag p99 < 0.5 ms at 50k ops/s.
 * The server's CPU share during each run is printed too: when both generators keep it busy,
 * the server sets the pace, and no generator can beat the other by more than the spread.
 *
 * Env: CLIENTS (50), PIPELINES (comma list, "1,16"), SECONDS per measurement (3), VALUE bytes
 *      (100), KEYS (100000), ROUNDS (3), WORKERS (N: default the larger of 2 and --workers
 *      auto), RATE for the open loop (50000), OPEN_SECONDS (3), WARMUP_MS (1000: the open loop's
 *      discarded window, after a discarded 200 ms one).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Table from 'cli-table3';
import { mergeHistograms, summarizeLatency } from '../harness/measure/latency.js';
import { openLoopWindow, warmUpWindows } from '../harness/measure/open-loop-window.js';
import { targets } from '../harness/targets/index.js';
import { freePort } from '../harness/targets/ports.js';
import { createWorkload } from '../harness/workload/generators.js';
import { warmUpRoundsMs } from '../harness/workload/load-driver.js';
import { RespConnection } from '../harness/workload/resp-connection.js';
import { loadWorkers } from '../shared/load-workers.js';
import { driverSetOps, fail as failScript, fmt, median, redisBenchmark, requireBinaries } from './lib.js';
import { procCpuMs } from './proc-stat.js';

const CLIENTS = Number(process.env.CLIENTS ?? 50);
// PIPELINES= (empty) runs the open loop only
const PIPELINES = (process.env.PIPELINES ?? '1,16').split(',').filter(Boolean).map(Number);
const SECONDS = Number(process.env.SECONDS ?? 3);
const VALUE = Number(process.env.VALUE ?? 100);
const KEYS = Number(process.env.KEYS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CORES = os.availableParallelism();
const N = Number(process.env.WORKERS ?? Math.max(2, loadWorkers('auto', CLIENTS, CORES)));
const RATE = Number(process.env.RATE ?? 50_000);
const OPEN_SECONDS = Number(process.env.OPEN_SECONDS ?? 3);
const GOAL: Record<number, number> = { 1: 0.9, 16: 1.0 };
const LAG_GOAL_MS = 0.5;
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 1000);

const fail = (msg: string): never => failScript('bench:load', msg);
requireBinaries('bench:load');

interface Closed {
  ops: number[];
  p99: number[];
  /** the server's CPU time ÷ wall time over each run */
  busy: number[];
}

/**
 * Runs `f` and says how busy the server was meanwhile (its CPU time ÷ wall time). Near 100%
 * for both generators, the server is the bottleneck: the ratio then measures the server's
 * pace under each, not which generator is faster.
 */
async function busyDuring<T>(pid: number, f: () => Promise<T> | T): Promise<{ value: T; busy: number }> {
  const c0 = procCpuMs(pid) ?? 0;
  const t0 = performance.now();
  const value = await f();
  return { value, busy: ((procCpuMs(pid) ?? 0) - c0) / (performance.now() - t0) };
}

const pct = (xs: number[]): string => `${Math.round(100 * median(xs))}%`;

async function closedLoop(port: number, pid: number, pipeline: number, table: Table.Table): Promise<boolean> {
  const threads = [1, N];
  const ours = new Map<number, Closed>(threads.map((w) => [w, { ops: [], p99: [], busy: [] }]));
  const theirs: Closed = { ops: [], p99: [], busy: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const runOurs = (w: number) => async (): Promise<void> => {
      const o = { clients: CLIENTS, pipeline, seconds: SECONDS, keys: KEYS, size: VALUE, seed: round + 1, workers: w };
      const { value: r, busy } = await busyDuring(pid, () => driverSetOps(port, o)).catch((e: unknown) => fail((e as Error).message));
      ours.get(w)!.ops.push(r.ops);
      ours.get(w)!.busy.push(busy);
      if (r.p99 !== null) ours.get(w)!.p99.push(r.p99);
    };
    // redis-benchmark gets about as many requests as ours sent in SECONDS (at least 100k)
    const runTheirs = async (): Promise<void> => {
      const seen = [...ours.values()].flatMap((x) => x.ops);
      const estimate = seen.length ? median(seen) : 100_000 * pipeline;
      const o = { n: Math.max(100_000, Math.round(estimate * SECONDS)), clients: CLIENTS, pipeline, size: VALUE, keys: KEYS };
      const { value, busy } = await busyDuring(pid, () => redisBenchmark(port, 'set', o));
      theirs.ops.push(value);
      theirs.busy.push(busy);
    };
    const order = [runTheirs, ...threads.map(runOurs)];
    for (let k = 0; k < round % order.length; k++) order.push(order.shift()!);
    for (const run of order) await run();
    process.stdout.write(
      `  pipeline ${pipeline} round ${round + 1}: redis-benchmark ${fmt(theirs.ops.at(-1)!)} · ` +
        threads.map((w) => `durabench ${w} thread${w === 1 ? '' : 's'} ${fmt(ours.get(w)!.ops.at(-1)!)}`).join(' · ') +
        ' ops/s\n',
    );
  }
  const goal = GOAL[pipeline] ?? 1.0;
  const rb = median(theirs.ops);
  let best = 0;
  for (const w of threads) {
    const r = ours.get(w)!;
    const ratio = median(r.ops) / rb;
    best = Math.max(best, ratio);
    table.push([pipeline, w, fmt(median(r.ops)), fmt(rb), ratio.toFixed(2), `${pct(r.busy)} / ${pct(theirs.busy)}`, r.p99.length ? `${median(r.p99).toFixed(2)} ms` : '—', `≥ ${goal}`, ratio >= goal ? 'ok' : 'MISSED']);
  }
  return best >= goal;
}

async function openLoop(port: number, workers: number, table: Table.Table): Promise<boolean> {
  const admin = await RespConnection.connect(port);
  try {
    const workload = createWorkload('overwrite', { seed: 9, keys: KEYS, valueSize: VALUE, preload: 0 });
    // discarded windows first: a thread's first open-loop window runs its code cold, and V8
    // optimizing it (--no-opt halves the stalls) holds sends for up to ~30 ms. Load threads are
    // kept between windows (load-worker-pool.ts), so the warm-up reaches them too.
    await warmUpWindows({ port, admin, workload, rate: RATE, clients: CLIENTS, ms: WARMUP_MS, workers });
    const w = await openLoopWindow({ port, admin, workload, rate: RATE, clients: CLIENTS, ms: OPEN_SECONDS * 1000, workers });
    const secs = (w.end - w.t0) / 1000;
    const lag = summarizeLatency(mergeHistograms(w.driver.lagHistograms()));
    const lat = summarizeLatency(mergeHistograms(w.driver.histograms()));
    const ok = lag.p99Ms !== null && lag.p99Ms < LAG_GOAL_MS;
    const ms = (x: number | null): string => (x === null ? '—' : `${x.toFixed(3)} ms`);
    table.push([workers, fmt(RATE), fmt(w.driver.writesAtHalt / secs), w.driver.unsentDue ?? 0, ms(lag.p99Ms), ms(lag.maxMs), ms(lat.p99Ms), `< ${LAG_GOAL_MS} ms`, ok ? 'ok' : 'MISSED']);
    return ok;
  } finally {
    admin.close();
  }
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-bench-load-'));
  const server = await targets.redis.start({ port: await freePort(), dir: root, mode: 'none', savePoints: '', logFile: path.join(root, 'server.log') });
  process.stdout.write(
    `bench:load — ${server.version}, mode none, SET on ${KEYS} random keys, ${VALUE} B values, ${CLIENTS} clients, ` +
      `${ROUNDS} rounds × ${SECONDS} s, durabench on 1 and ${N} load threads, ${CORES} cores, load average ${os.loadavg()[0]!.toFixed(1)}\n`,
  );
  const closed = new Table({ style: { head: [], border: [] }, head: ['pipeline', 'threads', 'durabench ops/s', 'redis-benchmark ops/s', 'ratio', 'server busy d / rb', 'durabench p99', 'goal', 'verdict'] });
  const open = new Table({ style: { head: [], border: [] }, head: ['threads', 'rate asked', 'acked ops/s', 'unsent', 'send lag p99', 'send lag max', 'latency p99', 'goal', 'verdict'] });
  let missed = false;
  try {
    for (const pipeline of PIPELINES) missed = !(await closedLoop(server.port, server.pid, pipeline, closed)) || missed;
    for (const w of [1, N]) missed = !(await openLoop(server.port, w, open)) || missed;
  } finally {
    server.kill('SIGKILL');
    await server.exited;
    fs.rmSync(root, { recursive: true, force: true });
  }
  process.stdout.write(`${closed.toString()}\n`);
  process.stdout.write(
    'ops/s are medians over the rounds; ratio = durabench / redis-benchmark (same server, same settings); a pipeline meets its goal on its better row.\n' +
      "server busy = redis-server's CPU time ÷ wall time during durabench's runs / redis-benchmark's: near 100% for both, the server is the limit and the ratio is within its run-to-run spread.\n",
  );
  process.stdout.write(
    `Open loop, ${CLIENTS} clients, ${OPEN_SECONDS} s each, after warm-up windows of ${warmUpRoundsMs(WARMUP_MS).join(' + ')} ms (send lag = actual send − due time: the generator's own lateness):\n${open.toString()}\n`,
  );
  if (missed) process.exitCode = 1;
}

main().catch((err) => fail((err as Error).message));
