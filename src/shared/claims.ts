import type { Environment } from './result.js';
import type { TargetKind } from './types.js';

/** The Redis persistence documentation's claims, in the order `durabench claims` prints them. */
export const CLAIM_IDS = [
  'none-fastest',
  'rdb-loses-since-snapshot',
  'fork-pause-grows',
  'rdb-loads-faster',
  'aof-bigger',
  'aof-more-durable',
  'rdb-aof-restarts-from-aof',
  'cow-costs-changes',
  'fsync-policies',
  'full-disk-aof-loads',
] as const;
export type ClaimId = (typeof CLAIM_IDS)[number];

export const VERDICTS = ['held', 'did not hold', 'not measured'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface ClaimVerdict {
  id: ClaimId;
  target: TargetKind;
  verdict: Verdict;
  /** the rule that decided it, e.g. "RDB load ≤ 0.8 × AOF load at every size" */
  rule: string;
  /** the figures the rule was applied to, one line, e.g. "rdb 0.73 s vs aof 0.79 s at 1M" */
  evidence: string;
  /** named figures for charts and JSON (units in the names, e.g. rdb_load_ms_1000000) */
  figures: Record<string, number | null>;
}

export interface ClaimsResult {
  schemaVersion: 1;
  kind: 'claims';
  tool: { name: 'durabench'; version: string };
  environment: Environment;
  startedAt: string;
  /** the claim text as the docs put it */
  claims: { id: ClaimId; text: string }[];
  verdicts: ClaimVerdict[];
  /** where the figures came from: result files read with --from, or the runs made */
  sources: string[];
}
