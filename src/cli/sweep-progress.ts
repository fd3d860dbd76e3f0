/**
 * Progress for `durabench sweep`: listens to the sweep's events and, on a TTY, keeps one
 * status line (which size, which target, which phase, an ETA) and prints a line per point.
 * A skipped size is said on any stream: it changes what the result holds.
 *
 * The ETA assumes a point's time grows with its keys plus a fixed cost (start-up, the
 * latency windows), fitted to the points done so far.
 */
import type { SweepEvent } from '../harness/sweep/sweep.js';
import type { SweepPhase } from '../harness/sweep/sweep-point.js';
import { fmtDuration } from '../report/format.js';
import { fmtKeys } from '../report/sweep-table.js';
import { statusLine } from './status-line.js';

const PHASES: Record<SweepPhase, string> = {
  fill: 'filling',
  'aof-load': 'restarting from the AOF',
  baseline: 'latency without a snapshot',
  snapshot: 'latency with a BGSAVE',
  'rdb-load': 'restarting from the RDB',
};
/** a point's fixed cost, in keys' worth of work */
const FIXED_KEYS = 300_000;

export function sweepProgress(out: NodeJS.WriteStream, live: boolean, now: () => number = () => performance.now()): (e: SweepEvent) => void {
  let work: number[] = [];
  let done = 0;
  let doneMs = 0;
  let pointStart = 0;
  let current = '';
  const { status, line } = statusLine(out, live);
  const skipped = new Set<number>();
  const eta = (index: number): string => {
    if (done === 0) return '';
    const perUnit = doneMs / done;
    const left = work.slice(index).reduce((a, b, i) => a + (skipped.has(index + i) ? 0 : b), 0);
    return ` · ETA ${fmtDuration(Math.max(0, left * perUnit - (now() - pointStart)))}`;
  };
  return (e) => {
    switch (e.type) {
      case 'start':
        work = e.sizes.flatMap((k) => e.targets.map(() => k + FIXED_KEYS));
        if (live) line(`durabench sweep: ${e.sizes.map(fmtKeys).join(', ')} keys × ${e.targets.join(', ')} (${e.total} points)`);
        break;
      case 'skip':
        // skipped points cost nothing: left out of the ETA
        for (const i of e.indices) skipped.add(i);
        line(`skipping ${fmtKeys(e.keys)} keys: ${e.reason}`);
        break;
      case 'point-start':
        pointStart = now();
        current = `[${e.index + 1}/${e.total}] ${fmtKeys(e.keys)} keys ${e.target}`;
        status(`${current}${eta(e.index)}`);
        break;
      case 'phase':
        status(`${current} · ${PHASES[e.phase]}${eta(e.index)}`);
        break;
      case 'point': {
        done += work[e.index] ?? 0;
        doneMs += e.ms;
        const p = e.point;
        if (live) line(`[${e.index + 1}/${e.total}] ${fmtKeys(p.keys)} keys ${p.target}: ${p.error ? `FAILED: ${p.error}` : 'done'} in ${fmtDuration(e.ms)}`);
        break;
      }
      case 'done':
        if (live) line(`done in ${fmtDuration(e.result.wallMs)}`);
        break;
    }
  };
}
