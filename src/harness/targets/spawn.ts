/**
 * Spawning a server process and waiting until it answers. Shared by both targets: the
 * process gets its own group, its output goes to a log file, it is tracked for cleanup, and
 * readiness is the recovery probe's clock (raw socket, first non-LOADING reply).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { RunError } from '../../shared/errors.js';
import type { TargetKind } from '../../shared/types.js';
import { probeReady } from '../measure/recovery-probe.js';
import { killProcessGroup, trackChild, untrackChild } from './children.js';
import type { ExitInfo, LaunchSpec, StartOptions, TargetHandle } from './target.js';
import { settledWithin } from '../with-timeout.js';

export const DEFAULT_START_TIMEOUT_MS = 30_000;

/** The last few lines of a server log, on one line, for error messages. */
export function logTail(file: string, lines = 3): string {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    if (!text) return '';
    return text
      .split('\n')
      .slice(-lines)
      .map((l) => l.trim())
      .join(' | ')
      .slice(0, 400);
  } catch {
    return '';
  }
}

export async function spawnServer(
  kind: TargetKind,
  version: string,
  spec: LaunchSpec,
  opts: StartOptions,
  modeFlags: string[],
): Promise<TargetHandle> {
  const fd = fs.openSync(opts.logFile, 'a');
  const spawnedAt = performance.now();
  let child;
  try {
    child = spawn(spec.command, spec.args, { detached: true, stdio: ['ignore', fd, fd], env: spec.env ?? process.env });
  } finally {
    fs.closeSync(fd);
  }
  let spawnError: Error | null = null;
  let isAlive = true;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', (err) => {
      spawnError = err;
      isAlive = false;
      resolve({ code: null, signal: null, at: performance.now() });
    });
    child.once('exit', (code, signal) => {
      isAlive = false;
      if (child.pid) untrackChild(child.pid);
      resolve({ code, signal, at: performance.now() });
    });
  });
  const pid = child.pid ?? -1;
  if (pid > 0) trackChild(pid);
  const traced = Boolean(spec.tracer);

  const kill = (signal: NodeJS.Signals): void => {
    if (pid <= 0) return;
    if (traced) {
      // the tracee and its children (redis's fork child): the tracer sees them die, writes out
      // its trace and exits by itself; if none is left, the tracer's group goes
      const pids = descendants(pid);
      if (pids.length === 0 && signal === 'SIGKILL') killProcessGroup(pid, 'SIGKILL');
      for (const p of signal === 'SIGKILL' ? pids : pids.slice(0, 1)) signalPid(p, signal);
    } else if (signal === 'SIGKILL') killProcessGroup(pid, 'SIGKILL');
    else signalPid(pid, signal);
  };

  const timeoutMs = opts.timeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  try {
    const ready =
      opts.waitFor === 'spawned'
        ? { readyAt: NaN, ms: NaN, listeningAt: NaN }
        : await probeReady({ port: opts.port, since: spawnedAt, timeoutMs, exited });
    return {
      kind,
      host: '127.0.0.1',
      port: opts.port,
      pid: traced ? (descendants(pid)[0] ?? pid) : pid,
      traced,
      dir: opts.dir,
      logFile: opts.logFile,
      version,
      flags: modeFlags,
      spawnedAt,
      readyAt: ready.readyAt,
      readyMs: ready.ms,
      listeningAt: ready.listeningAt,
      exited,
      get alive() {
        return isAlive;
      },
      kill,
    };
  } catch (err) {
    kill('SIGKILL');
    await settledWithin(exited, 2000);
    const why = spawnError ? (spawnError as Error).message : (err as Error).message;
    const tail = logReason(opts.logFile);
    throw new RunError(`${kind} server on port ${opts.port} did not start: ${why}${tail ? ` — log: ${tail}` : ''}`);
  }
}

const ERROR_LINE = /error|wrong|bad file|unexpected|corrupt|truncat|short read|abort|fatal|invalid|unrecoverable/i;

/**
 * Why a server would not start, from its log: the first line that reads like an error (the
 * server's own words come before redis-check-rdb's report that redis-server appends), then
 * the tail, on one line.
 */
export function logReason(file: string): string {
  const tail = logTail(file);
  let first = '';
  try {
    const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => ERROR_LINE.test(l)) ?? '';
    // without redis-server's "<pid>:<role> <date> <time> <level>" prefix
    first = line.replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ [#*.-] /, '').trim();
  } catch {
    /* no log */
  }
  if (!first) return tail;
  return tail.includes(first) ? first.slice(0, 400) : `${first.slice(0, 300)} … ${tail}`;
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* gone */
  }
}

/** Every descendant of pid, parents before children (Linux /proc; empty elsewhere). */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift()!;
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      let text = '';
      try {
        text = fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const c of text.split(' ')) {
        const n = Number(c);
        if (n > 0 && !out.includes(n)) {
          out.push(n);
          queue.push(n);
        }
      }
    }
  }
  return out;
}

/** Waits for a process to exit; SIGKILLs it (group) after timeoutMs and throws RunError. */
export async function waitExit(h: TargetHandle, timeoutMs: number, what: string): Promise<ExitInfo> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((r) => {
    timer = setTimeout(() => r(null), timeoutMs);
  });
  const info = await Promise.race([h.exited, timeout]);
  clearTimeout(timer);
  if (info) return info;
  h.kill('SIGKILL');
  await settledWithin(h.exited, 2000);
  const tail = logReason(h.logFile);
  throw new RunError(`${h.kind} server (${h.pid > 0 ? `pid ${h.pid}` : `${h.host}:${h.port}`}) did not exit within ${timeoutMs} ms after ${what}; killed it${tail ? ` — log: ${tail}` : ''}`);
}
