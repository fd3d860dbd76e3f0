import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Table from 'cli-table3';
import { parseInfo } from '../harness/measure/info.js';
import { mergeHistograms, newHistogram, summarizeLatency, type LatencySummary } from '../harness/measure/latency.js';
import { openLoopWindow, warmUpWindows } from '../harness/measure/open-loop-window.js';
import { WARM_UP_MS } from '../harness/workload/load-driver.js';
import { overwritePreloaded } from '../harness/workload/overwrite-preloaded.js';
import { preload } from '../harness/workload/preload.js';
import { replyText, RespConnection } from '../harness/workload/resp-connection.js';
import { MODES, type LocalTargetKind, type Mode } from '../shared/types.js';
import { fail, fmt, requireBinaries, start } from './lib.js';
import { wireLatencies } from './wire-latency.js';

/**
 * npm run bench:wire — client-measured latency next to the wire's (issue #10), both servers
 * in one run: a second, independent measurement of the figure durabench reports. For each
 * mode, each server is preloaded with KEYS keys (100-byte random values), takes 1.2 s of load,
 * discarded, then one open-loop window of SETs over them while tcpdump captures its
 * port on loopback. Client: from each SET's intended send time to its reply being read, as
 * every durabench latency. Wire: from the packet completing the request to the packet
 * completing its reply (wire-latency.ts): what the server and its socket queue took. The gap
 * is the client's share: waiting for a free slot (PIPELINE requests in flight per client;
 * 1 as `durabench run`'s scenarios, where a stall's backlog drains one round trip at a
 * time), its event loop, and the wake-ups loopback costs on the machine.
 *
 * Needs tcpdump and the right to capture (root or CAP_NET_RAW).
 * Env: KEYS (100000), MODES (none,rdb,aof-everysec), RATE (20000), SECONDS (5), CLIENTS (16),
 *      PIPELINE (1), SNAPSHOT (without | with: a BGSAVE / BGREWRITEAOF 1 s into the window),
 *      WIRE_KEEP (set: keep the captures, their paths printed).
 */
requireBinaries('bench:wire');
if (spawnSync('tcpdump', ['--version'], { stdio: 'ignore' }).error) fail('bench:wire', 'tcpdump not found on PATH: install it (apt-get install tcpdump)');
const KEYS = Number(process.env.KEYS ?? 100_000);
const modes = (process.env.MODES ?? 'none,rdb,aof-everysec').split(',') as Mode[];
const bad = modes.filter((m) => !MODES.includes(m));
if (bad.length > 0) fail('bench:wire', `MODES: unknown mode ${bad.join(', ')} (known: ${MODES.join(', ')})`);
const RATE = Number(process.env.RATE ?? 20_000);
const SECONDS = Number(process.env.SECONDS ?? 5);
const CLIENTS = Number(process.env.CLIENTS ?? 16);
const PIPELINE = Number(process.env.PIPELINE ?? 1);
const SNAPSHOT = process.env.SNAPSHOT ?? 'without';
if (!['with', 'without'].includes(SNAPSHOT)) fail('bench:wire', `SNAPSHOT: with or without, not ${SNAPSHOT}`);
for (const [name, v] of [['KEYS', KEYS], ['RATE', RATE], ['SECONDS', SECONDS], ['CLIENTS', CLIENTS], ['PIPELINE', PIPELINE]] as const) {
  if (!(Number.isInteger(v) && v > 0)) fail('bench:wire', `${name}: a whole number above 0, not ${process.env[name]}`);
}

interface Capture {
  /** stops tcpdump (SIGINT: it flushes) and returns the packets it says the kernel dropped */
  stop(): Promise<number>;
}

