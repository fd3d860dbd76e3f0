/**
 * Sanity verdicts: outcomes that are certain, so a run that breaks one shows the tool or the
 * server is wrong. With fault sigkill*: `none` loses every acknowledged write (nothing is
 * persisted) and `aof-always` loses none (fsync before the reply). With sigterm every mode
 * with persistence loses none (a graceful shutdown saves). In every mode, no value nobody
 * wrote and no duplicated element may appear.
 */
import type { SanityVerdict, TrialResult } from '../../shared/result.js';

interface Rule {
  check: string;
  applies(t: TrialResult): boolean;
  holds(t: TrialResult): boolean;
  show(t: TrialResult): string;
}

const RULES: Rule[] = [
  {
    check: 'none + SIGKILL loses every acknowledged write',
    applies: (t) => t.mode === 'none' && t.fault.startsWith('sigkill'),
    holds: (t) => t.lost === t.acked,
    show: (t) => `lost ${t.lost} of ${t.acked} acked`,
  },
  {
    check: 'aof-always + SIGKILL loses no acknowledged write',
    applies: (t) => t.mode === 'aof-always' && t.fault.startsWith('sigkill'),
    holds: (t) => t.lost === 0,
    show: (t) => `lost ${t.lost} of ${t.acked} acked`,
  },
  {
    check: 'graceful shutdown (SIGTERM) with persistence loses nothing',
    applies: (t) => t.mode !== 'none' && t.fault === 'sigterm',
    holds: (t) => t.lost === 0,
    show: (t) => `lost ${t.lost} of ${t.acked} acked`,
  },
  {
    check: 'no stale read of the live server (mixed)',
    applies: (t) => typeof t.staleReads === 'number',
    holds: (t) => t.staleReads === 0,
    show: (t) => `${t.staleReads} stale`,
  },
  {
    check: 'no value nobody wrote, no duplicated element',
    applies: () => true,
    holds: (t) => t.unexpected === 0 && t.duplicated === 0,
    show: (t) => `${t.unexpected} unexpected, ${t.duplicated} duplicated`,
  },
];

export function sanityVerdicts(trials: readonly TrialResult[]): SanityVerdict[] {
  const out: SanityVerdict[] = [];
  const groups = new Map<string, TrialResult[]>();
  for (const t of trials) {
    const k = `${t.target}\u0000${t.mode}\u0000${t.fault}`;
    const g = groups.get(k);
    if (g) g.push(t);
    else groups.set(k, [t]);
  }
  for (const group of groups.values()) {
    const { target, mode, fault } = group[0]!;
    for (const rule of RULES) {
      const relevant = group.filter((t) => rule.applies(t));
      if (relevant.length === 0) continue;
      // failed trials are reported (loudly) as failures of their own, not judged here
      const checked = relevant.filter((t) => t.error === null);
      if (checked.length === 0) continue;
      const check = `${rule.check} [${fault}]`;
      const bad = checked.filter((t) => !rule.holds(t));
      const detail =
        bad.length === 0
          ? `held in ${checked.length} trial(s)${checked.length < relevant.length ? ` (${relevant.length - checked.length} failed)` : ''}: ${checked.map(rule.show).join('; ')}`
          : `BROKEN in ${bad.length} of ${checked.length} trial(s): ${bad.map((t) => `trial ${t.trial + 1} ${rule.show(t)}`).join('; ')}`;
      out.push({ target, mode, check, ok: bad.length === 0, detail: detail.slice(0, 500) });
    }
  }
  return out;
}
