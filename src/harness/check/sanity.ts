/**
 * Sanity verdicts: outcomes that are certain, so a run that breaks one shows the tool or the
 * server is wrong. Judged per (target, mode, fault), as pure functions of the trials:
 *  - after a crash that leaves the page cache or only what was fsynced (SIGKILL and its
 *    variants, power loss, torn power loss): `none` loses every acknowledged write (nothing
 *    is persisted) and `aof-always` loses none (fsync before the reply);
 *  - after SIGTERM every mode with persistence loses none (a graceful shutdown saves);
 *  - in every mode under every fault: no value nobody wrote, no duplicated element, no
 *    `wrong-data` outcome, and no transaction partially applied (the transaction workload);
 *  - the restart does not refuse, except after a fault for which refusing is a correct answer
 *    (REFUSAL_IS_AN_ANSWER below: damaged files).
 * Fault kinds are named here as strings on purpose: check/ does not import the faults
 * registry, so a new fault only needs a line in these tables (and a test keeps
 * REFUSAL_IS_AN_ANSWER in step with each fault's `refusalIsCorrect`).
 */
import type { SanityVerdict, TrialResult } from '../../shared/result.js';

/** Crashes after which the `none` / `aof-always` certainties hold, and how a check names them. */
const CRASHES: Readonly<Record<string, string>> = {
  sigkill: 'SIGKILL',
  'sigkill-during-bgsave': 'SIGKILL',
  'sigkill-during-rewrite': 'SIGKILL',
  'sigkill-during-load': 'SIGKILL',
  'slow-fsync': 'SIGKILL',
  'power-loss': 'power loss',
  'power-loss-torn': 'power loss',
};

/**
 * Faults after which refusing to restart is an acceptable answer, and when: the server was
 * handed a damaged file. `corrupt` flips bytes (in the RDB, or in an AOF), so refusing is
 * right in every mode with files; `torn-tail` cuts the newest AOF file, whose partial last
 * command a correct server trims (`aof-load-truncated yes`), so refusing is right only where
 * the cut hit an RDB (mode `rdb`). Every other fault leaves files a correct server must start
 * from, so `refused` is a sanity failure there.
 */
export const REFUSAL_IS_AN_ANSWER: Readonly<Record<string, (t: Pick<TrialResult, 'mode'>) => boolean>> = {
  corrupt: (t) => t.mode !== 'none',
  'torn-tail': (t) => t.mode === 'rdb',
};

export function refusalAcceptable(t: TrialResult): boolean {
  const ok = Object.hasOwn(REFUSAL_IS_AN_ANSWER, t.fault) ? REFUSAL_IS_AN_ANSWER[t.fault] : undefined;
  return ok !== undefined && ok(t);
}

interface Rule {
  /** the check's text; the fault is appended as " [fault]" */
  check(fault: string): string;
  applies(t: TrialResult): boolean;
  holds(t: TrialResult): boolean;
  show(t: TrialResult): string;
  /** a verdict that held, over all its trials, in one line of ranges */
  summary(ts: readonly TrialResult[]): string;
}

