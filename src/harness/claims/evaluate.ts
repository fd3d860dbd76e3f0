/**
 * evaluateClaims(runs, sweeps): every claim of the Redis persistence documentation, for each
 * target the results hold (or the ones asked for), in CLAIM_IDS order. Pure: the CLI reads
 * or makes the results, the report renders the verdicts.
 */
import { CLAIM_IDS, type ClaimId, type ClaimVerdict } from '../../shared/claims.js';
import type { RunResult } from '../../shared/result.js';
import type { SweepResult } from '../../shared/sweep-result.js';
import { TARGETS, type TargetKind } from '../../shared/types.js';
import { pointsOf } from './figures.js';
import { aofMoreDurable, fsyncPolicies, fullDiskAofLoads, noneFastest, rdbAofRestartsFromAof, rdbLosesSinceSnapshot } from './run-claims.js';
import { aofBigger, cowCostsChanges, forkPauseGrows, rdbLoadsFaster, type Judged } from './sweep-claims.js';

/** The claims as the docs put them (https://redis.io/docs/latest/operate/oss_and_stack/management/persistence/). */
export const CLAIM_TEXTS: Record<ClaimId, string> = {
  'none-fastest': 'No persistence is the fastest mode.',
  'rdb-loses-since-snapshot': 'RDB loses the writes made since the last snapshot.',
  'fork-pause-grows': 'Forking for a snapshot pauses the server, longer as the dataset grows.',
  'rdb-loads-faster': 'RDB files load faster than AOF files.',
  'aof-bigger': 'AOF uses more disk than RDB.',
  'aof-more-durable': 'AOF is more durable than RDB (less loss after a crash and after a power cut).',
  'rdb-aof-restarts-from-aof': 'With RDB and AOF both on, a restart rebuilds from the AOF, the most complete.',
  'cow-costs-changes': 'Copy-on-write makes a snapshot cost memory only for what changes while it runs.',
  'fsync-policies': '`appendfsync always` loses nothing acknowledged on a power cut; `everysec` about a second; `no` up to the operating system.',
  'full-disk-aof-loads': 'After a full disk the AOF still holds consistent data, at most its last command truncated, and the server loads it.',
};

type Judge = (runs: readonly RunResult[], sweeps: readonly SweepResult[], target: TargetKind) => Judged;

const judges = {
  'none-fastest': (runs, _s, t) => noneFastest(runs, t),
  'rdb-loses-since-snapshot': (runs, _s, t) => rdbLosesSinceSnapshot(runs, t),
  'fork-pause-grows': (_r, sweeps, t) => forkPauseGrows(pointsOf(sweeps, t)),
  'rdb-loads-faster': (_r, sweeps, t) => rdbLoadsFaster(pointsOf(sweeps, t)),
  'aof-bigger': (_r, sweeps, t) => aofBigger(pointsOf(sweeps, t)),
  'aof-more-durable': (runs, _s, t) => aofMoreDurable(runs, t),
  'rdb-aof-restarts-from-aof': (runs, _s, t) => rdbAofRestartsFromAof(runs, t),
  'cow-costs-changes': (_r, sweeps, t) => cowCostsChanges(pointsOf(sweeps, t)),
  'fsync-policies': (runs, _s, t) => fsyncPolicies(runs, t),
  'full-disk-aof-loads': (runs, _s, t) => fullDiskAofLoads(runs, t),
} satisfies Record<ClaimId, Judge>;

/** The targets the results hold, in TARGETS order. */
export function targetsIn(runs: readonly RunResult[], sweeps: readonly SweepResult[]): TargetKind[] {
  const seen = new Set<TargetKind>([...runs.flatMap((r) => r.trials.map((t) => t.target)), ...sweeps.flatMap((s) => s.points.map((p) => p.target))]);
  return TARGETS.filter((t) => seen.has(t));
}

export function evaluateClaims(runs: readonly RunResult[], sweeps: readonly SweepResult[], targets: readonly TargetKind[] = targetsIn(runs, sweeps)): ClaimVerdict[] {
  const out: ClaimVerdict[] = [];
  for (const id of CLAIM_IDS) for (const target of targets) out.push({ id, target, ...judges[id](runs, sweeps, target) });
  return out;
}
