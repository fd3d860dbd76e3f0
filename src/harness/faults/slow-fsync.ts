/**
 * slow-fsync: a disk that takes half a second to make anything durable (a busy or networked
 * volume), then a SIGKILL while the server waits on it. The server runs under strace, which
 * holds every fsync and fdatasync of the server's threads and children SLOW_FSYNC_MS at entry
 * (`-e inject=…:delay_enter`, with seccomp-bpf so no other call stops). From the seeded time
 * the fault watches the server's threads in /proc/<pid>/task/<tid>/syscall for a sync to begin
 * (in a mode with an AOF, a sync of an AOF file), lets half the hold pass and kills the process
 * group; at the kill it looks again (`in_sync_at_kill`).
 *
 * A sync "begins" when a poll sees one after QUIET_MS of polls that saw none, or when the
 * thread in it has called write() since it was last seen in one (`always`: group commits come
 * back to back, each after its AOF write). A single quiet poll is not enough: a thread shows
 * `running` for a moment when strace lets a held call go on (before the real fdatasync), and
 * that was taken for the end of one sync and the start of the next. Neither strace's output
 * nor its clock is used: under load it printed a held call's entry only when the hold ended.
 *
 * Why it exists: a plain SIGKILL cannot tell `appendfsync everysec` from `always`, and neither
 * can it show what a server does with writes that arrive while its background fsync runs.
 * redis-server 7.0 postpones the AOF write() for up to 2 s while an everysec fsync is in
 * progress (flushAppendOnlyFile) and replies anyway, so a process kill then loses acknowledged
 * writes that were only in its buffer; the built-in server writes before every reply.
 * When no sync begins within WAIT_MS (modes without an AOF), the kill lands at the deadline:
 * a SIGKILL under a slow disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { descendants } from '../targets/spawn.js';
import { straceUnavailable } from './strace-available.js';
import { planKillTime, sleepUntil, type Fault } from './fault.js';

/** how long each fsync / fdatasync is held */
export const SLOW_FSYNC_MS = 500;
/** how long past the planned time the fault waits for a sync to begin */
const WAIT_MS = 3000;
/** how often it looks at the threads */
const POLL_MS = 2;
/** how long the polls must see no sync before one they see counts as begun */
const QUIET_MS = 50;

/** fsync and fdatasync's numbers in /proc/<pid>/task/<tid>/syscall, by architecture */
const SYNC_CALLS: Readonly<Record<string, readonly string[]>> = { x64: ['74', '75'], arm64: ['82', '83'] };

export function straceDelayArgs(delayMs: number): string[] {
  return ['-f', '-qq', '-o', '/dev/null', '--seccomp-bpf', '-e', 'trace=fsync,fdatasync', '-e', `inject=fsync,fdatasync:delay_enter=${delayMs * 1000}`, '--'];
}

/** A thread inside fsync or fdatasync: the file (its path, or `fd <n>`) and where its /proc entry is. */
export interface SyncInFlight {
  file: string;
  task: string;
}

/** A thread of `pid` or of a descendant inside fsync or fdatasync now, or null. */
export function syncInFlight(pid: number, calls: readonly string[] = SYNC_CALLS[process.arch] ?? []): SyncInFlight | null {
  for (const p of [pid, ...descendants(pid)]) {
    let tasks: string[];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      const task = `/proc/${p}/task/${t}`;
      try {
        // "<nr> <arg1> ...": the first argument of both calls is the fd
        const [nr, arg] = fs.readFileSync(`${task}/syscall`, 'latin1').split(' ', 2);
        if (!calls.includes(nr!)) continue;
        const fd = Number.parseInt(arg ?? '', 16);
        try {
          return { file: fs.readlinkSync(`/proc/${p}/fd/${fd}`), task };
        } catch {
          return { file: `fd ${fd}`, task };
        }
      } catch {
        /* the thread ended */
      }
    }
  }
  return null;
}

/** The write() calls a thread has made (its /proc io `syscw`), or -1 where the kernel does not count them. */
function writeCalls(task: string): number {
  try {
    const m = /^syscw: (\d+)$/m.exec(fs.readFileSync(`${task}/io`, 'latin1'));
    return m ? Number(m[1]) : -1;
  } catch {
    return -1;
  }
}

