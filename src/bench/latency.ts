import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Table from 'cli-table3';
import { type Histogram, maxLatencyDuring, mergeHistograms } from '../harness/measure/latency.js';
import { parseInfo } from '../harness/measure/info.js';
import { openLoopWindow, warmUpWindows } from '../harness/measure/open-loop-window.js';
import { WARM_UP_MS } from '../harness/workload/load-driver.js';
import { replyText, RespConnection } from '../harness/workload/resp-connection.js';
import type { ValueKind } from '../harness/workload/preload.js';
import { MODES, type Mode, type LocalTargetKind } from '../shared/types.js';
import { fail, fmt, median, requireBinaries, rssBaseline, type Running, start } from './lib.js';
import { overwrite, preloadKeys, VALUE_SIZE, valuePool } from './overwrite-load.js';
import { longestGcPauses } from './trace-gc.js';

/**
 * npm run bench:latency — tail latency in open loop, the built-in server and redis-server
 * side by side in one run (issue #10). For each size × value kind × mode, both servers are
 * started and preloaded with keys p:0..N-1 (100-byte values: random, incompressible, or one
 * repeated byte), then measured windows alternate between them, TRIALS times: a plain window
 * and one with a BGSAVE (none, rdb) or BGREWRITEAOF (aof modes) started 1 s in; the window
 * lasts SECONDS or until the snapshot is done + 1 s. Each server first takes 1.2 s of the
 * load, discarded (warm-up: two windows, warmUpWindows), and before the snapshot trials each
 * server's first snapshot since its start is measured on its own, in a table of its own. The
 * load is the harness's open-loop driver (latency from the intended send time: no coordinated
 * omission) overwriting random preloaded keys at RATE SET/s, well under both servers' capacity.
 *
 * Prints p99, p99.9, max per server (median and range over trials), built-in ÷ redis, the
 * worst latency of a write that overlapped the snapshot, the built-in server's GC pauses
 * (two ways: its `--trace-gc` log and INFO gc_max_pause_usec when it has it), and RSS per key.
 *
 * Env: SIZES (100000,1000000,4000000), MODES (all), VALUES (random,repetitive), RATE (20000),
 *      SECONDS (5), TRIALS (3), CLIENTS (16), SNAPSHOT (both | with | without),
 *      ENCODER (the built-in server's --snapshot-encoder: auto | thread | main; default auto),
 *      WARM_UP (its --snapshot-warm-up: yes | no; default yes: it runs in the idle 1.5 s after
 *      the preload, so `no` shows a first snapshot that runs the code cold),
 *      FIRSTS (1: each first-snapshot row is measured on this many fresh pairs of servers,
 *      the mode's own pair and FIRSTS-1 more, started, preloaded and stopped for it).
 */
requireBinaries('bench:latency');
const SIZES = (process.env.SIZES ?? '100000,1000000,4000000').split(',').map(Number);
const modes = process.env.MODES ? (process.env.MODES.split(',') as Mode[]) : [...MODES];
const bad = modes.filter((m) => !MODES.includes(m));
if (bad.length > 0) fail('bench:latency', `MODES: unknown mode ${bad.join(', ')} (known: ${MODES.join(', ')})`);
const VALUES = (process.env.VALUES ?? 'random,repetitive').split(',') as ValueKind[];
const RATE = Number(process.env.RATE ?? 20_000);
const SECONDS = Number(process.env.SECONDS ?? 5);
const TRIALS = Number(process.env.TRIALS ?? 3);
const CLIENTS = Number(process.env.CLIENTS ?? 16);
const SNAPSHOT = process.env.SNAPSHOT ?? 'both';
const ENCODER = process.env.ENCODER ?? 'auto';
if (!['auto', 'thread', 'main'].includes(ENCODER)) fail('bench:latency', `ENCODER: auto, thread or main, not ${ENCODER}`);
const FIRSTS = Number(process.env.FIRSTS ?? 1);
if (!(Number.isInteger(FIRSTS) && FIRSTS >= 1)) fail('bench:latency', `FIRSTS: a whole number of server pairs ≥ 1, not ${process.env.FIRSTS}`);
const WARM_UP = process.env.WARM_UP ?? 'yes';
if (!['yes', 'no'].includes(WARM_UP)) fail('bench:latency', `WARM_UP: yes or no, not ${WARM_UP}`);
/** Generous bytes per key for both servers at once, to skip sizes that do not fit. */
const BYTES_PER_KEY_BOTH = 900;
const kinds: LocalTargetKind[] = ['builtin', 'redis'];

