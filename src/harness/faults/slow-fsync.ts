/**
 * slow-fsync: a disk that takes half a second to make anything durable (a busy or networked
 * volume), then a SIGKILL while the server waits on it. The server runs under strace, which
 * holds every fsync and fdatasync of the server's threads and children SLOW_FSYNC_MS at entry
 * (`-e inject=…:delay_enter`, with seccomp-bpf so no other call stops). At the seeded time the
 * fault waits for a thread to be inside one of them (read from /proc/<pid>/task/<tid>/syscall,
 * independent of the tracer; in a mode with an AOF, an fsync of an AOF file) to begin, lets
 * half the delay pass, and kills the process group.
 *
 * Why it exists: a plain SIGKILL cannot tell `appendfsync everysec` from `always`, and neither
 * can it show what a server does with writes that arrive while its background fsync runs.
 * redis-server 7.0 postpones the AOF write() for up to 2 s while an everysec fsync is in
 * progress (flushAppendOnlyFile) and replies anyway, so a process kill then loses acknowledged
 * writes that were only in its buffer; the built-in server writes before every reply.
 * When no fsync starts within WAIT_MS (modes without an AOF), the kill lands at the deadline
 * and the trial says so (killed_into_fsync_ms is null): a SIGKILL under a slow disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { descendants } from '../targets/spawn.js';
import { straceUnavailable } from './power-loss.js';
import { planKillTime, sleepUntil, type Fault } from './fault.js';

/** how long each fsync / fdatasync is held */
export const SLOW_FSYNC_MS = 500;
/** how long past the planned time the fault waits for a sync to be in flight */
const WAIT_MS = 3000;
const POLL_MS = 2;

/** fsync and fdatasync's numbers in /proc/<pid>/task/<tid>/syscall, by architecture */
const SYNC_CALLS: Readonly<Record<string, readonly string[]>> = { x64: ['74', '75'], arm64: ['82', '83'] };

export function straceDelayArgs(delayMs: number): string[] {
  return ['-f', '-qq', '-o', '/dev/null', '--seccomp-bpf', '-e', 'trace=fsync,fdatasync', '-e', `inject=fsync,fdatasync:delay_enter=${delayMs * 1000}`, '--'];
}

/**
 * The file an fsync or fdatasync of `pid` or of a descendant is inside now (its path, or
 * `fd <n>` when the link cannot be read), or null when none is.
 */
export function syncInFlight(pid: number, calls: readonly string[] = SYNC_CALLS[process.arch] ?? []): string | null {
  for (const p of [pid, ...descendants(pid)]) {
    let tasks: string[];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        // "<nr> <arg1> ...": the first argument of both calls is the fd
        const [nr, arg] = fs.readFileSync(`/proc/${p}/task/${t}/syscall`, 'latin1').split(' ', 2);
        if (!calls.includes(nr!)) continue;
        const fd = Number.parseInt(arg ?? '', 16);
        try {
          return fs.readlinkSync(`/proc/${p}/fd/${fd}`);
        } catch {
          return `fd ${fd}`;
        }
      } catch {
        /* the thread ended */
      }
    }
  }
  return null;
}

export const slowFsync = {
  kind: 'slow-fsync',
  style: 'crash',
  describe: (plan) => `every fsync held ${plan.params?.delayMs ?? SLOW_FSYNC_MS} ms; SIGKILL half-way into the first one in flight after ${plan.atMs} ms`,
  plan: (rng, scenario) => ({ kind: 'slow-fsync', atMs: planKillTime(rng, scenario), params: { delayMs: SLOW_FSYNC_MS } }),
  unavailable: () => straceUnavailable() ?? (SYNC_CALLS[process.arch] ? null : `slow-fsync reads system call numbers from /proc, known here for x64 and arm64 only, not ${process.arch}`),
  // the first launch only: the restart's syncs run at the disk's own speed
  wrapLaunch: (spec, plan) => ({ ...spec, command: 'strace', args: [...straceDelayArgs(plan.params?.delayMs ?? SLOW_FSYNC_MS), spec.command, ...spec.args], tracer: true }),
  async inject(ctx) {
    const delayMs = ctx.plan.params?.delayMs ?? SLOW_FSYNC_MS;
    await sleepUntil(ctx.t0 + ctx.plan.atMs);
    const deadline = performance.now() + WAIT_MS;
    // with an AOF the question is its fsync (not a snapshot's, which rdb+aof also makes)
    const aof = ctx.mode.startsWith('aof') || ctx.mode === 'rdb+aof';
    let seenAt: number | null = null;
    let file: string | null = null;
    // a sync counts from a poll that saw none: one already in flight may be near its end
    let armed = false;
    while (performance.now() < deadline) {
      const f = syncInFlight(ctx.handle.pid);
      if (f === null || (aof && !f.endsWith('.aof'))) armed = true;
      else if (armed) {
        seenAt = performance.now();
        file = path.basename(f);
        break;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    if (seenAt !== null) await sleepUntil(seenAt + delayMs / 2);
    await ctx.finalInfo();
    const killedAt = ctx.signal('SIGKILL');
    const into = seenAt === null ? null : Math.round(killedAt - seenAt);
    return {
      signal: 'SIGKILL',
      killedAt,
      note: into === null ? `no ${aof ? 'AOF ' : ''}fsync in flight within ${WAIT_MS} ms: SIGKILL under a slow disk` : `SIGKILL ${into} ms into an fsync of ${file} held ${delayMs} ms`,
      detail: { fsync_delay_ms: delayMs, killed_into_fsync_ms: into, fsync_file: file },
    };
  },
} satisfies Fault;