/**
 * Waits until `until` (performance.now()) for a sync of a file `wanted` takes to begin in `pid`
 * or a descendant, polling /proc: one seen after QUIET_MS with none, or after the thread in it
 * called write() since it was last seen in one (`always`: back-to-back group commits, each
 * after its AOF write). Returns when it saw it begin and the file, or null.
 */
async function syncBegun(pid: number, wanted: (file: string) => boolean, until: number): Promise<{ at: number; file: string } | null> {
  let quietSince: number | null = null;
  // the thread last seen in a sync, and its write() count then
  let last: { task: string; writes: number } | null = null;
  while (performance.now() < until) {
    const s = syncInFlight(pid);
    const now = performance.now();
    if (s === null || !wanted(s.file)) quietSince ??= now;
    else {
      const writes = writeCalls(s.task);
      const wrote = last !== null && last.task === s.task && last.writes >= 0 && writes > last.writes;
      if ((quietSince !== null && now - quietSince >= QUIET_MS) || wrote) return { at: now, file: s.file };
      quietSince = null;
      last = { task: s.task, writes };
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return null;
}

export const slowFsync = {
  kind: 'slow-fsync',
  style: 'crash',
  describe: (plan) => `every fsync held ${plan.params?.delayMs ?? SLOW_FSYNC_MS} ms; SIGKILL half-way into the first one begun after ${plan.atMs} ms`,
  plan: (rng, scenario) => ({ kind: 'slow-fsync', atMs: planKillTime(rng, scenario), params: { delayMs: SLOW_FSYNC_MS } }),
  unavailable: () => straceUnavailable() ?? (SYNC_CALLS[process.arch] ? null : `slow-fsync reads system call numbers from /proc, known here for x64 and arm64 only, not ${process.arch}`),
  // the first launch only: the restart's syncs run at the disk's own speed
  wrapLaunch: (spec, plan) => ({ ...spec, command: 'strace', args: [...straceDelayArgs(plan.params?.delayMs ?? SLOW_FSYNC_MS), spec.command, ...spec.args], tracer: true }),
  async inject(ctx) {
    const delayMs = ctx.plan.params?.delayMs ?? SLOW_FSYNC_MS;
    const pid = ctx.handle.pid;
    // with an AOF the question is its fsync (not a snapshot's, which rdb+aof also makes)
    const aof = ctx.mode.startsWith('aof') || ctx.mode === 'rdb+aof';
    const wanted = (f: string): boolean => !aof || f.endsWith('.aof');
    const inWanted = (): boolean => {
      const s = syncInFlight(pid);
      return s !== null && wanted(s.file);
    };
    await sleepUntil(ctx.t0 + ctx.plan.atMs);
    const sync = await syncBegun(pid, wanted, performance.now() + WAIT_MS);
    await ctx.finalInfo();
    if (sync !== null) await sleepUntil(sync.at + delayMs / 2);
    else {
      // none seen to begin (or no sync at all): land inside one if any comes
      const until = performance.now() + delayMs * 2;
      while (performance.now() < until && !inWanted()) await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const inSync = inWanted();
    const killedAt = ctx.signal('SIGKILL');
    const into = sync === null ? null : Math.round(killedAt - sync.at);
    const file = sync === null ? null : path.basename(sync.file);
    return {
      signal: 'SIGKILL',
      killedAt,
      note:
        into === null
          ? `no ${aof ? 'AOF ' : ''}fsync began within ${WAIT_MS} ms: SIGKILL under a slow disk${inSync ? ' (a sync was in flight)' : ''}`
          : `SIGKILL ${into} ms into an fsync of ${file} held ${delayMs} ms${inSync ? '' : ' (/proc saw no thread in it at the kill)'}`,
      detail: { fsync_delay_ms: delayMs, killed_into_fsync_ms: into, fsync_file: file, in_sync_at_kill: inSync ? 'yes' : 'no' },
    };
  },
} satisfies Fault;
