/**
 * Watches a server's INFO during the write phase: when snapshots (BGSAVE, AOF rewrite) run,
 * and the fork / snapshot-start figures (fork-figures.ts). Intervals are widened to the
 * previous reading so a fork pause right at the start is inside them; a snapshot that starts
 * and ends between two readings is still seen through the fork counters (total_forks,
 * rdb_saves, aof_rewrites, latest_fork_usec). Besides its own polls, the monitor takes the
 * INFOs a fault reads (record()), so a snapshot started and killed within one poll interval
 * is not missed.
 */
import { replyText, type RespConnection } from '../workload/resp-connection.js';
import { ForkTally, type ForkFigures } from './fork-figures.js';
import { parseInfo, snapshotInProgress } from './info.js';
import type { Interval } from './latency.js';

export interface SnapshotObservation {
  intervals: Interval[];
  /** fork_usec / cow_bytes of snapshots that started during the write phase */
  fork: ForkFigures;
  /** INFO readings taken (polls and the fault's) */
  polls: number;
}

function forkMark(info: Record<string, string>): string {
  return ['total_forks', 'rdb_saves', 'aof_rewrites', 'latest_fork_usec', 'rdb_last_cow_size']
    .map((f) => info[f] ?? '')
    .join('/');
}

export class SnapshotMonitor {
  private readonly intervals: Interval[] = [];
  private readonly tally = new ForkTally();
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

  /** Takes a first reading (the baseline: call it when the write phase starts), then polls until stop(). */
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
    this.record(parseInfo(replyText(await this.conn.call('INFO'))));
  }

  /** One INFO reading, taken now (by the monitor or by a fault), in the order they were read. */
  record(info: Record<string, string>, now = performance.now()): void {
    if (this.stopped) return;
    this.polls++;
    this.tally.add(info);
    const prev = this.lastPoll || now;
    const running = snapshotInProgress(info);
    const mark = forkMark(info);
    if (running && this.openSince === null) this.openSince = prev;
    if (!running && this.openSince !== null) {
      this.intervals.push([this.openSince, now]);
      this.openSince = null;
    } else if (!running && this.lastMark !== '' && mark !== this.lastMark) {
      this.intervals.push([prev, now]); // began and ended between two readings
    }
    this.lastMark = mark;
    this.lastPoll = now;
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
    return { intervals: [...this.intervals], fork: this.tally.figures(), polls: this.polls };
  }
}
