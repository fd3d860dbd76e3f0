/**
 * fork_usec and cow_bytes of one trial, from every INFO the harness read during it.
 *
 * INFO's figures describe the server's *latest* snapshot, whenever it ran: the harness's own
 * BGSAVE after the preload, say. So the first INFO of the write phase is the baseline, and a
 * figure counts only when a snapshot started after it (total_forks grew; both targets report
 * it in # Stats). The INFO seen last must be as late as possible: a snapshot that a fault
 * starts and kills within one poll interval is seen through the INFO the fault read while the
 * save ran, and a final INFO is read just before a plain kill.
 *
 * cow_bytes are not the same quantity on the two targets: redis-server reports the fork
 * child's private dirty memory (pages the parent touched while the child ran, so whole
 * pages, allocator and kernel included); the built-in server reports the bytes of old values
 * it preserved for the snapshot (key granularity, payload only). Compare each across modes
 * of one target, not across targets.
 */
import { infoNumber } from './info.js';

export interface ForkFigures {
  forkUsec: number | null;
  cowBytes: number | null;
}

interface Counters {
  forks: number;
  rdbSaves: number;
  aofRewrites: number;
}

function counters(info: Record<string, string>): Counters | null {
  const forks = infoNumber(info, 'total_forks');
  if (forks === null) return null;
  return { forks, rdbSaves: infoNumber(info, 'rdb_saves') ?? 0, aofRewrites: infoNumber(info, 'aof_rewrites') ?? 0 };
}

export class ForkTally {
  private base: Counters | null = null;
  private forkUsec: number | null = null;
  private rdbCow: number | null = null;
  private aofCow: number | null = null;
  private runningCow = 0;

  /** Feeds one INFO, in the order they were read; the first one is the baseline. */
  add(info: Record<string, string>): void {
    const now = counters(info);
    if (now === null) return;
    if (this.base === null) {
      this.base = now;
      return;
    }
    if (now.forks <= this.base.forks) return; // no snapshot has started since the baseline
    this.forkUsec = infoNumber(info, 'latest_fork_usec') ?? this.forkUsec;
    // rdb_saves / aof_rewrites grow when a save starts (redis) or completes (built-in); either
    // way, once one grew and none of that kind runs any more, the last_cow_size is this trial's.
    // A failed save leaves the previous save's figure, so it does not count.
    if (now.rdbSaves > this.base.rdbSaves && info.rdb_bgsave_in_progress === '0' && info.rdb_last_bgsave_status !== 'err') {
      this.rdbCow = infoNumber(info, 'rdb_last_cow_size') ?? this.rdbCow;
    }
    if (now.aofRewrites > this.base.aofRewrites && info.aof_rewrite_in_progress === '0' && info.aof_last_bgrewrite_status !== 'err') {
      this.aofCow = infoNumber(info, 'aof_last_cow_size') ?? this.aofCow;
    }
    // a snapshot killed before it finished: redis-server samples the child's copy-on-write
    // into current_cow_size while it runs (about once a second, so 0 early on: only a
    // positive reading says anything); the built-in server has no such figure
    if (info.rdb_bgsave_in_progress === '1' || info.aof_rewrite_in_progress === '1') {
      this.runningCow = Math.max(this.runningCow, infoNumber(info, 'current_cow_size') ?? 0);
    }
  }

  /** null for both when no snapshot started during the trial. */
  figures(): ForkFigures {
    if (this.forkUsec === null) return { forkUsec: null, cowBytes: null };
    const done = [this.rdbCow, this.aofCow].filter((x): x is number => x !== null);
    const cowBytes = done.length > 0 ? Math.max(...done) : this.runningCow > 0 ? this.runningCow : null;
    return { forkUsec: this.forkUsec, cowBytes };
  }
}

/** The figures over a sequence of INFOs, the first being the baseline. */
export function forkFigures(infos: readonly Record<string, string>[]): ForkFigures {
  const t = new ForkTally();
  for (const i of infos) t.add(i);
  return t.figures();
}
