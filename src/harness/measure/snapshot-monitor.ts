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
import type { MarkerAt } from './timeline.js';
import { settledWithin } from '../with-timeout.js';

/** One background save or AOF rewrite seen by INFO, widened to the reading before it. */
export interface SnapshotSpan {
  kind: 'snapshot' | 'rewrite';
  from: number;
  /** null: still running when the monitor stopped (killed mid-way) */
  to: number | null;
  /** began and ended between two readings (seen only through its counter) */
  between: boolean;
}

const KINDS = [
  { kind: 'snapshot', field: 'rdb_bgsave_in_progress', counter: 'rdb_saves' },
  { kind: 'rewrite', field: 'aof_rewrite_in_progress', counter: 'aof_rewrites' },
] as const;

export interface SnapshotObservation {
  intervals: Interval[];
  /** each save and rewrite apart, for the timeline's markers */
  spans: SnapshotSpan[];
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
  private readonly spans: SnapshotSpan[] = [];
  private readonly openSpan: Record<SnapshotSpan['kind'], number | null> = { snapshot: null, rewrite: null };
  private readonly lastCount: Record<SnapshotSpan['kind'], string | undefined> = { snapshot: undefined, rewrite: undefined };
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
    this.trackSpans(info, prev, now);
    this.lastPoll = now;
  }

  /**
   * Per kind: a span opens at the reading before the one that saw it running and closes at
   * the one that saw it over; a counter that moved with nothing seen running is a save that
   * began and ended between two readings (redis counts rdb_saves at the start, the built-in
   * server at the end: either way a span that was seen open has already closed on it).
   */
  private trackSpans(info: Record<string, string>, prev: number, now: number): void {
    for (const { kind, field, counter } of KINDS) {
      const count = info[counter];
      const moved = this.lastCount[kind] !== undefined && count !== undefined && count !== this.lastCount[kind];
      if (count !== undefined) this.lastCount[kind] = count;
      const open = this.openSpan[kind];
      if (info[field] === '1') {
        if (open === null) this.openSpan[kind] = prev;
      } else if (open !== null) {
        this.spans.push({ kind, from: open, to: now, between: false });
        this.openSpan[kind] = null;
      } else if (moved) {
        this.spans.push({ kind, from: prev, to: now, between: true });
      }
    }
  }

  /** Stops polling; a snapshot still running is closed at `at` (the kill). */
  async stop(at = performance.now()): Promise<SnapshotObservation> {
    this.stopped = true;
    // a poll stuck on a hung server must not hold the trial: give it a second at most
    if (this.loop) await settledWithin(this.loop, 1000);
    if (this.openSince !== null) {
      this.intervals.push([this.openSince, at]);
      this.openSince = null;
    }
    for (const { kind } of KINDS) {
      const open = this.openSpan[kind];
      if (open !== null) this.spans.push({ kind, from: open, to: null, between: false });
      this.openSpan[kind] = null;
    }
    this.spans.sort((a, b) => a.from - b.from);
    return { intervals: [...this.intervals], spans: [...this.spans], fork: this.tally.figures(), polls: this.polls };
  }
}

/** Start and end markers of each span (a span still running at the kill has no end marker). */
export function spanMarkers(spans: readonly SnapshotSpan[]): MarkerAt[] {
  const out: MarkerAt[] = [];
  for (const s of spans) {
    const what = s.kind === 'snapshot' ? 'BGSAVE' : 'AOF rewrite';
    const label = s.between ? `${what} (between two INFO polls)` : what;
    out.push({ kind: s.kind === 'snapshot' ? 'snapshot-start' : 'rewrite-start', at: s.from, label });
    if (s.to !== null) out.push({ kind: s.kind === 'snapshot' ? 'snapshot-end' : 'rewrite-end', at: s.to, label });
  }
  return out;
}
