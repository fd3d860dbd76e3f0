/**
 * `npm run bench:stream`: streams on the built-in server against redis-server 7, one run,
 * side by side — XADD throughput and memory per entry.
 *
 *   npm run bench:stream [-- --entries 1000000] [--json]
 *
 * Each server (persistence off) takes `entries` XADDs with auto IDs and two fields (a sensor
 * name and a 16-byte random reading), sent by durabench's own pipelined writer; a second,
 * independent writer (redis-benchmark running the XADD command, 50 clients, pipeline 16) is
 * timed on a fresh stream. Memory per entry is the resident-set growth (from /proc, not the
 * server's word) divided by the entries, next to used_memory's growth. XRANGE COUNT 10 reads
 * are timed with redis-benchmark. The machine is shared: read the ratios, not the absolutes.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fail, fmt, info, requireBinaries, start } from './lib.js';
import { runRedisBenchmark } from './redis-benchmark.js';

const SCRIPT = 'bench:stream';
const argv = process.argv.slice(2);
const opt = (name: string, dflt: string): string => (argv.includes(name) ? argv[argv.indexOf(name) + 1] ?? dflt : dflt);
const entries = Number(opt('--entries', '1000000'));
const json = argv.includes('--json');
if (!Number.isInteger(entries) || entries < 1000) fail(SCRIPT, `--entries must be an integer >= 1000, got ${opt('--entries', '')}`);
requireBinaries(SCRIPT);

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** XADD key * sensor <s> reading <16 random chars>, pipelined 1000 deep on one connection; entries/s. */
function xaddPipelined(port: number, key: string, n: number): Promise<number> {
  let seed = 0x5eed;
  const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const reading = (): string => {
    let s = '';
    for (let i = 0; i < 16; i++) s += String.fromCharCode(33 + Math.floor(rnd() * 94));
    return s;
  };
  const batch = 1000;
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let sent = 0;
    let acked = 0;
    let t0 = 0;
    const send = (): void => {
      let chunk = '';
      const upto = Math.min(n, sent + batch);
      for (; sent < upto; sent++) {
        const sensor = 'sensor-' + (sent % 64);
        const r = reading();
        chunk += `*7\r\n$4\r\nXADD\r\n$${key.length}\r\n${key}\r\n$1\r\n*\r\n$6\r\nsensor\r\n$${sensor.length}\r\n${sensor}\r\n$7\r\nreading\r\n$16\r\n${r}\r\n`;
      }
      s.write(chunk, 'latin1');
    };
    s.once('connect', () => {
      t0 = performance.now();
      send();
      send();
    });
    let lines = 0;
    s.on('data', (d: Buffer) => {
      if (d.includes('-ERR') || d.includes('-WRONGTYPE')) return s.destroy(), reject(new Error(d.toString('latin1', 0, 200)));
      // Every reply is a bulk ID: two lines.
      for (let i = 0; i < d.length; i++) if (d[i] === 10) lines++;
      acked = lines >> 1;
      if (acked >= n) {
        s.destroy();
        resolve(n / ((performance.now() - t0) / 1000));
      } else if (sent < n && sent - acked < 2 * batch) send();
    });
    s.once('error', reject);
  });
}

/** redis-benchmark running one custom command; requests/s. */
function benchmarkCommand(port: number, n: number, command: string[]): number {
  const out = runRedisBenchmark(['-p', String(port), '-n', String(n), '-c', '50', '-P', '16', '--csv', ...command]);
  const line = out.split('\n').find((l) => l.startsWith('"') && !l.startsWith('"test"'));
  if (!line) throw new Error(`unexpected redis-benchmark output: ${out.slice(0, 200)}`);
  return Number(JSON.parse(`[${line}]`)[1]);
}

interface Row {
  target: string;
  version: string;
  xaddPerSec: number;
  xaddBenchmarkPerSec: number;
  xrangePerSec: number;
  rssPerEntry: number;
  usedMemoryPerEntry: number;
  length: number;
}

async function measure(kind: 'builtin' | 'redis'): Promise<Row> {
  const srv = await start(kind, 'none');
  try {
    const pid = Number((await info(srv.port, 'server'))['process_id']);
    const used0 = Number((await info(srv.port, 'memory'))['used_memory']);
    const rss0 = rssBytes(pid);
    const xaddPerSec = await xaddPipelined(srv.port, 'bench', entries);
    await new Promise((r) => setTimeout(r, 500)); // let the allocator settle
    const rss1 = rssBytes(pid);
    const used1 = Number((await info(srv.port, 'memory'))['used_memory']);
    const length = Number(execFileSync('redis-cli', ['-p', String(srv.port), 'XLEN', 'bench'], { encoding: 'utf8' }).trim());
    if (length !== entries) throw new Error(`${kind}: XLEN is ${length}, expected ${entries}`);
    const n = Math.min(entries, 300_000);
    const xaddBenchmarkPerSec = benchmarkCommand(srv.port, n, ['XADD', 'bench2', '*', 'sensor', 'kitchen', 'reading', '__rand_int__']);
    const xrangePerSec = benchmarkCommand(srv.port, Math.min(entries, 200_000), ['XRANGE', 'bench', '-', '+', 'COUNT', '10']);
    return {
      target: kind,
      version: srv.version,
      xaddPerSec,
      xaddBenchmarkPerSec,
      xrangePerSec,
      rssPerEntry: (rss1 - rss0) / entries,
      usedMemoryPerEntry: (used1 - used0) / entries,
      length,
    };
  } finally {
    await srv.stop();
  }
}

const rows = [await measure('builtin'), await measure('redis')];
const [ours, theirs] = rows as [Row, Row];
if (json) console.log(JSON.stringify({ entries, rows }, null, 2));
else {
  const line = (what: string, a: number, b: number, unit: string): string =>
    `${what.padEnd(36)} ${(fmt(a) + unit).padStart(12)} ${(fmt(b) + unit).padStart(12)} ${(a / b).toFixed(2).padStart(8)}`;
  console.log(`streams, ${entries} entries (sensor + 16-byte random reading), persistence off`);
  console.log(`${''.padEnd(36)} ${'built-in'.padStart(12)} ${('redis ' + theirs.version).padStart(12)} ${'ratio'.padStart(8)}`);
  console.log(line('XADD entries/s (pipelined, 1 conn)', ours.xaddPerSec, theirs.xaddPerSec, ''));
  console.log(line('XADD req/s (redis-benchmark -c50 -P16)', ours.xaddBenchmarkPerSec, theirs.xaddBenchmarkPerSec, ''));
  console.log(line('XRANGE COUNT 10 req/s (redis-benchmark)', ours.xrangePerSec, theirs.xrangePerSec, ''));
  console.log(line('RSS growth per entry', ours.rssPerEntry, theirs.rssPerEntry, ' B'));
  console.log(line('used_memory growth per entry', ours.usedMemoryPerEntry, theirs.usedMemoryPerEntry, ' B'));
}