/** Longer than libpcap's 1 s block timeout, so the last packets have been written (capture). */
const BLOCK_TIMEOUT_MS = 1500;
let capturing: ChildProcess | null = null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-wire-'));
// every way out (lib.ts turns Ctrl-C into an exit): no tcpdump left running, no captures left
process.on('exit', () => {
  capturing?.kill('SIGKILL');
  if (!process.env.WIRE_KEEP) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts tcpdump on loopback for `port`, writing `file`; resolves once it is listening. */
function capture(port: number, file: string): Promise<Capture> {
  return new Promise((resolve, reject) => {
    // -B: a 64 MB kernel buffer, so bursts are not dropped (a drop would misalign the pairing).
    // Packets reach tcpdump in blocks, and the last block's were lost at SIGINT: stop() waits
    // past the 1 s block timeout first (--immediate-mode instead woke tcpdump for every packet,
    // CPU a 2-core machine measuring a snapshot does not have: it dropped packets)
    const p = spawn('tcpdump', ['-i', 'lo', '-s', '0', '-B', '65536', '-n', '-w', file, `tcp port ${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    capturing = p;
    let err = '';
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.once('error', (e) => reject(new Error(`tcpdump: ${e.message}`)));
    p.once('exit', (code) => reject(new Error(`tcpdump exited (${code}) before it listened: ${err.trim().split('\n').pop()} (capturing needs root or CAP_NET_RAW)`)));
    p.stderr!.setEncoding('utf8');
    p.stderr!.on('data', (d: string) => {
      err += d;
      if (!/listening on/.test(err)) return;
      resolve({
        stop: async () => {
          await new Promise((r) => setTimeout(r, BLOCK_TIMEOUT_MS));
          p.kill('SIGINT');
          await exited;
          capturing = null;
          return Number(/(\d+) packets? dropped by kernel/.exec(err)?.[1] ?? 0);
        },
      });
    });
  });
}

/** CPU seconds the server has used (INFO: all its threads), user + system. */
async function cpuSeconds(admin: RespConnection): Promise<number> {
  const i = parseInfo(replyText(await admin.call('INFO', 'cpu')));
  return Number(i.used_cpu_user) + Number(i.used_cpu_sys);
}

const ms = (x: number | null): string => (x === null ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** The wire's times as the client's are kept (an HDR histogram, µs), so both have the same percentiles. */
function wireSummary(times: number[]): LatencySummary {
  const h = newHistogram();
  for (const t of times) h.recordValue(Math.max(1, Math.round(t * 1000)));
  return summarizeLatency(h);
}

async function measure(kind: LocalTargetKind, mode: Mode): Promise<string[]> {
  const run = await start(kind, mode, { extra: ['--auto-aof-rewrite-percentage', '0'], savePoints: '86400 1000000000' });
  const admin = await RespConnection.connect(run.port);
  try {
    const conn = await RespConnection.connect(run.port);
    await preload(conn, KEYS, 100, 7, 'random');
    conn.close();
    const workload = (seed: number) => overwritePreloaded(KEYS, 100, 'random', seed);
    // discarded windows (0.2 s + 1 s): the first moments of a run measure the JIT warming up
    await warmUpWindows({ port: run.port, admin, workload: workload(1), rate: RATE, clients: CLIENTS, pipeline: PIPELINE, ms: WARM_UP_MS, pollMs: 100 });
    const file = path.join(dir, `${kind}-${mode}.pcap`);
    const cap = await capture(run.port, file);
    const serverCpu = await cpuSeconds(admin);
    const clientCpu = process.cpuUsage();
    const aof = mode.startsWith('aof') || mode === 'rdb+aof';
    const w = await openLoopWindow({
      port: run.port,
      admin,
      workload: workload(2),
      rate: RATE,
      clients: CLIENTS,
      pipeline: PIPELINE,
      ms: SECONDS * 1000,
      pollMs: 20,
      ...(SNAPSHOT === 'with' ? { snapshot: { command: aof ? ('BGREWRITEAOF' as const) : ('BGSAVE' as const), atMs: 1000, afterMs: 1000, timeoutMs: 600_000 } } : {}),
    });
    const serverSeconds = (await cpuSeconds(admin)) - serverCpu;
    const client = process.cpuUsage(clientCpu);
    const seconds = (w.end - w.t0) / 1000;
    const dropped = await cap.stop();
    const c = summarizeLatency(mergeHistograms(w.driver.histograms()));
    const wire = wireLatencies(fs.readFileSync(file), run.port);
    if (process.env.WIRE_KEEP) process.stderr.write(`kept ${file}: port ${run.port}, ${wire.connections} connections, ${wire.skipped} skipped\n`);
    else fs.rmSync(file); // 5 s at 20k/s is ~40 MB
    const v = wireSummary(wire.ms);
    return [
      mode,
      kind === 'builtin' ? 'built-in' : 'redis',
      ms(c.p50Ms),
      ms(v.p50Ms),
      ms(c.p99Ms),
      ms(v.p99Ms),
      ms(c.p999Ms),
      ms(v.p999Ms),
      ms(c.maxMs),
      ms(v.maxMs),
      `${((100 * serverSeconds) / seconds).toFixed(0)} / ${((100 * (client.user + client.system)) / 1e6 / seconds).toFixed(0)}`,
      `${v.count} / ${w.driver.acked}${w.driver.unsentDue ? ` (+${w.driver.unsentDue} due, unsent)` : ''}${dropped > 0 ? ` (${dropped} packets dropped: pairing unreliable)` : ''}`,
    ];
  } finally {
    admin.close();
    await run.stop();
  }
}

const table = new Table({
  style: { head: [], border: [] },
  head: ['mode', 'server', 'p50 client', 'p50 wire', 'p99 client', 'p99 wire', 'p99.9 client', 'p99.9 wire', 'max client', 'max wire', 'CPU % server / client', 'replies on the wire / acked'],
});
process.stdout.write(
  `bench:wire — open loop ${RATE} SET/s over ${fmt(KEYS)} keys, ${CLIENTS} clients × ${PIPELINE} in flight, ${SECONDS} s window${SNAPSHOT === 'with' ? ' with a BGSAVE / BGREWRITEAOF' : ''}; ms\n`,
);
try {
  for (const mode of modes) {
    for (const kind of ['builtin', 'redis'] as const) {
      table.push(await measure(kind, mode));
      process.stdout.write(`  done ${mode} ${kind}\n`);
    }
  }
} catch (e) {
  fail('bench:wire', (e as Error).message);
}
process.stdout.write(`${table.toString()}\n`);
process.stdout.write(
  'client: intended send → reply read (what durabench reports); wire: request packet → reply packet (tcpdump);\n' +
    `CPU: % of one core over the window, the server's (INFO used_cpu_*, all threads) and this process's (the load generator); ${os.availableParallelism()} cores\n`,
);
