/**
 * The claims a dataset-size sweep decides: fork pause grows with the dataset (3), RDB loads
 * faster than AOF (4), AOF takes more disk (5), copy-on-write costs only what changes (8).
 * Each is a pure function of one target's sweep points → a verdict with its rule stated.
 */
import type { ClaimVerdict } from '../../shared/claims.js';
import type { SweepPoint } from '../../shared/sweep-result.js';
import { fmtMB, fmtMs, keysLabel } from './figures.js';

export type Judged = Omit<ClaimVerdict, 'id' | 'target'>;

/** last ÷ first, to 2 significant digits */
const ratio = (a: number, b: number): string => (a / Math.max(1, b)).toPrecision(2);

const notMeasured = (rule: string, why: string, figures: Record<string, number | null> = {}): Judged => ({ verdict: 'not measured', rule, evidence: why, figures });
const NO_SWEEP = 'no sweep result for this target (durabench sweep, or claims without --from)';

export const FORK_RULE = 'held: latest_fork_usec at the largest size ≥ 2 × at the smallest (sizes ≥ 10× apart), never falling by more than 20% from one size to the next';
export function forkPauseGrows(points: readonly SweepPoint[]): Judged {
  const ps = points.filter((p) => p.forkUsec !== null);
  if (ps.length < 2 || ps[ps.length - 1]!.keys < 10 * ps[0]!.keys) {
    return notMeasured(FORK_RULE, ps.length === 0 ? NO_SWEEP : 'needs fork figures at two sizes at least 10× apart');
  }
  const us = ps.map((p) => p.forkUsec!);
  const figures = Object.fromEntries(ps.map((p) => [`fork_usec_${p.keys}`, p.forkUsec]));
  const grows = us[us.length - 1]! >= 2 * us[0]!;
  const steady = us.every((u, i) => i === 0 || u >= 0.8 * us[i - 1]!);
  const evidence = ps.map((p) => `${fmtMs(p.forkUsec! / 1000)} at ${keysLabel(p.keys)}`).join(', ') + ` (×${ratio(us[us.length - 1]!, us[0]!)})`;
  return { verdict: grows && steady ? 'held' : 'did not hold', rule: FORK_RULE, evidence, figures };
}

export const LOAD_RULE = 'held: RDB load ≤ 0.8 × AOF load (listening → ready, same dataset) at every size';
export function rdbLoadsFaster(points: readonly SweepPoint[]): Judged {
  const ps = points.filter((p) => p.rdbLoad.loadMs !== null && p.aofLoad.loadMs !== null);
  if (ps.length === 0) return notMeasured(LOAD_RULE, points.length === 0 ? NO_SWEEP : 'the sweep did not load both an RDB and an AOF (--modes rdb,aof-everysec)');
  const figures: Record<string, number | null> = {};
  for (const p of ps) Object.assign(figures, { [`rdb_load_ms_${p.keys}`]: p.rdbLoad.loadMs, [`aof_load_ms_${p.keys}`]: p.aofLoad.loadMs });
  const ok = ps.every((p) => p.rdbLoad.loadMs! <= 0.8 * p.aofLoad.loadMs!);
  const evidence = ps.map((p) => `rdb ${fmtMs(p.rdbLoad.loadMs!)} vs aof ${fmtMs(p.aofLoad.loadMs!)} at ${keysLabel(p.keys)} (${(p.rdbLoad.loadMs! / Math.max(0.001, p.aofLoad.loadMs!)).toFixed(2)}×)`).join('; ');
  return { verdict: ok ? 'held' : 'did not hold', rule: LOAD_RULE, evidence, figures };
}

export const DISK_RULE = 'held: AOF bytes > RDB bytes of the same dataset at every size';
export function aofBigger(points: readonly SweepPoint[]): Judged {
  const ps = points.filter((p) => p.rdbBytes !== null && p.aofBytes !== null);
  if (ps.length === 0) return notMeasured(DISK_RULE, points.length === 0 ? NO_SWEEP : 'the sweep wrote no AOF (--modes without an AOF mode)');
  const figures: Record<string, number | null> = {};
  for (const p of ps) Object.assign(figures, { [`rdb_bytes_${p.keys}`]: p.rdbBytes, [`aof_bytes_${p.keys}`]: p.aofBytes });
  const ok = ps.every((p) => p.aofBytes! > p.rdbBytes!);
  const evidence = ps.map((p) => `aof ${fmtMB(p.aofBytes!)} vs rdb ${fmtMB(p.rdbBytes!)} at ${keysLabel(p.keys)} (${(p.aofBytes! / Math.max(1, p.rdbBytes!)).toFixed(2)}×)`).join('; ');
  return { verdict: ok ? 'held' : 'did not hold', rule: DISK_RULE, evidence, figures };
}

const PAGE = 4096;
const SLACK_PAGES = 256;
export const COW_RULE = `held: at every size, COW bytes ≤ (writes during the snapshot + ${SLACK_PAGES}) × 4 KiB (a page per changed key, plus the server's own pages) and < the dataset's RSS`;
export function cowCostsChanges(points: readonly SweepPoint[]): Judged {
  const ps = points.filter((p) => p.cowBytes !== null && p.snapshotWrites !== null && p.rssBytes !== null);
  if (ps.length === 0) return notMeasured(COW_RULE, points.length === 0 ? NO_SWEEP : 'no COW, write count or RSS measured');
  const figures: Record<string, number | null> = {};
  for (const p of ps) Object.assign(figures, { [`cow_bytes_${p.keys}`]: p.cowBytes, [`snapshot_writes_${p.keys}`]: p.snapshotWrites, [`rss_bytes_${p.keys}`]: p.rssBytes });
  const ok = ps.every((p) => p.cowBytes! <= (p.snapshotWrites! + SLACK_PAGES) * PAGE && p.cowBytes! < p.rssBytes!);
  const evidence = ps.map((p) => `${fmtMB(p.cowBytes!)} for ${p.snapshotWrites} writes (RSS ${fmtMB(p.rssBytes!)}) at ${keysLabel(p.keys)}`).join('; ');
  return { verdict: ok ? 'held' : 'did not hold', rule: COW_RULE, evidence, figures };
}
