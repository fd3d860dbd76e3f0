import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mergeHistograms, summarizeLatency } from '../harness/measure/latency.js';
import { parseInfo } from '../harness/measure/info.js';
import { killAllChildren } from '../harness/targets/children.js';
import { targets } from '../harness/targets/index.js';
import { freePort } from '../harness/targets/ports.js';
import { shutDown } from '../harness/targets/shut-down.js';
import { connectLoad } from '../harness/workload/load-driver.js';
import { createWorkload } from '../harness/workload/generators.js';
import { Ledger } from '../harness/workload/ledger.js';
import { VALUE_KINDS, type ValueKind } from '../harness/workload/preload.js';
import { ValueCodec } from '../harness/workload/values.js';
import type { Mode, LocalTargetKind } from '../shared/types.js';
import { runRedisBenchmark } from './redis-benchmark.js';

/** How the built-in target's launch names its executable (start's `bin` replaces it). */
const BIN_TAIL = path.join('bin', 'durabench');

/**
 * What the benchmark scripts share. Servers start through the harness's own targets (same
 * flags, same readiness probe as every trial); redis-benchmark is driven with --csv; INFO is
 * read on a raw socket. Benchmarks are scripts that print side-by-side ratios, never timed tests.
 */
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    killAllChildren();
    process.exit(130);
  });
}
/** Data dirs start() made and stop() has not removed yet: a Ctrl-C leaves none behind. */
const ownDirs = new Set<string>();
process.on('exit', () => {
  killAllChildren();
  for (const d of ownDirs) fs.rmSync(d, { recursive: true, force: true });
});

export function fail(script: string, msg: string): never {
  process.stderr.write(`${script}: ${msg}\n`);
  process.exit(1);
}

export function requireBinaries(script: string): void {
  for (const [bin, pkg] of [['redis-server', 'redis-server'], ['redis-benchmark', 'redis-tools']] as const) {
    if (spawnSync(bin, ['--version'], { stdio: 'ignore' }).error) fail(script, `${bin} not found on PATH: install it (apt-get install ${pkg})`);
  }
}

export interface Running {
  port: number;
  dir: string;
  /** spawn → first reply that is not -LOADING, ms */
  readyMs: number;
  version: string;
  /** SIGKILL, wait for exit; the data dir stays */
  kill(): Promise<void>;
  /** kill (SHUTDOWN NOSAVE first when CPU-profiled) and remove the data dir (unless it was given) */
  stop(): Promise<void>;
}

/** Starts a target in a mode (plus extra flags) on a free port, in `dir` or a fresh temp dir. */
export async function start(
  kind: LocalTargetKind,
  mode: Mode,
  opts: { extra?: string[]; dir?: string; savePoints?: string; nodeFlags?: string[]; /** another checkout's bin/durabench (built-in only) */ bin?: string } = {},
): Promise<Running> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), `durabench-bench-${kind}-`));
  if (opts.dir === undefined) ownDirs.add(dir);
  const removeOwnDir = (): void => {
    if (opts.dir !== undefined) return;
    fs.rmSync(dir, { recursive: true, force: true });
    ownDirs.delete(dir);
  };
  const extra = opts.extra ?? [];
  const h = await targets[kind]
    .start({
      port: await freePort(),
      dir,
      mode,
      savePoints: opts.savePoints ?? '',
      logFile: path.join(dir, 'server.log'),
      timeoutMs: 300_000,
      wrapLaunch: (spec) => ({ ...spec, args: [...(opts.nodeFlags ?? []), ...spec.args.map((x) => (opts.bin && x.endsWith(BIN_TAIL) ? opts.bin : x)), ...extra] }),
    })
    .catch((e: unknown) => {
      removeOwnDir();
      throw e;
    });
  const kill = async () => {
    if (h.alive) h.kill('SIGKILL');
    await h.exited;
  };
  // a profiled server writes its --cpu-prof file only on a clean exit
  const profiled = kind === 'builtin' && /--cpu-prof\b/.test(`${process.env.DURABENCH_SERVER_NODE_FLAGS ?? ''} ${(opts.nodeFlags ?? []).join(' ')}`);
  return {
    port: h.port,
    dir,
    readyMs: h.readyMs,
    version: h.version,
    kill,
    stop: async () => {
      await (profiled ? shutDown(h) : kill());
      removeOwnDir();
    },
  };
}

/** redis-benchmark for one test; returns requests per second. */
export function redisBenchmark(port: number, test: string, o: { n: number; clients: number; pipeline: number; size: number; keys: number }): number {
  const out = runRedisBenchmark(['-p', String(port), '-t', test, '-n', String(o.n), '-c', String(o.clients), '-P', String(o.pipeline), '-d', String(o.size), '-r', String(o.keys), '--csv']);
  const line = out.split('\n').find((l) => l.startsWith(`"${test.toUpperCase()}`));
  if (!line) throw new Error(`unexpected redis-benchmark output: ${out.slice(0, 200)}`);
  return Number(JSON.parse(`[${line}]`)[1]);
}

