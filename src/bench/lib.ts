import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the benchmark scripts share: start the built-in server or redis-server with the
 * same flags on a free port, drive redis-benchmark, read INFO. Benchmarks are scripts that
 * print side-by-side ratios, never timed tests.
 */
export type BenchTarget = 'builtin' | 'redis';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/durabench');
const children = new Set<ChildProcess>();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export function requireBinary(name: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
  } catch {
    process.stderr.write(`${name} not found on PATH: install it (apt-get install ${pkg}) to run this benchmark\n`);
    process.exit(1);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Running {
  target: BenchTarget;
  port: number;
  dir: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export async function start(target: BenchTarget, flags: string[], dir?: string): Promise<Running> {
  const port = await freePort();
  const d = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), `durabench-bench-${target}-`));
  const args = ['--port', String(port), '--dir', d, ...flags];
  const proc =
    target === 'redis'
      ? spawn('redis-server', args, { stdio: 'ignore' })
      : spawn(process.execPath, [BIN, 'server', ...args], { stdio: 'ignore' });
  children.add(proc);
  const exited = new Promise<void>((r) => proc.once('exit', () => (children.delete(proc), r())));
  const deadline = Date.now() + 120_000;
  while (!(await answers(port))) {
    if (proc.exitCode !== null) throw new Error(`${target} exited with ${proc.exitCode} (flags: ${flags.join(' ')})`);
    if (Date.now() > deadline) throw new Error(`${target} did not start`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const end = async (sig: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(sig);
    await exited;
  };
  return {
    target,
    port,
    dir: d,
    stop: async () => {
      await end('SIGKILL');
      if (dir === undefined) fs.rmSync(d, { recursive: true, force: true });
    },
    kill: () => end('SIGKILL'),
  };
}

/** True once the server answers PING with anything but -LOADING. */
export function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => (s.destroy(), resolve(!d.toString().startsWith('-LOADING'))));
    s.once('error', () => resolve(false));
  });
}

/** redis-benchmark for one test; returns requests per second. */
export function redisBenchmark(port: number, test: string, opts: { n: number; clients: number; pipeline: number; size: number; keys: number }): number {
  const out = execFileSync(
    'redis-benchmark',
    ['-p', String(port), '-t', test, '-n', String(opts.n), '-c', String(opts.clients), '-P', String(opts.pipeline), '-d', String(opts.size), '-r', String(opts.keys), '--csv'],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const line = out.split('\n').find((l) => l.startsWith(`"${test.toUpperCase()}`));
  if (!line) throw new Error(`unexpected redis-benchmark output: ${out}`);
  return Number(JSON.parse(`[${line}]`)[1]);
}

/** Sends one command on a fresh connection and resolves with its (simple or bulk) reply. */
export async function command(port: number, argv: string[]): Promise<string> {
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
  });
}

export async function info(port: number, section: string): Promise<Record<string, string>> {
  const text = await command(port, ['INFO', section]);
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Writes keys key:0..n-1 with `size`-byte values through pipelined SETs. */
export async function fill(port: number, n: number, size: number, batch = 1000): Promise<void> {
  const value = 'x'.repeat(size);
  await new Promise<void>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let sent = 0;
    let acked = 0;
    const send = () => {
      let chunk = '';
      const upto = Math.min(n, sent + batch);
      for (; sent < upto; sent++) {
        const k = `key:${sent}`;
        chunk += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${size}\r\n${value}\r\n`;
      }
      s.write(chunk);
    };
    s.once('connect', () => {
      send();
      send();
    });
    s.on('data', (d) => {
      for (let i = 0; i < d.length; i++) if (d[i] === 10) acked++;
      if (acked >= n) {
        s.destroy();
        resolve();
      } else if (sent < n && sent - acked < 2 * batch) send();
    });
    s.once('error', reject);
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(n < 10 ? 2 : 0);
}
