/**
 * Results for chart and HTML tests. The run is real (test/fixtures/run-quick.json, made with
 * `node bin/durabench run quick --json test/fixtures/run-quick.json`); the sweep and claims
 * results are hand-built in the shapes of src/shared/sweep-result.ts and claims.ts, their
 * figures near the reference figures in DESIGN.md (redis-server 7.0.15, 2 cores), and say
 * so in `environment.os` / `sources` so no one mistakes them for measurements.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClaimsResult, ClaimVerdict } from '../../src/shared/claims.js';
import type { RunResult } from '../../src/shared/result.js';
import type { SweepPoint, SweepResult } from '../../src/shared/sweep-result.js';
import type { Timeline } from '../../src/shared/timeline.js';
import { parseRunResult } from '../../src/report/json.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const RUN_FIXTURE = path.join(here, '..', 'fixtures', 'run-quick.json');

/** The real quick run (builtin, six modes, sigkill, one trial each; timelines not recorded). */
export function realRun(): RunResult {
  return parseRunResult(fs.readFileSync(RUN_FIXTURE, 'utf8'), RUN_FIXTURE);
}

const ENV = {
  node: 'v20.20.2',
  os: 'linux (hand-built test fixture)',
  cpu: 'fixture',
  cores: 2,
  memoryBytes: 24e9,
  targetVersions: { builtin: '0.1.0', redis: '7.0.15' },
};

/**
 * A timeline of `ms` ms in 10 ms buckets: steady ~2 ms p99, a stall of `stallMs` right after
 * the snapshot starts at `snapAt`, the fault at the end.
 */
export function timeline(ms: number, snapAt: number | null, stallMs: number, fault = 'sigkill'): Timeline {
  const buckets = [];
  for (let t = 0; t < ms; t += 10) {
    const stalled = snapAt !== null && t >= snapAt && t < snapAt + 20;
    const wobble = ((t * 7919) % 13) / 10;
    buckets.push({ tMs: t, ops: stalled ? 800 : 20_000, p99Ms: stalled ? stallMs * 0.9 : 2 + wobble, maxMs: stalled ? stallMs : 3 + wobble });
  }
  const markers: Timeline['markers'] = [];
  if (snapAt !== null) {
    markers.push({ kind: 'snapshot-start', tMs: snapAt, label: 'BGSAVE' });
    markers.push({ kind: 'snapshot-end', tMs: snapAt + 180, label: 'BGSAVE' });
  }
  markers.push({ kind: 'fault', tMs: ms, label: fault });
  return { bucketMs: 10, buckets, markers };
}

/** The real run with hand-made timelines on its trials (the harness does not record them yet). */
export function runWithTimelines(): RunResult {
  const r = realRun();
  r.trials = r.trials.map((t) => ({
    ...t,
    timeline: timeline(Math.round(t.writeMs), t.mode === 'rdb' || t.mode === 'rdb+aof' ? 600 : null, 40),
  }));
  return r;
}

function point(target: 'builtin' | 'redis', keys: number): SweepPoint {
  const m = keys / 1e6;
  const redis = target === 'redis';
  return {
    target,
    keys,
    valueBytes: 100,
    forkUsec: redis ? Math.round(600 + 3400 * m) : 30 + (keys % 7),
    snapshotMs: Math.round((redis ? 330 : 900) * m + 20),
    cowBytes: Math.round((redis ? 2.1e6 : 1.6e6) * Math.sqrt(m)),
    baseline: { p99Ms: 2.8, p999Ms: 5.1, maxMs: 9 + m },
    duringSnapshot: redis ? { p99Ms: 3.4 + m, p999Ms: 9 + 4 * m, maxMs: 20 + 19 * m } : { p99Ms: 6 + 2 * m, p999Ms: 12 + 3 * m, maxMs: 25 + 5 * m },
    timeline: timeline(1000, 200, redis ? 20 + 19 * m : 25),
    rdbBytes: Math.round(36e6 * m),
    aofBytes: Math.round(138e6 * m),
    rdbLoad: { recoveryMs: 740 * m + 15, loadMs: 730 * m + 2 },
    aofLoad: { recoveryMs: 800 * m + 15, loadMs: (redis ? 790 : 1900) * m + 2 },
    rssBytes: Math.round((redis ? 191e6 : 260e6) * m + 3e6),
    skipped: null,
  };
}

export function sweepFixture(): SweepResult {
  const sizes = [100_000, 1_000_000, 4_000_000];
  const points = (['builtin', 'redis'] as const).flatMap((t) => sizes.map((k) => point(t, k)));
  points.push({ ...point('redis', 16_000_000), forkUsec: null, snapshotMs: null, cowBytes: null, timeline: null, skipped: 'needs ~6.1 GB, 4.2 GB free' });
  return {
    schemaVersion: 1,
    kind: 'sweep',
    tool: { name: 'durabench', version: '0.1.0' },
    environment: ENV,
    startedAt: '2026-12-02T08:00:00.000Z',
    wallMs: 200_000,
    seed: 7,
    sizes: [...sizes, 16_000_000],
    valueBytes: 100,
    values: 'random',
    targets: ['builtin', 'redis'],
    modes: ['rdb', 'aof-everysec'],
    rate: 20_000,
    points,
  };
}

