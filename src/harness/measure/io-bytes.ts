/**
 * Bytes a server process sent to the storage layer, from Linux's per-process I/O accounting
 * (/proc/<pid>/io `write_bytes`, less `cancelled_write_bytes`). It counts pages as they are
 * dirtied, so an append that re-dirties a page already flushed by fsync counts the whole page
 * again: this is what `appendfsync always` really costs the disk, which file sizes do not
 * show. Redis's BGSAVE and rewrite children count: a reaped child's I/O is added to its
 * parent's, and a live one is read directly. null where there is no /proc/<pid>/io (not
 * Linux, or the process is gone).
 */
import fs from 'node:fs';

export function ioWriteBytes(pid: number): number | null {
  const own = processWriteBytes(pid);
  if (own === null) return null;
  // A running (or exited, not yet reaped) BGSAVE child: its bytes are the parent's once
  // reaped, so counting live children keeps the total steady across the reap.
  let total = own;
  for (const child of childrenOf(pid)) total += processWriteBytes(child) ?? 0;
  return total;
}

function processWriteBytes(pid: number): number | null {
  if (!(pid > 0)) return null;
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/io`, 'latin1');
  } catch {
    return null;
  }
  const field = (name: string): number | null => {
    const m = new RegExp(`^${name}: (\\d+)$`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  };
  const written = field('write_bytes');
  if (written === null) return null;
  return Math.max(0, written - (field('cancelled_write_bytes') ?? 0));
}

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
