import fs from 'node:fs';
import path from 'node:path';
import { mergeHistograms, type Histogram } from '../harness/measure/latency.js';
import { parseInfo } from '../harness/measure/info.js';
import { openLoopWindow, warmUpWindows } from '../harness/measure/open-loop-window.js';
import { WARM_UP_MS } from '../harness/workload/load-driver.js';
import { replyText, RespConnection } from '../harness/workload/resp-connection.js';
import type { ValueKind } from '../harness/workload/preload.js';
import { MODES, type Mode } from '../shared/types.js';
import { setAutogroupNice } from './autogroup.js';
import { fail, fmt, start } from './lib.js';
import { overwrite, preloadKeys, valuePool } from './overwrite-load.js';
import { threadSchedMs } from './proc-stat.js';
import { type GcPause, gcPauses } from './trace-gc.js';

/**
 * npm run bench:gc — the built-in server's garbage-collection pauses where they come most
 * often and run longest (issue #10: the longest major GC under 5 ms at every size): KEYS keys
 * of 100-byte values, back-to-back BGSAVEs (BGREWRITEAOF in aof modes) under bench:latency's
 * load (open loop, RATE SET/s overwriting random keys) for SECONDS. Prints every Mark-Compact
 * of the main thread from the server's --trace-gc, its scavenges, the same pauses as the
 * server's own PerformanceObserver saw them (INFO gc_major_max_pause_usec), and what clients
 * saw. A goal on the server alone: redis-server has no garbage collector (its fork's stall is
 * bench:latency's). A Mark-Compact comes about once a minute of this load at 1M keys; V8's
 * `--heap-growing-percent=3` in DURABENCH_SERVER_NODE_FLAGS makes them come twice as often
 * for a larger sample of the same pause.
 *
 * Also how much of the time the server's main thread waited for a CPU (/proc schedstat, read
 * before and after: it costs the server nothing): a pause's wall time includes such waits.
 *
 * SERVER_NICE (e.g. -20; root) gives the server's session (its scheduler autogroup) that nice
 * value, so the kernel runs the server's threads before the load generator's, as a client on
 * another machine would leave them: the server's pauses without the generator's share of the
 * cores in them. Clients' latency then includes the generator's own waits.
 *
 * Env: KEYS (1000000), SECONDS (120), MODE (rdb), VALUES (random | repetitive), RATE (20000),
 *      CLIENTS (16), SERVER_NICE (unset: the server and the generator share the CPUs equally).
 */
const KEYS = Number(process.env.KEYS ?? 1_000_000);
const SECONDS = Number(process.env.SECONDS ?? 120);
const MODE = (process.env.MODE ?? 'rdb') as Mode;
const VALUES = (process.env.VALUES ?? 'random') as ValueKind;
const RATE = Number(process.env.RATE ?? 20_000);
const CLIENTS = Number(process.env.CLIENTS ?? 16);
const SERVER_NICE = process.env.SERVER_NICE === undefined || process.env.SERVER_NICE === '' ? null : Number(process.env.SERVER_NICE);
if (!(Number.isInteger(KEYS) && KEYS > 0)) fail('bench:gc', `KEYS: a whole number of keys > 0, not ${process.env.KEYS}`);
if (!(SECONDS > 0)) fail('bench:gc', `SECONDS: a number of seconds > 0, not ${process.env.SECONDS}`);
if (!MODES.includes(MODE) || MODE === 'none') fail('bench:gc', `MODE: one that snapshots (${MODES.filter((m) => m !== 'none').join(', ')}), not ${MODE}`);
if (!['random', 'repetitive'].includes(VALUES)) fail('bench:gc', `VALUES: random or repetitive, not ${VALUES}`);
if (!(RATE > 0 && Number.isInteger(CLIENTS) && CLIENTS > 0)) fail('bench:gc', 'RATE and CLIENTS: numbers > 0');

const GOAL_MS = 5;
const aof = MODE.startsWith('aof') || MODE === 'rdb+aof';
const ms = (x: number): string => x.toFixed(2);
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
/** A Mark-Compact's pause; over the goal, also what V8 said started it and whether all its marking was in the pause. */
const label = (p: GcPause): string =>
  `${ms(p.ms)} ms${p.reduce ? ' (reduce)' : ''}${p.ms >= GOAL_MS ? ` [${p.incremental ? '' : 'atomic: '}${p.reason}]` : ''}`;

