/**
 * slow-fsync: a disk that takes half a second to make anything durable (a busy or networked
 * volume), then a SIGKILL while the server waits on it. The server runs under strace, which
 * holds every fsync and fdatasync of the server's threads and children SLOW_FSYNC_MS at entry
 * (`-e inject=…:delay_enter`, with seccomp-bpf so no other call stops). strace writes each
 * call's entry line (time, fd and path) before it holds the call, so the fault tails that
 * trace for the first sync to begin after the seeded time (in a mode with an AOF, a sync of an
 * AOF file), lets half the delay pass, and kills the process group. At the kill it checks, from
 * /proc/<pid>/task/<tid>/syscall and apart from the tracer, that a thread is still inside one
 * (`in_sync_at_kill`). /proc alone cannot date a sync's start: the thread shows `running` for a
 * moment when the tracer releases it, so a poll there takes the held call's end for a new one.
 *
 * Why it exists: a plain SIGKILL cannot tell `appendfsync everysec` from `always`, and neither
 * can it show what a server does with writes that arrive while its background fsync runs.
 * redis-server 7.0 postpones the AOF write() for up to 2 s while an everysec fsync is in
 * progress (flushAppendOnlyFile) and replies anyway, so a process kill then loses acknowledged
 * writes that were only in its buffer; the built-in server writes before every reply.
 * When no sync begins within WAIT_MS (modes without an AOF), the kill lands at the deadline
 * and the trial says so (killed_into_fsync_ms is null): a SIGKILL under a slow disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { descendants } from '../targets/spawn.js';
import { straceUnavailable } from './power-loss.js';
import { planKillTime, sleepUntil, type Fault, type FaultSession } from './fault.js';

/** how long each fsync / fdatasync is held */
export const SLOW_FSYNC_MS = 500;
/** how long past the planned time the fault waits for a sync to begin */
const WAIT_MS = 3000;
const POLL_MS = 2;

/** fsync and fdatasync's numbers in /proc/<pid>/task/<tid>/syscall, by architecture */
const SYNC_CALLS: Readonly<Record<string, readonly string[]>> = { x64: ['74', '75'], arm64: ['82', '83'] };

export function straceDelayArgs(delayMs: number, output: string): string[] {
  return ['-f', '-qq', '-ttt', '-y', '-o', output, '--seccomp-bpf', '-e', 'trace=fsync,fdatasync', '-e', `inject=fsync,fdatasync:delay_enter=${delayMs * 1000}`, '--'];
}

/** A sync's entry in the trace: "<tid> <epoch s> fdatasync(8</dir/appendonly.aof.1.incr.aof>" */
const ENTRY = /^\d+ (\d+\.\d+) f(?:data)?sync\(\d+(?:<([^>\n]*)>)?/gm;

/** Reads a trace file as it grows and finds sync entries in it. */
export class SyncTrace {
  private offset = 0;
  private text = '';
  constructor(private readonly file: string) {}

  /**
   * The first sync begun at or after `sinceEpochMs` whose file passes `want`, read so far.
   * Lines passed over are dropped: call it with the same `sinceEpochMs` and `want` each time.
   */
  next(sinceEpochMs: number, want: (file: string) => boolean): { atEpochMs: number; file: string } | null {
    this.read();
    for (const m of this.text.matchAll(ENTRY)) {
      const at = Number(m[1]) * 1000;
      const file = m[2] ?? '';
      if (at >= sinceEpochMs && want(file)) return { atEpochMs: at, file };
    }
    // keep the last (maybe partial) line only
    const nl = this.text.lastIndexOf('\n');
    if (nl >= 0) this.text = this.text.slice(nl + 1);
    return null;
  }

  private read(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return; // not written yet
    }
    try {
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        this.text += buf.toString('latin1', 0, n);
      }
    } finally {
      fs.closeSync(fd);
    }
  }
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

const epochNow = (): number => performance.timeOrigin + performance.now();

export const slowFsync = {
  kind: 'slow-fsync',
  style: 'crash',
  describe: (plan) => `every fsync held ${plan.params?.delayMs ?? SLOW_FSYNC_MS} ms; SIGKILL half-way into the first one begun after ${plan.atMs} ms`,
  plan: (rng, scenario) => ({ kind: 'slow-fsync', atMs: planKillTime(rng, scenario), params: { delayMs: SLOW_FSYNC_MS } }),
  unavailable: () => straceUnavailable() ?? (SYNC_CALLS[process.arch] ? null : `slow-fsync reads system call numbers from /proc, known here for x64 and arm64 only, not ${process.arch}`),
  async prepare({ root, plan, mode }): Promise<FaultSession> {
    const delayMs = plan.params?.delayMs ?? SLOW_FSYNC_MS;
    const traceFile = path.join(root, 'fsync-trace.txt');
    // with an AOF the question is its fsync (not a snapshot's, which rdb+aof also makes)
    const aof = mode.startsWith('aof') || mode === 'rdb+aof';
    return {
      // the first launch only: the restart's syncs run at the disk's own speed
      wrapLaunch: (spec) => ({ ...spec, command: 'strace', args: [...straceDelayArgs(delayMs, traceFile), spec.command, ...spec.args], tracer: true }),
      async inject(ctx) {
        await sleepUntil(ctx.t0 + ctx.plan.atMs);
        const since = epochNow();
        const deadline = performance.now() + WAIT_MS;
        const trace = new SyncTrace(traceFile);
        let sync: { atEpochMs: number; file: string } | null = null;
        while (sync === null && performance.now() < deadline) {
          sync = trace.next(since, (f) => !aof || f.endsWith('.aof'));
          if (sync === null) await new Promise((r) => setTimeout(r, POLL_MS));
        }
        if (sync !== null) await sleepUntil(performance.now() + sync.atEpochMs + delayMs / 2 - epochNow());
        await ctx.finalInfo();
        const inSync = syncInFlight(ctx.handle.pid) !== null;
        const killedAt = ctx.signal('SIGKILL');
        const into = sync === null ? null : Math.round(performance.timeOrigin + killedAt - sync.atEpochMs);
        const file = sync === null ? null : path.basename(sync.file) || null;
        return {
          signal: 'SIGKILL',
          killedAt,
          note:
            into === null
              ? `no ${aof ? 'AOF ' : ''}fsync began within ${WAIT_MS} ms: SIGKILL under a slow disk`
              : `SIGKILL ${into} ms into an fsync of ${file ?? 'a file'} held ${delayMs} ms${inSync ? '' : ' (/proc saw no thread in it at the kill)'}`,
          detail: { fsync_delay_ms: delayMs, killed_into_fsync_ms: into, fsync_file: file, in_sync_at_kill: inSync ? 'yes' : 'no' },
        };
      },
      async dispose() {},
    };
  },
} satisfies Fault;