async function infoOf(conn: RespConnection, section = 'everything'): Promise<Record<string, string>> {
  return parseInfo(replyText(await conn.call('INFO', section)));
}

interface Server {
  kind: LocalTargetKind;
  run: Running;
  admin: RespConnection;
  rssPerKey: number;
}

interface Window {
  p99: number;
  p999: number;
  max: number;
  /** worst latency of a write overlapping the snapshot (ms), null without one */
  duringSnap: number | null;
  snapMs: number | null;
  /** built-in: longest GC pauses in the window from --trace-gc (ms) */
  gcMajor: number | null;
  gcMinor: number | null;
  /** INFO fields after the window, when the server has them */
  info: Record<string, string>;
}

async function window(s: Server, keys: number, pool: Buffer, snapshot: Mode | null, seed: number): Promise<Window> {
  await s.admin.call('CONFIG', 'RESETSTAT');
  const logFile = path.join(s.run.dir, 'server.log');
  const logFrom = s.kind === 'builtin' ? fs.statSync(logFile).size : 0;
  const aof = snapshot !== null && (snapshot.startsWith('aof') || snapshot === 'rdb+aof');
  // the window (load, BGSAVE/BGREWRITEAOF, INFO polls) is the harness's, shared with `durabench sweep`
  const w = await openLoopWindow({
    port: s.run.port,
    admin: s.admin,
    workload: overwrite(keys, pool, seed),
    rate: RATE,
    clients: CLIENTS,
    ms: SECONDS * 1000,
    pollMs: 20,
    ...(snapshot !== null ? { snapshot: { command: aof ? ('BGREWRITEAOF' as const) : ('BGSAVE' as const), atMs: 1000, afterMs: 1000, timeoutMs: 600_000 } } : {}),
  });
  const d = w.driver;
  const ledger = w.ledger;
  const snapFrom = w.snapshot?.sentAt ?? 0;
  const snapTo = w.snapshot?.doneAt ?? 0;
  const h: Histogram = mergeHistograms(d.histograms());
  const gc = s.kind === 'builtin' ? longestGcPauses(logFile, logFrom) : null;
  return {
    p99: h.getValueAtPercentile(99) / 1000,
    p999: h.getValueAtPercentile(99.9) / 1000,
    max: h.maxValue / 1000,
    duringSnap: snapshot === null ? null : maxLatencyDuring(ledger, [[snapFrom, snapTo]]),
    snapMs: snapshot === null ? null : snapTo - snapFrom,
    gcMajor: gc?.major ?? null,
    gcMinor: gc?.minor ?? null,
    info: await infoOf(s.admin),
  };
}

async function startServer(kind: LocalTargetKind, mode: Mode, keys: number, pool: Buffer): Promise<Server> {
  const extra = ['--auto-aof-rewrite-percentage', '0', ...(kind === 'builtin' ? ['--snapshot-encoder', ENCODER, '--snapshot-warm-up', WARM_UP] : [])];
  // --trace-gc goes to the built-in server's stdout, i.e. its log file: its GC pauses,
  // measured independently of the server's own INFO figure.
  const run = await start(kind, mode, { extra, savePoints: '86400 1000000000', ...(kind === 'builtin' ? { nodeFlags: ['--trace-gc'] } : {}) });
  const admin = await RespConnection.connect(run.port);
  const before = await rssBaseline(run.port);
  const conn = await RespConnection.connect(run.port);
  await preloadKeys(conn, keys, pool);
  conn.close();
  await new Promise((r) => setTimeout(r, 1500));
  const after = Number((await infoOf(admin, 'memory')).used_memory_rss);
  const s: Server = { kind, run, admin, rssPerKey: (after - before) / keys };
  // Discarded windows of the same load first (0.2 s + 1 s): the first window of a run measured
  // the JIT warming up (the server's write path, the driver's), not the steady state.
  await warmUpWindows({ port: run.port, admin, workload: overwrite(keys, pool, 7), rate: RATE, clients: CLIENTS, ms: WARM_UP_MS, pollMs: 100 });
  return s;
}

