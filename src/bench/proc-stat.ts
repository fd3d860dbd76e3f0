import fs from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICK_MS = 10;

/**
 * CPU time of process `who` (a pid, or "self"), ms, from /proc/<who>/stat: its own user +
 * system time, or with `children` that of its reaped children. null off Linux.
 */
export function procCpuMs(who: number | 'self', children = false): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${who}/stat`, 'latin1');
    // fields after "pid (comm) ": state is field 3, utime 14, stime 15, cutime 16, cstime 17
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const at = children ? 13 : 11;
    return (Number(f[at]) + Number(f[at + 1])) * TICK_MS;
  } catch {
    return null;
  }
}

/**
 * Time thread `tid` of process `pid` (its main thread by default) has run on a CPU, ms, from
 * /proc/<pid>/task/<tid>/schedstat (nanoseconds, where stat counts 10 ms ticks). null off Linux.
 */
export function threadRunMs(pid: number, tid = pid): number | null {
  return threadSchedMs(pid, tid)?.runMs ?? null;
}

/**
 * schedstat's first two fields, ms: the time the thread ran, and the time it was ready to run
 * but waited for a CPU (on a run queue: another thread held every CPU). null off Linux.
 */
export function threadSchedMs(pid: number, tid = pid): { runMs: number; waitMs: number } | null {
  try {
    const [run, wait] = fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ');
    return { runMs: Number(run) / 1e6, waitMs: Number(wait) / 1e6 };
  } catch {
    return null;
  }
}
