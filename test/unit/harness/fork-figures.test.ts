import { describe, expect, it } from 'vitest';
import { forkFigures } from '../../../src/harness/measure/fork-figures.js';

/** An INFO as parsed, with the fork-related fields of both targets. */
function info(over: Record<string, string | number>): Record<string, string> {
  const base: Record<string, string | number> = {
    total_forks: 1,
    rdb_saves: 1,
    aof_rewrites: 0,
    latest_fork_usec: 374,
    rdb_bgsave_in_progress: 0,
    aof_rewrite_in_progress: 0,
    rdb_last_bgsave_status: 'ok',
    aof_last_bgrewrite_status: 'ok',
    rdb_last_cow_size: 835_000,
    aof_last_cow_size: 0,
  };
  return Object.fromEntries(Object.entries({ ...base, ...over }).map(([k, v]) => [k, String(v)]));
}

describe('fork figures of the write phase', () => {
  it("the harness's own BGSAVE before the baseline does not count", () => {
    // the preload's snapshot left fork 374 µs / cow 835 KB; nothing forked since
    expect(forkFigures([info({}), info({}), info({})])).toEqual({ forkUsec: null, cowBytes: null });
  });

  it('a snapshot that started and finished during the trial (redis counts rdb_saves at the start)', () => {
    const seen = [
      info({}),
      info({ total_forks: 2, rdb_saves: 2, latest_fork_usec: 410, rdb_bgsave_in_progress: 1 }),
      info({ total_forks: 2, rdb_saves: 2, latest_fork_usec: 410, rdb_last_cow_size: 1_056_768 }),
    ];
    expect(forkFigures(seen)).toEqual({ forkUsec: 410, cowBytes: 1_056_768 });
  });

  it('while it still runs, last_cow_size is the old save\'s: not reported', () => {
    const seen = [info({}), info({ total_forks: 2, rdb_saves: 2, latest_fork_usec: 410, rdb_bgsave_in_progress: 1 })];
    expect(forkFigures(seen)).toEqual({ forkUsec: 410, cowBytes: null });
  });

  it("the built-in server counts rdb_saves at completion: same answer", () => {
    const seen = [
      info({}),
      info({ total_forks: 2, latest_fork_usec: 90, rdb_bgsave_in_progress: 1 }),
      info({ total_forks: 2, rdb_saves: 2, latest_fork_usec: 90, rdb_last_cow_size: 4200 }),
    ];
    expect(forkFigures(seen)).toEqual({ forkUsec: 90, cowBytes: 4200 });
  });

  it('killed while running: redis current_cow_size when positive, else null', () => {
    const running = { total_forks: 2, rdb_saves: 2, latest_fork_usec: 500, rdb_bgsave_in_progress: 1 };
    expect(forkFigures([info({}), info({ ...running, current_cow_size: 0 })])).toEqual({ forkUsec: 500, cowBytes: null });
    expect(forkFigures([info({}), info({ ...running, current_cow_size: 8192 })])).toEqual({ forkUsec: 500, cowBytes: 8192 });
  });

  it('an AOF rewrite counts its own cow figure; a failed save does not', () => {
    const rewrite = [info({}), info({ total_forks: 2, aof_rewrites: 1, latest_fork_usec: 300, aof_last_cow_size: 777 })];
    expect(forkFigures(rewrite)).toEqual({ forkUsec: 300, cowBytes: 777 });
    const failed = [info({}), info({ total_forks: 2, rdb_saves: 2, latest_fork_usec: 300, rdb_last_bgsave_status: 'err' })];
    expect(forkFigures(failed)).toEqual({ forkUsec: 300, cowBytes: null });
  });

  it('no INFO, or no fork counters: nothing measured', () => {
    expect(forkFigures([])).toEqual({ forkUsec: null, cowBytes: null });
    expect(forkFigures([{ loading: '0' }, { loading: '0' }])).toEqual({ forkUsec: null, cowBytes: null });
  });
});