const TEXTS: ClaimsResult['claims'] = [
  { id: 'none-fastest', text: 'No persistence is the fastest mode.' },
  { id: 'rdb-loses-since-snapshot', text: 'RDB loses the writes made since the last snapshot.' },
  { id: 'fork-pause-grows', text: 'Forking for a snapshot pauses the server, longer as the dataset grows.' },
  { id: 'rdb-loads-faster', text: 'RDB files load faster than AOF files.' },
  { id: 'aof-bigger', text: 'AOF uses more disk than RDB.' },
  { id: 'aof-more-durable', text: 'AOF is more durable than RDB.' },
  { id: 'rdb-aof-restarts-from-aof', text: 'With RDB and AOF both on, a restart rebuilds from the AOF.' },
  { id: 'cow-costs-changes', text: 'Copy-on-write makes a snapshot cost memory only for what changes while it runs.' },
  { id: 'fsync-policies', text: 'appendfsync always loses nothing on a power cut; everysec about a second; no up to the OS.' },
];

export function claimsFixture(): ClaimsResult {
  const v = (id: ClaimVerdict['id'], target: ClaimVerdict['target'], verdict: ClaimVerdict['verdict'], rule: string, evidence: string, figures: ClaimVerdict['figures'] = {}): ClaimVerdict => ({ id, target, verdict, rule, evidence, figures });
  const fork = (t: 'builtin' | 'redis') => Object.fromEntries([100_000, 1_000_000, 4_000_000].map((k) => [`fork_usec_${k}`, point(t, k).forkUsec]));
  const load = (t: 'builtin' | 'redis') =>
    Object.fromEntries([100_000, 1_000_000, 4_000_000].flatMap((k) => [[`rdb_load_ms_${k}`, point(t, k).rdbLoad.loadMs], [`aof_load_ms_${k}`, point(t, k).aofLoad.loadMs]]));
  const verdicts: ClaimVerdict[] = [];
  for (const t of ['builtin', 'redis'] as const) {
    const redis = t === 'redis';
    verdicts.push(
      v('none-fastest', t, 'held', 'none ≥ every other mode − 5% throughput', 'none 105k ops/s; best other aof-everysec 98k', { throughput_none: 105_000, throughput_aof_everysec: 98_000 }),
      v('rdb-loses-since-snapshot', t, 'held', 'rdb lost ≈ writes since last save (±1%)', 'lost 10.7k of 10.7k since the save at 0.4 s', { lost: 10_726 }),
      v('fork-pause-grows', t, redis ? 'held' : 'did not hold', 'fork at 4M ≥ 2 × fork at 100k', redis ? '0.94 ms → 14.2 ms' : '0.03 ms → 0.03 ms (no fork)', fork(t)),
      v('rdb-loads-faster', t, redis ? 'did not hold' : 'held', 'RDB load ≤ 0.8 × AOF load at every size', redis ? 'rdb 0.73 s vs aof 0.79 s at 1M' : 'rdb 0.73 s vs aof 1.9 s at 1M', load(t)),
      v('aof-bigger', t, 'held', 'AOF bytes > RDB bytes at every size', 'aof 138 MB vs rdb 36 MB at 1M', { aof_bytes_1000000: 138e6, rdb_bytes_1000000: 36e6 }),
      v('aof-more-durable', t, 'held', 'AOF loss < RDB loss after a kill and a power cut', 'kill: aof 0% vs rdb 100%; power: everysec 29% vs rdb 100%'),
      v('rdb-aof-restarts-from-aof', t, 'held', 'keys after restart = AOF contents', '10.7k keys, AOF had 10.7k, RDB 5k'),
      v('cow-costs-changes', t, redis ? 'held' : 'held', 'COW bytes ≤ bytes written during the snapshot × 2', 'cow 2.1 MB, written 1.9 MB'),
      v('fsync-policies', t, redis ? 'not measured' : 'held', 'always loses 0; everysec window ≤ 2 s; no ≥ everysec', redis ? 'power-loss not run on this target' : 'always 0; everysec 0.8 s; no 100%'),
    );
  }
  return {
    schemaVersion: 1,
    kind: 'claims',
    tool: { name: 'durabench', version: '0.1.0' },
    environment: ENV,
    startedAt: '2026-12-02T08:30:00.000Z',
    claims: TEXTS,
    verdicts,
    sources: ['hand-built test fixture (test/helpers/chart-fixtures.ts)'],
  };
}
