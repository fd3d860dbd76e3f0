import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { faults, type Fault } from '../harness/faults/index.js';
import { pageFaultCheck, pageFaultMicros } from './page-fault-probe.js';

/**
 * `durabench doctor`: what this machine can run. The built-in server needs nothing; the
 * redis target, interop tests and benchmarks need the Debian packages named here.
 * Exit 0 when the default run can work, 1 when it cannot.
 */
interface Check {
  what: string;
  ok: boolean;
  detail: string;
  fix: string;
  required: boolean;
  /** What a failed optional check is called: `absent` for a tool, `slow` for a measurement. */
  miss?: string;
}

function version(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim().split('\n')[0]!;
  } catch {
    return null;
  }
}

function tool(name: string, args: string[], pkg: string, forWhat: string): Check {
  // Some tools (redis-check-aof) have no --version: being on PATH is enough.
  const v = version(name, args) ?? (version('sh', ['-c', `command -v ${name}`]) === null ? null : 'on PATH');
  return { what: name, ok: v !== null, detail: v ?? 'not found', fix: `apt-get install ${pkg} (${forWhat})`, required: false };
}

export function runChecks(): Check[] {
  const major = Number(process.versions.node.split('.')[0]);
  const tmp = os.tmpdir();
  let freeMb = -1;
  try {
    const st = fs.statfsSync(tmp);
    freeMb = Math.round((st.bavail * st.bsize) / 1048576);
  } catch {
    /* statfs unavailable */
  }
  const dist = path.resolve(import.meta.dirname, '..', 'cli', 'index.js');
  return [
    { what: 'node', ok: major >= 20, detail: process.version, fix: 'install Node.js 20 or later', required: true },
    { what: 'built CLI', ok: fs.existsSync(dist), detail: dist, fix: 'npm run build', required: true },
    { what: `free space in ${tmp}`, ok: freeMb < 0 || freeMb > 512, detail: freeMb < 0 ? 'unknown' : `${freeMb} MB`, fix: 'free some disk: every trial writes its data dir there', required: true },
    { what: 'page faults', required: false, ...pageFaultCheck(pageFaultMicros()) },
    tool('redis-server', ['--version'], 'redis-server', 'the redis target, interop tests'),
    tool('redis-benchmark', ['--version'], 'redis-tools', 'npm run bench:*'),
    tool('redis-cli', ['--version'], 'redis-tools', 'interop tests'),
    tool('redis-check-aof', ['--version'], 'redis-tools', 'interop tests'),
    tool('strace', ['-V'], 'strace', 'power-loss faults'),
    ...faultChecks(),
  ];
}

/** Each fault that needs something of the machine (strace, a mountable tmpfs): can it run here? */
function faultChecks(): Check[] {
  const out: Check[] = [];
  for (const [kind, f] of Object.entries(faults) as [string, Fault][]) {
    if (!f.unavailable) continue;
    const why = f.unavailable();
    out.push({ what: `fault ${kind}`, ok: why === null, detail: why === null ? 'can run here' : 'cannot run here', fix: why ?? '', required: false });
  }
  return out;
}

export function renderChecks(checks: Check[]): string {
  const w = Math.max(...checks.map((c) => c.what.length));
  const lines = checks.map((c) => {
    const mark = (c.ok ? 'ok' : c.required ? 'MISSING' : (c.miss ?? 'absent')).padEnd(7);
    return `${mark} ${c.what.padEnd(w)}  ${c.detail}${c.ok ? '' : `  → ${c.fix}`}`;
  });
  const blocking = checks.filter((c) => c.required && !c.ok).length;
  lines.push(blocking === 0 ? 'The default run (built-in server) can run here.' : `${blocking} required check(s) failed: the default run cannot work.`);
  return lines.join('\n') + '\n';
}

export const doctorCommand: CommandModule = {
  command: 'doctor',
  describe: 'Check what this machine can run (node, redis-server, redis-tools, strace, disk)',
  handler: () => {
    const checks = runChecks();
    process.stdout.write(renderChecks(checks));
    if (checks.some((c) => c.required && !c.ok)) process.exitCode = 1;
  },
};
