/**
 * Finding, from outside, the processes a run of the harness left: by /proc, the way a user
 * would look for orphans (`ps`), not by asking the harness.
 */
import fs from 'node:fs';

/**
 * pids of live processes whose command line names `dir` or whose working directory is in it
 * (redis-server rewrites its process title to "redis-server host:port", so the command line
 * alone is blind to it; a zombie has neither)
 */
export function processesUnder(dir: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .filter((p) => {
      try {
        if (fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir)) return true;
        return fs.readlinkSync(`/proc/${p}/cwd`).startsWith(dir);
      } catch {
        return false; // gone meanwhile, or a zombie
      }
    })
    .map(Number);
}

/** Polls `cond` every 50 ms until it holds (true) or `ms` have passed (false). */
export async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
