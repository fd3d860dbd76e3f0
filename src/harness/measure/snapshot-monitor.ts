/**
 * Watches a server's INFO during the write phase: when snapshots (BGSAVE, AOF rewrite) run,
 * and the fork / snapshot-start figures. Intervals are widened to the previous poll so a
 * fork pause right at the start is inside them; a snapshot that starts and ends between two
 * polls is still seen through the fork counters (total_forks, rdb_saves, aof_rewrites,
 * latest_fork_usec).
 */
import { replyText, type RespConnection } from '../workload/resp-connection.js';
import { infoNumber, parseInfo, snapshotInProgress } from './info.js';
import type { Interval } from './latency.js';

export interface SnapshotObservation {
  intervals: Interval[];
  /** the last INFO read, parsed ({} if none) */
  lastInfo: Record<string, string>;
  polls: number;
}

function forkMark(info: Record<string, string>): string {
  return ['total_forks', 'rdb_saves', 'aof_rewrites', 'latest_fork_usec', 'rdb_last_cow_size']
    .map((f) => info[f] ?? '')
    .join('/');
}

export class SnapshotMonitor {
  private readonly intervals: Interval[] = [];
  private lastInfo: Record<string, string> = {};
  private openSince: number | null = null;
  private lastPoll = 0;
  private lastMark = '';
  private polls = 0;
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly conn: RespConnection,
    private readonly everyMs = 10,
  ) {}

  /** Takes a first reading (the baseline), then polls until stop(). */
  async start(): Promise<void> {
    await this.poll();
    this.loop = (async () => {
      while (!this.stopped && !this.conn.closed) {
        await new Promise((r) => setTimeout(r, this.everyMs));
        if (this.stopped) break;
        try {
          await this.poll();
        } catch {
          break; // the server went away: the fault killed it
        }
      }
    })();
  }

  private async poll(): Promise<void> {
    const text = replyText(await this.conn.call('INFO'));
    const now = performance.now();
    const info = parseInfo(text);
    this.polls++;
    const prev = this.lastPoll || now;
    const running = snapshotInProgress(info);
    const mark = forkMark(info);
    if (running && this.openSince === null) this.openSince = prev;
    if (!running && this.openSince !== null) {
      this.intervals.push([this.openSince, now]);
      this.openSince = null;
    } else if (!running && this.lastMark !== '' && mark !== this.lastMark) {
      this.intervals.push([prev, now]); // began and ended between two polls
    }
    this.lastMark = mark;
    this.lastPoll = now;
    this.lastInfo = info;
  }

  /** Stops polling; a snapshot still running is closed at `at` (the kill). */
  async stop(at = performance.now()): Promise<SnapshotObservation> {
    this.stopped = true;
    // a poll stuck on a hung server must not hold the trial: give it a second at most
    await Promise.race([this.loop?.catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    if (this.openSince !== null) {
      this.intervals.push([this.openSince, at]);
      this.openSince = null;
    }
    return { intervals: [...this.intervals], lastInfo: this.lastInfo, polls: this.polls };
  }
}

/** latest_fork_usec / rdb_last_cow_size as trial figures: null when no snapshot ever started. */
export function forkFigures(info: Record<string, string>): { forkUsec: number | null; cowBytes: number | null } {
  const fork = infoNumber(info, 'latest_fork_usec');
  const forks = infoNumber(info, 'total_forks');
  const started = (fork ?? 0) > 0 || (forks ?? 0) > 0;
  const cow = Math.max(infoNumber(info, 'rdb_last_cow_size') ?? -1, infoNumber(info, 'aof_last_cow_size') ?? -1);
  return { forkUsec: started ? fork : null, cowBytes: started && cow >= 0 ? cow : null };
}
