import fs from 'node:fs';

/**
 * Gives process `pid`'s scheduler autogroup the nice value `nice` (Linux, /proc/<pid>/autogroup)
 * and returns the line the kernel reads back ("/autogroup-123 nice -20").
 *
 * Why a group and not the server's threads: with sched autogroup on (the default on desktop and
 * server kernels), CPU time is shared between sessions first and between a session's threads
 * second, so a thread's own nice value never yields to a thread in another session. The harness
 * starts each server in a session of its own (setsid), and the load generator runs in the
 * bench's: this is the one knob that orders the server before the generator, and it orders
 * redis-server's forked child with its parent the same way. It ends with the server's session;
 * nothing outlives the run. A negative value needs CAP_SYS_NICE (root).
 */
export function setAutogroupNice(pid: number, nice: number): string {
  if (!(Number.isInteger(nice) && nice >= -20 && nice <= 19)) throw new Error(`a nice value is a whole number from -20 to 19, not ${nice}`);
  let enabled: string;
  try {
    enabled = fs.readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'latin1').trim();
  } catch {
    throw new Error('this kernel has no sched autogroups (/proc/sys/kernel/sched_autogroup_enabled): Linux with CONFIG_SCHED_AUTOGROUP only');
  }
  if (enabled !== '1') throw new Error('sched autogroups are off (/proc/sys/kernel/sched_autogroup_enabled is 0): turn them on with sysctl kernel.sched_autogroup_enabled=1');
  try {
    fs.writeFileSync(`/proc/${pid}/autogroup`, String(nice));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPERM' || code === 'EACCES') throw new Error(`setting an autogroup's nice to ${nice} needs CAP_SYS_NICE: run as root, or use a value ≥ the current one`);
    throw new Error(`cannot set process ${pid}'s autogroup: ${(e as Error).message}`);
  }
  return fs.readFileSync(`/proc/${pid}/autogroup`, 'latin1').trim();
}