const fmtMs = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
/** median (min–max) */
function spread(xs: number[]): string {
  if (xs.length === 1) return fmtMs(xs[0]!);
  return `${fmtMs(median(xs))} (${fmtMs(Math.min(...xs))}–${fmtMs(Math.max(...xs))})`;
}

async function stopAll(servers: Server[]): Promise<void> {
  for (const s of servers) {
    s.admin.close();
    await s.run.stop();
  }
}

/** Built-in's and redis-server's spread of one figure, and the ratio of their medians. */
function side(b: Window[], r: Window[], f: (w: Window) => number): string[] {
  return [spread(b.map(f)), spread(r.map(f)), (median(b.map(f)) / median(r.map(f))).toFixed(2)];
}

const lat = new Table({
  style: { head: [], border: [] },
  head: ['keys', 'values', 'mode', 'snapshot', 'p99 ms built-in', 'p99 redis', '÷', 'p99.9 built-in', 'p99.9 redis', '÷', 'max built-in', 'max redis', 'max in snapshot b / r', 'snapshot s b / r'],
});
const cold = new Table({
  style: { head: [], border: [] },
  head: ['keys', 'values', 'mode', 'first snapshot', 'p99 ms built-in', 'p99 redis', '÷', 'p99.9 built-in', 'p99.9 redis', '÷', 'max in snapshot b / r', 'max stall (INFO)'],
});
const snapLabel = (m: Mode): string => (m.startsWith('aof') || m === 'rdb+aof' ? 'BGREWRITEAOF' : 'BGSAVE');
const mem = new Table({
  style: { head: [], border: [] },
  head: ['keys', 'values', 'mode', 'RSS/key built-in', 'RSS/key redis', '÷', 'GC major max ms (trace)', 'GC minor max ms (trace)', 'gc_max_pause_usec', 'max stall usec (INFO)'],
});
process.stdout.write(`bench:latency — open loop ${RATE} SET/s, ${CLIENTS} clients, ${VALUE_SIZE} B values, ${SECONDS} s windows, ${TRIALS} interleaved trials; median (min–max); built-in --snapshot-encoder ${ENCODER} --snapshot-warm-up ${WARM_UP}\n`);

