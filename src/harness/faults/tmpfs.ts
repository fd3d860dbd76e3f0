/**
 * A small tmpfs on a trial's data dir, for the disk-full fault: mount, unmount (lazily when
 * busy) and whether this machine lets us mount at all. Linux and root only; elsewhere
 * tmpfsUnavailable() says why in one line, and the fault is skipped with that reason.
 *
 * A mount must not outlive the harness: the mount point is registered with children.ts
 * (unmounted before the temp dirs are removed on Ctrl-C and at exit) and with the reaper
 * (unmounted after kill -9 of the harness).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registerMount, registerTempDir } from '../targets/children.js';

let cached: string | null | undefined;

function firstLine(err: unknown): string {
  const e = err as { stderr?: Buffer | string; message?: string };
  const text = (e.stderr ? String(e.stderr) : '') || e.message || String(err);
  return text.trim().split('\n')[0]!.slice(0, 200);
}

/** Why a tmpfs cannot be mounted here (not Linux, not root, mount refused), or null. Cached. */
export function tmpfsUnavailable(): string | null {
  if (cached !== undefined) return cached;
  cached = probe();
  return cached;
}

function probe(): string | null {
  if (process.platform !== 'linux') return `needs Linux to mount a tmpfs (this is ${process.platform})`;
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) return `needs root to mount a tmpfs (running as uid ${uid})`;
  let dir: string;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-tmpfs-probe-'));
  } catch (err) {
    return `cannot create a mount point: ${firstLine(err)}`;
  }
  // kill -9 of the harness during the probe must not leave the mount or the dir either
  const forgetDir = registerTempDir(dir);
  try {
    mountTmpfs(dir, 1 << 20).unmount();
    return null;
  } catch (err) {
    return `mount -t tmpfs failed: ${firstLine(err).replace(/^mount -t tmpfs on \S+ failed: /, '')}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    forgetDir();
  }
}

/** Is `dir` a mount point right now (per /proc/self/mounts)? */
export function isMounted(dir: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return false;
  }
  const want = path.resolve(dir);
  // mount points in /proc/mounts escape spaces and the like as octal (\040)
  return text.split('\n').some((l) => l.split(' ')[1]?.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))) === want);
}

/** Unmounts dir; a lazy unmount (umount -l) when it is busy. Never throws. */
export function unmountSync(dir: string): void {
  if (!isMounted(dir)) return;
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    } catch {
      /* nothing more to do */
    }
  }
}

export interface Tmpfs {
  dir: string;
  /** the file system's size, bytes */
  bytes: number;
  /** unmounts (lazily if busy); safe to call twice, never throws */
  unmount(): void;
}

/** Mounts a tmpfs of `bytes` (rounded up to whole pages by the kernel) on an existing, empty dir. */
export function mountTmpfs(dir: string, bytes: number): Tmpfs {
  const size = Math.max(4096, Math.ceil(bytes / 4096) * 4096);
  // registered before the mount, so no way out can miss it
  const forget = registerMount(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    forget();
    throw new Error(`mount -t tmpfs on ${dir} failed: ${firstLine(err)}`);
  }
  let done = false;
  const st = fs.statfsSync(dir);
  return {
    dir,
    bytes: st.blocks * st.bsize,
    unmount() {
      if (done) return;
      done = true;
      unmountSync(dir);
      forget();
    },
  };
}

/**
 * Writes `file` until the file system says ENOSPC (or EDQUOT/EFBIG); returns the bytes
 * written. Other errors are thrown.
 */
export function fillUntilFull(file: string, chunk = 1 << 20): number {
  const buf = Buffer.alloc(chunk, 0x5a);
  const fd = fs.openSync(file, 'w');
  let total = 0;
  try {
    for (;;) {
      let n: number;
      try {
        n = fs.writeSync(fd, buf);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') return total;
        throw err;
      }
      total += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}