/** Sends one command on a fresh connection and resolves with its (simple or bulk) reply. */
export function command(port: number, argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let buf = '';
    s.once('connect', () => s.write(`*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    s.on('data', (d) => {
      buf += d.toString('latin1');
      const m = /^\$(\d+)\r\n/.exec(buf);
      if (buf[0] !== '$' && buf.endsWith('\r\n')) return s.destroy(), resolve(buf.trimEnd());
      if (m && buf.length >= m[0].length + Number(m[1]) + 2) return s.destroy(), resolve(buf.slice(m[0].length, m[0].length + Number(m[1])));
    });
    s.once('error', reject);
    // a server that closes without a reply (SHUTDOWN) must not leave the caller waiting forever
    s.once('close', () => reject(new Error(`connection closed before a reply to ${argv[0]}`)));
  });
}

export async function info(port: number, section: string): Promise<Record<string, string>> {
  return parseInfo(await command(port, ['INFO', section]));
}

/**
 * used_memory_rss of a server before it is filled, for RSS per key. The built-in server first
 * runs its snapshot warm-up while idle (INFO rdb_snapshot_warm_up), which keeps ~8 MB it would
 * otherwise have taken at the first save: read before it, that counted as dataset (at 10k keys
 * 1.5 KB per key instead of ~0.2). Waits for it (at most 5 s), then reads.
 */
export async function rssBaseline(port: number): Promise<number> {
  // polled slowly: INFO is a command, and the warm-up runs only after a cron tick (100 ms) without one
  for (let i = 0; i < 20; i++) {
    const p = await info(port, 'persistence');
    if (p.rdb_snapshot_warm_up !== 'pending') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return Number((await info(port, 'memory')).used_memory_rss);
}

/** Polls INFO until `field` reads "0" (a background save or rewrite finished). */
export async function waitZero(port: number, section: string, field: string): Promise<Record<string, string>> {
  for (;;) {
    const p = await info(port, section);
    if (p[field] === '0') return p;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The VALUES env knob (comma list, default both), checked. */
export function valueKinds(script: string): ValueKind[] {
  const v = (process.env.VALUES ?? VALUE_KINDS.join(',')).split(',') as ValueKind[];
  const bad = v.filter((k) => !VALUE_KINDS.includes(k));
  if (bad.length > 0 || v.length === 0) fail(script, `VALUES: unknown kind ${bad.join(', ')} (known: ${VALUE_KINDS.join(', ')})`);
  return v;
}

/** redis-benchmark's key for `-r`: `key:` and the number on 12 digits (key:__rand_int__). */
export function benchKey(i: number): string {
  return `key:${String(i).padStart(12, '0')}`;
}

/**
 * Writes keys benchKey(0..n-1) (the keys redis-benchmark -r n reads) with `size`-byte values
 * through pipelined SETs: one repeated byte, or the harness's random incompressible values.
 */
export async function fill(port: number, n: number, size: number, values: ValueKind = 'repetitive', batch = 1000): Promise<void> {
  const same = 'x'.repeat(size);
  const codec = values === 'random' ? new ValueCodec(0x5eed, size) : null;
  const value = codec === null ? () => same : (i: number) => codec.encode(i).toString('latin1');
  await new Promise<void>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let sent = 0;
    let acked = 0;
    const send = () => {
      let chunk = '';
      const upto = Math.min(n, sent + batch);
      for (; sent < upto; sent++) {
        const k = benchKey(sent);
        const v = value(sent);
        chunk += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`;
      }
      s.write(chunk, 'latin1');
    };
    s.once('connect', () => {
      send();
      send();
    });
    s.on('data', (d) => {
      if (d[0] === 45) return s.destroy(), reject(new Error(`fill refused: ${d.toString('latin1', 0, 200).split('\r\n')[0]}`));
      for (let i = 0; i < d.length; i++) if (d[i] === 10) acked++;
      if (acked >= n) {
        s.destroy();
        resolve();
      } else if (sent < n && sent - acked < 2 * batch) send();
    });
    s.once('error', reject);
  });
}

/**
 * SETs with the harness's random values over `keys` random keys, from durabench's own load
 * generator (redis-benchmark can only send one repeated byte): closed loop, `clients`
 * connections at `pipeline` depth for `seconds`; ops/s and p99. Throws if the server refused writes.
 */
export async function driverSetOps(
  port: number,
  o: { clients: number; pipeline: number; seconds: number; keys: number; size: number; seed: number; workers?: number },
): Promise<{ ops: number; p99: number | null }> {
  const workload = createWorkload('overwrite', { seed: o.seed, keys: o.keys, valueSize: o.size, preload: 0 });
  const ledger = new Ledger({ ...workload.ledgerOptions, initialCapacity: 1 << 22 });
  const d = await connectLoad({ port, clients: o.clients, pipeline: o.pipeline, rate: 0, workload, ledger, workers: o.workers ?? 1 });
  const t0 = performance.now();
  d.start(t0);
  await new Promise((r) => setTimeout(r, o.seconds * 1000));
  d.halt();
  const t1 = performance.now();
  const completed = d.completed; // replies after the halt are not counted
  await d.settled();
  await d.finish();
  if (d.errors > 0) throw new Error(`the server refused ${d.errors} writes: ${d.firstError}`);
  return { ops: completed / ((t1 - t0) / 1000), p99: summarizeLatency(mergeHistograms(d.histograms())).p99Ms };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(n < 10 ? 2 : 0);
}

export function verdict(ok: boolean): string {
  return ok ? 'ok' : 'MISSED';
}
