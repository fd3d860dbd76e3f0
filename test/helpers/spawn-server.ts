import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { freePort } from '../../src/harness/targets/ports.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin/durabench');

export function hasBinary(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export { freePort };

/** A temp dir removed when the test process exits. */
export function tempDir(prefix = 'durabench-test-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.add(d);
  return d;
}

export interface Spawned {
  port: number;
  dir: string;
  proc: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
function cleanup(): void {
  for (const p of live) p.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs.clear();
}
// Vitest imports this module once per test file: clean up after each file, and on exit.
afterAll(async () => {
  for (const p of live) p.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 50));
  cleanup();
});
process.on('exit', cleanup);

/** Starts `durabench server` (or redis-server) and waits until it answers PING. */
export async function startServer(
  args: string[] = [],
  opts: { dir?: string; binary?: 'builtin' | 'redis'; port?: number; expectExit?: boolean } = {},
): Promise<Spawned> {
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? tempDir();
  const full = ['--port', String(port), '--dir', dir, ...args];
  const proc =
    opts.binary === 'redis'
      ? spawn('redis-server', full, { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, [BIN, 'server', ...full], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => (live.delete(proc), r(code))));
  const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    return exited;
  };
  if (opts.expectExit) return { port, dir, proc, output: () => out, stop };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}): ${out}`);
    if (await pingOnce(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server did not answer on port ${port}: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { port, dir, proc, output: () => out, stop };
}

/** True when PING gets a reply that is not -LOADING (a -NOAUTH counts: the server is up). */
export function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.setTimeout(2000);
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => {
      s.destroy();
      const r = d.toString();
      resolve(r.startsWith('+PONG') || r.startsWith('-NOAUTH'));
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

/** Sends raw bytes and collects everything the server answers until it closes or goes quiet. */
export function rawExchange(port: number, data: Buffer | string, quietMs = 300): Promise<{ reply: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let reply = '';
    let timer: NodeJS.Timeout;
    const done = (closed: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ reply, closed });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => done(false), quietMs);
    };
    s.once('connect', () => {
      s.write(data);
      arm();
    });
    s.on('data', (d) => {
      reply += d.toString('latin1');
      arm();
    });
    s.once('close', () => done(true));
    s.once('error', () => done(true));
  });
}
