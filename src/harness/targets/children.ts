/**
 * Every server process the harness spawned, so that every way out kills them: normal end,
 * error, timeout, Ctrl-C and the other terminal signals. Servers run in their own process
 * group (detached), so a SIGKILL to the group also takes redis's fork children. Synchronous
 * cleanups (temp dirs) run after. Ways out that run no JavaScript (kill -9 of the harness)
 * are covered by the reaper process (reaper.ts), told of every group and temp dir here.
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { forgetCommand, forgetDir, forgetGroup, forgetMount, reapDirIfOrphaned, reapGroupIfOrphaned, runCommandIfOrphaned, unmountIfOrphaned } from './reaper.js';

const live = new Set<number>();
/**
 * shell commands that kill an external target's server (its `kill` with KILL), while it may
 * run, counted: two servers may share one (a restart given the same port, a kill without {port})
 */
const killCommands = new Map<string, number>();
const cleanups = new Set<() => void>();
/** file systems mounted for trials (disk-full's tmpfs): unmounted before any dir is removed */
const mounts = new Set<string>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    killAllChildren();
    runCleanups();
  });
}

export function trackChild(pid: number): void {
  live.add(pid);
  reapGroupIfOrphaned(pid);
  installExitHook();
}

export function untrackChild(pid: number): void {
  if (live.delete(pid)) forgetGroup(pid);
}

export function liveChildren(): number[] {
  return [...live];
}

/**
 * A shell command that kills a server no process group of ours holds (a container, a remote
 * server), run on every way out while registered: by killAllChildren() (signals, exit) or
 * by the reaper. Register it before the start command runs, so that no moment exists when
 * the server may be up and nothing would kill it. Returns the unregister function, to call
 * once the server is seen gone.
 */
export function registerKillCommand(command: string): () => void {
  killCommands.set(command, (killCommands.get(command) ?? 0) + 1);
  runCommandIfOrphaned(command);
  installExitHook();
  let registered = true;
  return () => {
    if (!registered) return;
    registered = false;
    const n = killCommands.get(command) ?? 0;
    if (n === 0) return; // killAllChildren ran it and forgot it already
    if (n > 1) killCommands.set(command, n - 1);
    else killCommands.delete(command);
    forgetCommand(command);
  };
}

/**
 * SIGKILLs every live server (and its process group). Synchronous: safe in signal/exit handlers.
 * A kill command that fails stays with the reaper, which runs it again after we exit: a
 * daemon-style start still underway may bring its server up after this first try.
 */
export function killAllChildren(): void {
  for (const [command, n] of killCommands) {
    let ok = false;
    try {
      execFileSync('/bin/sh', ['-c', command], { stdio: 'ignore', timeout: 15_000 });
      ok = true;
    } catch {
      /* nothing killed (yet): left to the reaper's retries */
    }
    if (ok) for (let i = 0; i < n; i++) forgetCommand(command);
  }
  killCommands.clear();
  for (const pid of live) {
    killGroup(pid, 'SIGKILL');
    forgetGroup(pid);
  }
  live.clear();
}

export function killProcessGroup(pid: number, signal: NodeJS.Signals): void {
  killGroup(pid, signal);
}

/** Registers a synchronous cleanup (e.g. removing a temp dir); returns its unregister function. */
export function registerCleanup(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

export function runCleanups(): void {
  for (const dir of mounts) {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    } catch {
      /* not mounted any more */
    }
    forgetMount(dir);
  }
  mounts.clear();
  for (const fn of cleanups) {
    try {
      fn();
    } catch {
      /* best effort */
    }
  }
  cleanups.clear();
}

/** Removes a dir tree, synchronously (safe in signal/exit handlers). */
export function removeDirSync(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A temp dir to remove on every way out: by runCleanups() (signals, exit), or by the reaper
 * if the harness dies without running any. Returns the unregister function, to call once the
 * owner removed it itself.
 */
export function registerTempDir(dir: string): () => void {
  reapDirIfOrphaned(dir);
  const unregister = registerCleanup(() => removeDirSync(dir));
  return () => {
    unregister();
    forgetDir(dir);
  };
}

/**
 * A mount point to unmount (lazily) on every way out, before the temp dirs are removed: by
 * runCleanups() (signals, exit) or by the reaper. Returns the unregister function, to call
 * once the owner unmounted it itself.
 */
export function registerMount(dir: string): () => void {
  mounts.add(dir);
  unmountIfOrphaned(dir);
  return () => {
    if (mounts.delete(dir)) forgetMount(dir);
  };
}
