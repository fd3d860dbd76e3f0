/**
 * Running one of an external target's shell commands: /bin/sh -c, in a process group of its
 * own (tracked, so a hung `kubectl wait` dies with the harness too), output appended to the
 * server log after a `$ <command>` line, so a log shows what ran and what it said.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { killProcessGroup, trackChild, untrackChild } from './children.js';

export interface ShellExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** the command did not finish within its time limit (its group was SIGKILLed) */
  timedOut: boolean;
}

/** Spawns `sh -c command` with output to logFile; the caller owns the process. */
export function spawnShell(command: string, logFile: string): ChildProcess {
  fs.appendFileSync(logFile, `$ ${command}\n`);
  const fd = fs.openSync(logFile, 'a');
  try {
    return spawn('/bin/sh', ['-c', command], { detached: true, stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs a command to its end (or SIGKILLs its group after timeoutMs). */
export function runShell(command: string, logFile: string, timeoutMs: number): Promise<ShellExit> {
  const child = spawnShell(command, logFile);
  const pid = child.pid ?? -1;
  if (pid > 0) trackChild(pid);
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid > 0) killProcessGroup(pid, 'SIGKILL');
    }, timeoutMs);
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      if (pid > 0) untrackChild(pid);
      resolve({ code, signal, timedOut });
    };
    child.once('error', () => done(127, null));
    child.once('exit', done);
  });
}

/** "exit 3", "killed after 30000 ms", for error lines. */
export function describeExit(e: ShellExit, timeoutMs: number): string {
  if (e.timedOut) return `did not finish within ${timeoutMs} ms`;
  return e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
}