/** 10100 → "10.1k"; below 10000 as is. */
function figure(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k` : String(n);
}

/** "10.1k–37.5k", or one figure when they are all the same */
export function range(xs: readonly number[]): string {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? figure(lo) : `${figure(lo)}–${figure(hi)}`;
}

const inTrials = (ts: readonly TrialResult[]): string => `in ${ts.length} trial${ts.length === 1 ? '' : 's'}`;

/** why a power cut took more than the fsync policy explains */
const UNDONE = 'name change(s) undone: a directory was not fsynced after a create or rename';

/** "lost 0 of 10.1k–37.5k acked in 15 trials", and how many restarts refused or names were undone */
const lostRange = (ts: readonly TrialResult[]): string => {
  const refused = ts.filter((t) => t.outcome === 'refused').length;
  const undone = ts.filter((t) => t.lost > 0 && Number(t.faultDetail?.files_reverted ?? 0) > 0).length;
  return (
    `lost ${range(ts.map((t) => t.lost))} of ${range(ts.map((t) => t.acked))} acked ${inTrials(ts)}` +
    (refused > 0 ? ` (${refused} restart(s) refused)` : '') +
    (undone > 0 ? ` (${undone} with ${UNDONE})` : '')
  );
};

/** "recovered ×14, refused ×1" */
const tally = (xs: readonly string[]): string => {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts].map(([x, n]) => (n === 1 ? x : `${x} ×${n}`)).join(', ');
};

/**
 * The loss, and when a power cut undid name changes, that too: losing a whole AOF because a
 * directory was never fsynced after a create or rename is the server's doing, not the tool's.
 */
const lostOf = (t: TrialResult): string => {
  const undone = Number(t.faultDetail?.files_reverted ?? 0);
  const names = t.lost > 0 && undone > 0 ? ` (${undone} ${UNDONE})` : '';
  return `lost ${t.lost} of ${t.acked} acked${t.outcome === 'refused' ? ' (restart refused)' : ''}${names}`;
};

/** strace stamps a call when it sees it, a few µs to ms after the fact under load */
const HORIZON_SLACK_MS = 25;

const RULES: Rule[] = [
  {
    check: (f) => `none + ${CRASHES[f]} loses every acknowledged write`,
    applies: (t) => t.mode === 'none' && Object.hasOwn(CRASHES, t.fault),
    holds: (t) => t.lost === t.acked,
    show: lostOf,
    summary: lostRange,
  },
  {
    check: (f) => `aof-always + ${CRASHES[f]} loses no acknowledged write`,
    applies: (t) => t.mode === 'aof-always' && Object.hasOwn(CRASHES, t.fault),
    holds: (t) => t.lost === 0,
    show: lostOf,
    summary: lostRange,
  },
  {
    // Two clocks that share no code: the client's ledger (when each lost write was
    // acknowledged) and the server's trace (when the AOF it lost bytes of was last synced).
    // A write acknowledged before that sync began was covered by it, so cannot be lost.
    check: () => 'the loss reaches back no further than the AOF\'s last sync (ledger vs trace)',
    applies: (t) => typeof t.faultDetail?.durable_horizon_ms === 'number' && t.lost > 0,
    holds: (t) => t.lossWindowMs <= Number(t.faultDetail!.durable_horizon_ms) + HORIZON_SLACK_MS,
    show: (t) => `loss window ${t.lossWindowMs} ms, last sync ${t.faultDetail!.durable_horizon_ms} ms before the kill`,
    summary: (ts) => {
      // the closest call: the smallest margin between the sync and the oldest lost write
      const margins = ts.map((t) => Number(t.faultDetail!.durable_horizon_ms) - t.lossWindowMs);
      return `the oldest lost write ${range(margins.map((m) => Math.round(m * 10) / 10))} ms after the AOF's last sync began ${inTrials(ts)}`;
    },
  },
  {
    check: () => 'graceful shutdown (SIGTERM) with persistence loses nothing',
    applies: (t) => t.mode !== 'none' && t.fault === 'sigterm',
    holds: (t) => t.lost === 0,
    show: lostOf,
    summary: lostRange,
  },
  {
    check: () => 'the restart does not refuse to start',
    applies: (t) => t.outcome !== null && t.outcome !== undefined && !refusalAcceptable(t),
    holds: (t) => t.outcome !== 'refused',
    show: (t) => (t.outcome === 'refused' ? `refused${t.outcomeDetail ? `: ${t.outcomeDetail.slice(0, 120)}` : ''}` : t.outcome ?? '?'),
    summary: (ts) => `${tally(ts.map((t) => t.outcome ?? '?'))} ${inTrials(ts)}`,
  },
  {
    check: () => 'no stale read of the live server (mixed)',
    applies: (t) => typeof t.staleReads === 'number',
    holds: (t) => t.staleReads === 0,
    show: (t) => `${t.staleReads} stale`,
    summary: (ts) => `${range(ts.map((t) => t.staleReads ?? 0))} stale ${inTrials(ts)}`,
  },
  {
    check: () => 'no transaction partially applied: all of it or none (transaction)',
    applies: (t) => typeof t.partialTx === 'number',
    holds: (t) => t.partialTx === 0,
    show: (t) => `ATOMICITY VIOLATED: ${t.partialTx} transaction(s) partially applied`,
    summary: (ts) => `${range(ts.map((t) => t.partialTx ?? 0))} partially applied, of ${range(ts.map((t) => t.acked))} acked transactions ${inTrials(ts)}`,
  },
  {
    check: () => 'no value nobody wrote, no duplicated element',
    applies: () => true,
    holds: (t) => t.unexpected === 0 && t.duplicated === 0 && t.outcome !== 'wrong-data',
    show: (t) =>
      `${t.outcome === 'wrong-data' ? 'WRONG DATA: ' : ''}${t.unexpected} unexpected, ${t.duplicated} duplicated` +
      `${t.outcome === 'wrong-data' && t.outcomeDetail ? ` (${t.outcomeDetail.slice(0, 120)})` : ''}`,
    summary: (ts) => `${range(ts.map((t) => t.unexpected))} unexpected, ${range(ts.map((t) => t.duplicated))} duplicated ${inTrials(ts)}`,
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
      const check = `${rule.check(fault)} [${fault}]`;
      const bad = checked.filter((t) => !rule.holds(t));
      const detail =
        bad.length === 0
          ? `${rule.summary(checked)}${checked.length < relevant.length ? ` (${relevant.length - checked.length} failed)` : ''}`
          : `BROKEN in ${bad.length} of ${checked.length} trial(s): ${bad.map((t) => `trial ${t.trial + 1} ${rule.show(t)}`).join('; ')}`;
      out.push({ target, mode, check, ok: bad.length === 0, detail: detail.slice(0, 500) });
    }
  }
  return out;
}