const run = await start('builtin', MODE, { extra: ['--auto-aof-rewrite-percentage', '0'], savePoints: '86400 1000000000', nodeFlags: ['--trace-gc'] });
try {
  const pool = valuePool(VALUES, 42);
  const admin = await RespConnection.connect(run.port);
  const pid = Number(parseInfo(replyText(await admin.call('INFO', 'server'))).process_id);
  // before the fill: a SERVER_NICE the kernel refuses fails in a second, not after KEYS keys
  let priority = 'the server and the load generator share the CPUs equally';
  if (SERVER_NICE !== null) {
    try {
      priority = `the server's session at nice ${SERVER_NICE} (${setAutogroupNice(pid, SERVER_NICE)}): its threads run before the load generator's, whose waits are in the clients' figures`;
    } catch (e) {
      fail('bench:gc', `SERVER_NICE=${process.env.SERVER_NICE}: ${(e as Error).message}`);
    }
  }
  const conn = await RespConnection.connect(run.port);
  await preloadKeys(conn, KEYS, pool);
  conn.close();
  // idle after the preload as bench:latency is: the server collects what a fill let go at an idle moment (idle-gc.ts)
  await new Promise((r) => setTimeout(r, 1500));
  // discarded windows of the load first (0.2 s + 1 s), as bench:latency does: the JIT's warm-up is not the steady state
  await warmUpWindows({ port: run.port, admin, workload: overwrite(KEYS, pool, 7), rate: RATE, clients: CLIENTS, ms: WARM_UP_MS, pollMs: 100 });
  await admin.call('CONFIG', 'RESETSTAT');
  // a second view of a long pause: did the server's main thread wait for a CPU meanwhile
  const sched0 = threadSchedMs(pid);
  const t0 = performance.now();
  const logFile = path.join(run.dir, 'server.log');
  const from = fs.statSync(logFile).size;
  const hists: Histogram[] = [];
  let snapshots = 0;
  // the server's own longest event-loop stall in any snapshot (INFO, after each): tells a client's worst wait the server caused from one the generator did
  let stallUsec = 0;
  const stallField = aof ? 'aof_last_rewrite_max_stall_usec' : 'rdb_last_bgsave_max_stall_usec';
  const until = Date.now() + SECONDS * 1000;
  for (let seed = 1000; Date.now() < until; seed++) {
    const w = await openLoopWindow({
      port: run.port,
      admin,
      workload: overwrite(KEYS, pool, seed),
      rate: RATE,
      clients: CLIENTS,
      ms: 3000,
      pollMs: 20,
      snapshot: { command: aof ? 'BGREWRITEAOF' : 'BGSAVE', atMs: 500, afterMs: 300, timeoutMs: 600_000 },
    });
    hists.push(...w.driver.histograms());
    if (w.snapshot !== null) {
      snapshots++;
      stallUsec = Math.max(stallUsec, Number(w.snapshot.info[stallField] ?? 0));
    }
  }
  const sched1 = threadSchedMs(pid);
  const wallMs = performance.now() - t0;
  const info = parseInfo(replyText(await admin.call('INFO', 'stats')));
  admin.close();
  const pauses = gcPauses(logFile, from);
  const majors = pauses.filter((p) => p.major);
  const minors = pauses.filter((p) => !p.major).map((p) => p.ms).sort((a, b) => a - b);
  // other GC trace flags (--trace-gc-nvp) replace --trace-gc's lines: no pause is not "no pause over the goal"
  if (pauses.length === 0) {
    process.stderr.write(`bench:gc: no --trace-gc lines in the server's log (another GC trace flag in DURABENCH_SERVER_NODE_FLAGS replaces them?); INFO: ${info.gc_major_pauses ?? '?'} Mark-Compacts, longest ${info.gc_major_max_pause_usec ?? '?'} µs\n`);
    process.exitCode = 1;
  }
  const longest = Math.max(0, ...majors.map((p) => p.ms));
  const h = mergeHistograms(hists);
  const out = [
    `bench:gc — built-in server, ${fmt(KEYS)} keys, ${VALUES} values, ${MODE}: back-to-back ${aof ? 'BGREWRITEAOF' : 'BGSAVE'}s under ${RATE} SET/s open loop, ${CLIENTS} clients, ${SECONDS} s (${snapshots} snapshots); ${priority}`,
    `Mark-Compacts (main thread, --trace-gc): ${majors.length}${majors.length > 0 ? `: ${majors.map(label).join(', ')}` : ''}`,
    `  longest ${ms(longest)} ms: ${longest < GOAL_MS ? 'under' : 'over'} the ${GOAL_MS} ms goal; INFO gc_major_max_pause_usec ${info.gc_major_max_pause_usec ?? '?'} over ${info.gc_major_pauses ?? '?'} (PerformanceObserver, a second view of the same pauses)`,
    `Scavenges: ${minors.length}, p99 ${ms(minors[Math.floor(0.99 * (minors.length - 1))] ?? 0)} ms, longest ${ms(minors.at(-1) ?? 0)} ms`,
    `Clients: p99 ${ms(h.getValueAtPercentile(99) / 1000)} ms, p99.9 ${ms(h.getValueAtPercentile(99.9) / 1000)} ms, max ${ms(h.maxValue / 1000)} ms (${fmt(h.totalCount)} SETs); the server's longest event-loop stall in a snapshot ${ms(stallUsec / 1000)} ms (INFO ${stallField})`,
    sched0 && sched1
      ? `The server's main thread ran ${pct((sched1.runMs - sched0.runMs) / wallMs)} of the time and waited for a CPU ${pct((sched1.waitMs - sched0.waitMs) / wallMs)} (/proc schedstat: ready to run, every CPU held by another thread; a pause's wall time includes such waits)`
      : `The server's main thread: no /proc schedstat here (not Linux)`,
  ];
  if (pauses.length > 0) process.stdout.write(out.join('\n') + '\n');
} finally {
  await run.stop();
}