for (const keys of SIZES) {
  const need = keys * BYTES_PER_KEY_BOTH;
  if (need > os.freemem()) {
    process.stdout.write(`skipping ${fmt(keys)} keys: needs ~${(need / 2 ** 30).toFixed(1)} GB, ${(os.freemem() / 2 ** 30).toFixed(1)} GB free\n`);
    continue;
  }
  for (const vk of VALUES) {
    const pool = valuePool(vk, 42);
    for (const mode of modes) {
      const servers: Server[] = [];
      try {
        for (const k of kinds) servers.push(await startServer(k, mode, keys, pool));
        const phases: (Mode | null)[] = SNAPSHOT === 'with' ? [mode] : SNAPSHOT === 'without' ? [null] : [null, mode];
        for (const snap of phases) {
          const res: Record<LocalTargetKind, Window[]> = { builtin: [], redis: [] };
          if (snap !== null) {
            // Each server's first snapshot since its start: the built-in server's JIT has
            // compiled the snapshot path only if it warmed up while idle (WARM_UP; cold, 2-4x
            // its later p99 at 100k keys); a `durabench run` trial restarts its server and,
            // without a preload (whose settling save comes first), meets this one, so it gets a
            // table of its own and the trials below measure the snapshots of a server that has
            // made one.
            const first: Record<LocalTargetKind, Window[]> = { builtin: [], redis: [] };
            for (const s of servers) first[s.kind].push(await window(s, keys, pool, snap, 999));
            for (let i = 1; i < FIRSTS; i++) {
              const fresh: Server[] = [];
              try {
                for (const k of kinds) fresh.push(await startServer(k, mode, keys, pool));
                for (const s of i % 2 ? [...fresh].reverse() : fresh) first[s.kind].push(await window(s, keys, pool, snap, 999));
              } finally {
                await stopAll(fresh);
              }
            }
            const fb = first.builtin;
            const fr = first.redis;
            cold.push([
              fmt(keys), vk, mode, snapLabel(snap),
              ...side(fb, fr, (w) => w.p99),
              ...side(fb, fr, (w) => w.p999),
              `${spread(fb.map((w) => w.duringSnap ?? 0))} / ${spread(fr.map((w) => w.duringSnap ?? 0))}`,
              fb[0]!.info.rdb_last_bgsave_max_stall_usec === undefined ? 'n/a' : spread(fb.map((w) => Math.max(Number(w.info.rdb_last_bgsave_max_stall_usec), Number(w.info.aof_last_rewrite_max_stall_usec ?? 0)) / 1000)) + ' ms',
            ]);
          }
          for (let t = 0; t < TRIALS; t++) {
            for (const s of t % 2 ? [...servers].reverse() : servers) res[s.kind].push(await window(s, keys, pool, snap, 1000 + t));
          }
          const b = res.builtin;
          const r = res.redis;
          const snapCol = (f: (w: Window) => number | null) =>
            snap === null ? '—' : `${spread(b.map((w) => f(w) ?? 0))} / ${spread(r.map((w) => f(w) ?? 0))}`;
          lat.push([
            fmt(keys), vk, mode, snap === null ? 'no' : snapLabel(snap),
            ...side(b, r, (w) => w.p99),
            ...side(b, r, (w) => w.p999),
            spread(b.map((w) => w.max)), spread(r.map((w) => w.max)),
            snapCol((w) => w.duringSnap),
            snapCol((w) => (w.snapMs === null ? null : w.snapMs / 1000)),
          ]);
          const bs = servers.find((s) => s.kind === 'builtin')!;
          const rs = servers.find((s) => s.kind === 'redis')!;
          mem.push([
            fmt(keys), vk, `${mode}${snap === null ? '' : ' +snap'}`,
            `${bs.rssPerKey.toFixed(0)} B`, `${rs.rssPerKey.toFixed(0)} B`, (bs.rssPerKey / rs.rssPerKey).toFixed(2),
            spread(b.map((w) => w.gcMajor ?? 0)), spread(b.map((w) => w.gcMinor ?? 0)),
            b[0]!.info.gc_max_pause_usec === undefined ? 'n/a' : spread(b.map((w) => Number(w.info.gc_max_pause_usec))),
            b[0]!.info.rdb_last_bgsave_max_stall_usec === undefined ? 'n/a' : `rdb ${b.map((w) => w.info.rdb_last_bgsave_max_stall_usec).join(',')} aof ${b.map((w) => w.info.aof_last_rewrite_max_stall_usec).join(',')}`,
          ]);
          process.stderr.write(`  done ${fmt(keys)} ${vk} ${mode} snapshot=${snap ?? 'no'}\n`);
        }
      } finally {
        await stopAll(servers);
      }
    }
  }
}
process.stdout.write(`${lat.toString()}\n${mem.toString()}\n`);
if (cold.length > 0) process.stdout.write(`Each server's first snapshot after its start (${FIRSTS === 1 ? 'one window each' : `${FIRSTS} fresh servers of each kind, median (min–max)`}; the rows above are later ones):\n${cold.toString()}\n`);
