/**
 * The end of an event-loop turn (Redis's beforeSleep), in one setImmediate: first the reply
 * flushes the turn's reads produced, then the background steps (a snapshot's serialization,
 * a slice of loading, the idle warm-up). Replies go first so that a client reads its reply and
 * sends its next request while a step runs; with each on its own setImmediate, a step queued
 * by the previous turn ran first, a client with one request in flight waited for two steps
 * per round trip, and a BGSAVE at 20k SET/s from 16 clients queued them up: p99 25–43 ms
 * against 4.5–6.7 (`durabench run quick --target builtin --modes rdb --preload 100000 --rate
 * 20000`). A job queued while the turn's jobs run waits for the next turn.
 */
type Job = () => void;

let replies: Job[] = [];
let background: Job[] = [];
let scheduled = false;

function run(): void {
  scheduled = false;
  const first = replies;
  const then = background;
  replies = [];
  background = [];
  for (const job of first) runJob(job);
  for (const job of then) runJob(job);
}

/** One failing job must not drop the others: its error is thrown on as an uncaught one. */
function runJob(job: Job): void {
  try {
    job();
  } catch (e) {
    queueMicrotask(() => {
      throw e;
    });
  }
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(run);
}

/** Runs `job` at this turn's end, before any background step. */
export function atTurnEndReplies(job: Job): void {
  replies.push(job);
  schedule();
}

/** Runs `job` at this turn's end, after the reply flushes. */
export function atTurnEndBackground(job: Job): void {
  background.push(job);
  schedule();
}

/** Resolves at the next turn's end, after its replies (a slice of long work yields with it). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => atTurnEndBackground(resolve));
