/**
 * The parent-death reaper. Signal handlers and the exit hook (children.ts) cover every way out
 * that runs JavaScript; `kill -9` of the harness, an OOM kill or a crash of Node itself run
 * none, and the servers (detached, in their own process groups, so a terminal's signals do
 * not reach them either) would live on with their temp dirs.
 *
 * So the first tracked server or dir starts one small detached process per harness process,
 * whose stdin is a pipe from the harness. The harness writes a line per change:
 *   +g <pgid>  a server's process group      -g <pgid>  it exited: forget it
 *   +d <dir>   a temp dir to remove          -d <dir>   removed (or kept): forget it
 *   +m <dir>   a mount point to unmount      -m <dir>   unmounted: forget it
 *   +c <json>  a shell command that kills     -c <json>  it ran (or its server exited): forget it
 *              an external target's server (a JSON string: one line whatever it holds)
 * A kill command is counted: registered twice (a restart given the same port, a kill command
 * without {port}), it stays until both forget it.
 *
 * When the reaper's stdin ends (the kernel closes the pipe when the harness dies, however it
 * dies, and at a normal exit after the harness cleaned up itself), it runs every kill command
 * still recorded (a container or remote server no process group reaches), SIGKILLs every group
 * still recorded, runs again every kill command that failed until it succeeds or RETRY_FOR_MS
 * have passed, unmounts every mount point still recorded (lazily: `umount -l`, so a process
 * still dying in it cannot keep it), removes every dir still recorded, and exits. The retries
 * are for a daemon-style start (`docker run -d`, a `setsid ... &`) that was still underway
 * when the harness died: its server comes up after the first kill found nothing to kill, and
 * killing the start command's group does not reach it. Forgetting what was cleaned up
 * normally keeps it from signalling a process group id that the system has reused since.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * how long, and how often, the reaper runs again a kill command that failed. 30 s: with 10 s, a
 * test's late server (started 1 s after the harness died) was once left running in a full CI
 * run on 2 cores, likeliest by coming up after the window closed; and `docker run -d` may pull
 * an image first. Each retry is one `sh -c`.
 */
export const RETRY_FOR_MS = 30_000;
const RETRY_EVERY_MS = 200;

/** CommonJS for `node -e`; no dependencies, so it starts in ~40 ms and cannot fail to load. */
const REAPER_SOURCE = `
const fs = require('fs');
const { execFile, execFileSync } = require('child_process');
const groups = new Set();
const dirs = new Set();
const mounts = new Set();
const commands = new Map();
let pending = '';
let reaping = false;
const count = (c, by) => {
  const n = (commands.get(c) || 0) + by;
  if (n > 0) commands.set(c, n);
  else commands.delete(c);
};
const apply = (line) => {
  const arg = line.slice(3);
  if (line.startsWith('+g ')) groups.add(Number(arg));
  else if (line.startsWith('-g ')) groups.delete(Number(arg));
  else if (line.startsWith('+d ')) dirs.add(arg);
  else if (line.startsWith('-d ')) dirs.delete(arg);
  else if (line.startsWith('+m ')) mounts.add(arg);
  else if (line.startsWith('-m ')) mounts.delete(arg);
  else if (line.startsWith('+c ')) count(JSON.parse(arg), 1);
  else if (line.startsWith('-c ')) count(JSON.parse(arg), -1);
};
/** resolves true when the command exited 0 */
const run = (c) =>
  new Promise((resolve) => execFile('/bin/sh', ['-c', c], { stdio: 'ignore', timeout: 15000 }, (err) => resolve(!err)));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const reap = async () => {
  if (reaping) return;
  reaping = true;
  const deadline = Date.now() + ${RETRY_FOR_MS};
  let failed = [];
  for (const c of commands.keys()) if (!(await run(c))) failed.push(c);
  for (const g of groups) {
    if (!(g > 1)) continue;
    try { process.kill(-g, 'SIGKILL'); } catch {}
  }
  while (failed.length > 0 && Date.now() < deadline) {
    await sleep(${RETRY_EVERY_MS});
    const again = [];
    for (const c of failed) if (!(await run(c))) again.push(c);
    failed = again;
  }
  for (const m of mounts) {
    try { execFileSync('umount', ['-l', m], { stdio: 'ignore' }); } catch {}
  }
  for (const d of dirs) {
    try { fs.rmSync(d, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }); } catch {}
  }
  process.exit(0);
};
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let eol;
  while ((eol = pending.indexOf('\\n')) >= 0) {
    apply(pending.slice(0, eol));
    pending = pending.slice(eol + 1);
  }
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);
`;

let reaper: ChildProcess | null = null;
let broken = false;

function send(line: string): void {
  if (broken) return;
  if (reaper === null) {
    try {
      reaper = spawn(process.execPath, ['-e', REAPER_SOURCE], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    } catch {
      broken = true; // no reaper: the in-process cleanups still run on every ordinary way out
      return;
    }
    reaper.on('error', () => {
      broken = true;
    });
    reaper.stdin!.on('error', () => {
      broken = true; // the reaper is gone (EPIPE); nothing more to tell it
    });
    // neither the process nor its pipe may keep the harness alive
    reaper.unref();
    (reaper.stdin as unknown as { unref?: () => void }).unref?.();
  }
  // Small writes to a pipe complete at once (libuv tries a synchronous write first), so a
  // line written just before a SIGKILL of the harness is already in the kernel's buffer.
  reaper.stdin!.write(`${line}\n`);
}

export function reapGroupIfOrphaned(pgid: number): void {
  send(`+g ${pgid}`);
}

export function forgetGroup(pgid: number): void {
  send(`-g ${pgid}`);
}

export function reapDirIfOrphaned(dir: string): void {
  if (!dir.includes('\n')) send(`+d ${dir}`);
}

export function forgetDir(dir: string): void {
  if (!dir.includes('\n')) send(`-d ${dir}`);
}

export function unmountIfOrphaned(dir: string): void {
  if (!dir.includes('\n')) send(`+m ${dir}`);
}

export function forgetMount(dir: string): void {
  if (!dir.includes('\n')) send(`-m ${dir}`);
}

export function runCommandIfOrphaned(command: string): void {
  send(`+c ${JSON.stringify(command)}`);
}

export function forgetCommand(command: string): void {
  send(`-c ${JSON.stringify(command)}`);
}

/** The reaper's pid (tests), or null before anything was tracked. */
export function reaperPid(): number | null {
  return reaper?.pid ?? null;
}
