/**
 * Latency over time on a real trial: SIGKILL during a BGSAVE must show the snapshot start
 * before the kill, every acknowledged write in exactly one bucket, and the buckets' worst
 * latency must agree with the trial's HDR maximum (a separate code path: per-client
 * histograms against the ledger).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { timelineWrites } from '../../src/harness/measure/timeline.js';
import { runScenario } from '../../src/harness/run.js';
import { liveChildren } from '../../src/harness/targets/children.js';
import { redisAvailable } from '../../src/harness/targets/redis.js';
import { parseRunResult, renderJson } from '../../src/report/json.js';
import { renderCsv } from '../../src/report/csv.js';
import { validateScenario } from '../../src/scenario/index.js';

const HAS_REDIS = redisAvailable();

afterAll(() => {
  expect(liveChildren()).toEqual([]);
});

for (const kind of ['builtin', 'redis'] as const) {
  const skip = kind === 'redis' && !HAS_REDIS;
  describe.skipIf(skip)(`${kind}: timeline of a SIGKILL during a BGSAVE${skip ? ' (skipped: redis-server not on PATH)' : ''}`, () => {
    it('snapshot-start marker before the fault marker; bucket ops sum to the acked writes', async () => {
      const scenario = validateScenario(
        { name: 'it', targets: [kind], modes: ['rdb'], faults: ['sigkill-during-bgsave'], trials: 1, durationMs: 900, killWindowMs: [500, 700], clients: 8, valueSize: 100, preload: 30_000, savePoints: '3600 100000000' },
        'integration',
      );
      const r = await runScenario(scenario);
      const t = r.trials[0]!;
      expect(t.error).toBeNull();
      const tl = t.timeline!;
      expect(tl).not.toBeNull();
      expect(tl.bucketMs).toBe(10);
      const start = tl.markers.find((m) => m.kind === 'snapshot-start');
      const fault = tl.markers.find((m) => m.kind === 'fault');
      expect(start, JSON.stringify(tl.markers)).toBeDefined();
      expect(fault!.label).toMatch(/sigkill-during-bgsave/);
      expect(start!.tMs).toBeLessThanOrEqual(fault!.tMs);
      // the fault planned its BGSAVE at 500–700 ms: the marker is within a poll or two of it
      expect(start!.tMs).toBeGreaterThan(400);
      expect(fault!.tMs).toBeLessThanOrEqual(tl.buckets.length * tl.bucketMs);
      expect(Math.abs(timelineWrites(tl) - t.acked)).toBeLessThanOrEqual(1);
      const worst = Math.max(...tl.buckets.map((b) => b.maxMs ?? 0));
      expect(Math.abs(worst - t.maxMs!)).toBeLessThanOrEqual(Math.max(0.05, t.maxMs! * 0.002));
      // JSON only: it round-trips, and the CSV's fixed header does not grow a column for it
      const back = parseRunResult(renderJson(r), 'r.json');
      expect(back.trials[0]!.timeline).toEqual(tl);
      expect(renderCsv(r).split('\n')[0]).not.toMatch(/timeline|bucket/);
    });
  });
}
