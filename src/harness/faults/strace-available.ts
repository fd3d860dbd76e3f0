/**
 * Whether strace can run here: the faults that launch the server under it (power-loss,
 * power-loss-torn, slow-fsync) are skipped with this reason when it cannot.
 */
import { spawnSync } from 'node:child_process';

let availability: string | null | undefined;

/** strace must exist and be allowed to trace (ptrace may be forbidden in a container). */
export function straceUnavailable(): string | null {
  if (availability !== undefined) return availability;
  if (process.platform !== 'linux') availability = 'power-loss and slow-fsync need Linux (strace)';
  else {
    const r = spawnSync('strace', ['-qq', '-e', 'trace=none', 'true'], { encoding: 'utf8', timeout: 10_000 });
    if (r.error) availability = 'strace not found: apt-get install strace (needed by the power-loss and slow-fsync faults)';
    else if (r.status !== 0) availability = `strace cannot trace here (${(r.stderr || '').trim().split('\n')[0] || `exit ${r.status}`}): power-loss and slow-fsync faults need ptrace`;
    else availability = null;
  }
  return availability;
}
