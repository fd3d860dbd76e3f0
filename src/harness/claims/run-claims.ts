/**
 * The claims a kill-and-restart run decides: no persistence is fastest (1), RDB loses what
 * came after the last snapshot (2), AOF is more durable (6), rdb+aof restarts from the AOF
 * (7), what each fsync policy loses on a power cut (9), and that a full disk leaves an AOF
 * the server loads (10). Pure functions of one target's trials → a verdict with its rule stated.
 */
import type { RunResult, TrialResult } from '../../shared/result.js';
import type { Timeline } from '../../shared/timeline.js';
import { MODES, type FaultKind, type Mode, type TargetKind } from '../../shared/types.js';
import { hasAof } from '../targets/modes.js';
import { fmtPct, median, trialErrors, trialsOf } from './figures.js';
import type { Judged } from './sweep-claims.js';

const POWER: FaultKind[] = ['power-loss'];
const KILL: FaultKind[] = ['sigkill'];
const notMeasured = (rule: string, why: string, figures: Record<string, number | null> = {}): Judged => ({ verdict: 'not measured', rule, evidence: why, figures });

/** Why a fault's trials are missing: their errors, or that none ran. */
function missing(runs: readonly RunResult[], target: TargetKind, faults: FaultKind[], what: string): string {
  const errs = trialErrors(runs, target, faults);
  return errs.length > 0 ? `${what}: ${errs[0]}` : `no ${faults.join('/')} trials of ${what} for this target`;
}

const fmtOps = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(1)}k` : x.toFixed(0));

export const FASTEST_RULE = "held: none's median throughput ≥ 0.95 × every other mode's (closed loop, untraced trials, same run)";
export function noneFastest(runs: readonly RunResult[], target: TargetKind): Judged {
  const closed = runs.filter((r) => r.scenario.rate === 0);
  const faults = [...new Set(closed.flatMap((r) => r.trials.filter((t) => !t.traced).map((t) => t.fault)))];
  const byMode = new Map<Mode, number>();
  const modes = [...new Set(closed.flatMap((r) => r.trials).filter((t) => t.target === target).map((t) => t.mode))];
  for (const m of modes) {
    const xs = trialsOf(closed, target, m, faults).filter((t) => !t.traced).map((t) => t.throughputOps);
    if (xs.length > 0) byMode.set(m, median(xs));
  }
  const none = byMode.get('none');
  const others = [...byMode.entries()].filter(([m]) => m !== 'none');
  if (none === undefined || others.length === 0) return notMeasured(FASTEST_RULE, 'needs untraced closed-loop trials of none and another mode');
  const [fastMode, fast] = others.reduce((a, b) => (b[1] > a[1] ? b : a));
  const figures = Object.fromEntries([...byMode.entries()].map(([m, x]) => [`throughput_ops_${m}`, x]));
  const evidence = `none ${fmtOps(none)} ops/s; fastest other ${fastMode} ${fmtOps(fast)} ops/s (none ÷ it = ${(none / Math.max(1, fast)).toFixed(2)})`;
  return { verdict: none >= 0.95 * fast ? 'held' : 'did not hold', rule: FASTEST_RULE, evidence, figures };
}

/** The start of the last snapshot that completed before the kill (ms in the timeline), else 0: the preload's. */
export function lastCompletedSnapshot(t: Timeline): { startMs: number; killMs: number } | null {
  const kill = t.markers.find((m) => m.kind === 'fault');
  if (!kill) return null;
  let open: number | null = null;
  let last = 0;
  for (const m of t.markers) {
    if (m.tMs > kill.tMs) break;
    if (m.kind === 'snapshot-start') open = m.tMs;
    if (m.kind === 'snapshot-end' && open !== null) {
      last = open;
      open = null;
    }
  }
  return { startMs: last, killMs: kill.tMs };
}

const SLACK_MS = 50;
export const RDB_RULE = `held: in every rdb trial killed by SIGKILL, writes were lost and none acknowledged before the last completed snapshot began (loss window ≤ kill − that start + ${SLACK_MS} ms)`;
export function rdbLosesSinceSnapshot(runs: readonly RunResult[], target: TargetKind): Judged {
  const ts = trialsOf(runs, target, 'rdb', KILL).filter((t) => t.timeline !== null && lastCompletedSnapshot(t.timeline) !== null);
  if (ts.length === 0) return notMeasured(RDB_RULE, missing(runs, target, KILL, 'rdb trials with a timeline'));
  const bad: string[] = [];
  const windows: string[] = [];
  for (const t of ts) {
    const { startMs, killMs } = lastCompletedSnapshot(t.timeline!)!;
    const since = killMs - startMs;
    windows.push(`lost ${fmtPct(t.lossPct)} reaching ${(t.lossWindowMs / 1000).toFixed(2)} s back; last snapshot began ${(since / 1000).toFixed(2)} s before the kill`);
    if (t.lost === 0 && t.acked > 0) bad.push('nothing lost');
    if (t.lossWindowMs > since + SLACK_MS) bad.push(`loss reaches ${(t.lossWindowMs - since).toFixed(0)} ms before the snapshot`);
  }
  const figures = { trials: ts.length, loss_pct_median: median(ts.map((t) => t.lossPct)), loss_window_ms_max: Math.max(...ts.map((t) => t.lossWindowMs)) };
  return { verdict: bad.length === 0 ? 'held' : 'did not hold', rule: RDB_RULE, evidence: `${ts.length} trial(s): ${windows[0]}${bad.length ? ` — ${bad[0]}` : ''}`, figures };
}

const medLoss = (ts: TrialResult[]): number => median(ts.map((t) => t.lossPct));

export const DURABLE_RULE = "held: aof-everysec's median loss ≤ rdb's after SIGKILL and after a power cut, and lower after at least one";
export function aofMoreDurable(runs: readonly RunResult[], target: TargetKind): Judged {
  const parts: { fault: string; aof: number; rdb: number }[] = [];
  for (const [name, faults] of [['SIGKILL', KILL], ['power cut', POWER]] as const) {
    const aof = trialsOf(runs, target, 'aof-everysec', faults);
    const rdb = trialsOf(runs, target, 'rdb', faults);
    if (aof.length === 0 || rdb.length === 0) return notMeasured(DURABLE_RULE, missing(runs, target, faults, `aof-everysec and rdb after a ${name}`));
    parts.push({ fault: name, aof: medLoss(aof), rdb: medLoss(rdb) });
  }
  const ok = parts.every((p) => p.aof <= p.rdb) && parts.some((p) => p.aof < p.rdb);
  const figures = Object.fromEntries(parts.flatMap((p) => [[`aof_everysec_loss_pct_${p.fault.replace(' ', '_')}`, p.aof], [`rdb_loss_pct_${p.fault.replace(' ', '_')}`, p.rdb]]));
  const evidence = parts.map((p) => `${p.fault}: aof-everysec lost ${fmtPct(p.aof)}, rdb ${fmtPct(p.rdb)}`).join('; ');
  return { verdict: ok ? 'held' : 'did not hold', rule: DURABLE_RULE, evidence, figures };
}

export const BOTH_RULE = 'held: rdb+aof lost 0 acknowledged writes after SIGKILL in every trial, while rdb alone lost some in the same runs (so the restart read the AOF)';
export function rdbAofRestartsFromAof(runs: readonly RunResult[], target: TargetKind): Judged {
  const both = trialsOf(runs, target, 'rdb+aof', KILL);
  const rdb = trialsOf(runs, target, 'rdb', KILL);
  if (both.length === 0 || rdb.length === 0) return notMeasured(BOTH_RULE, missing(runs, target, KILL, 'rdb+aof and rdb'));
  const figures = { rdb_aof_lost_max: Math.max(...both.map((t) => t.lost)), rdb_loss_pct_median: medLoss(rdb) };
  const evidence = `rdb+aof lost ${figures.rdb_aof_lost_max} at most over ${both.length} trial(s); rdb alone lost ${fmtPct(figures.rdb_loss_pct_median)}`;
  if (figures.rdb_aof_lost_max > 0 || both.some((t) => t.outcome !== 'intact')) return { verdict: 'did not hold', rule: BOTH_RULE, evidence, figures };
  if (rdb.every((t) => t.lost === 0)) return notMeasured(BOTH_RULE, `${evidence}: an RDB restart would have looked the same`, figures);
  return { verdict: 'held', rule: BOTH_RULE, evidence, figures };
}

export const FSYNC_RULE = 'held, after a power cut: aof-always lost 0 in every trial; aof-everysec lost at most 2 s of writes (loss window ≤ 2000 ms); aof-no lost at least as much as everysec (median)';
export function fsyncPolicies(runs: readonly RunResult[], target: TargetKind): Judged {
  const always = trialsOf(runs, target, 'aof-always', POWER);
  const every = trialsOf(runs, target, 'aof-everysec', POWER);
  const no = trialsOf(runs, target, 'aof-no', POWER);
  if (always.length === 0 || every.length === 0 || no.length === 0) return notMeasured(FSYNC_RULE, missing(runs, target, POWER, 'aof-always, aof-everysec and aof-no after a power cut'));
  const crash = [...new Set(runs.filter((r) => r.trials.some((t) => t.fault === 'power-loss')).map((r) => r.scenario.crashModel))].join('/');
  const figures = {
    aof_always_lost_max: Math.max(...always.map((t) => t.lost)),
    aof_everysec_loss_window_ms_max: Math.max(...every.map((t) => t.lossWindowMs)),
    aof_everysec_loss_pct_median: medLoss(every),
    aof_no_loss_pct_median: medLoss(no),
  };
  const ok = figures.aof_always_lost_max === 0 && figures.aof_everysec_loss_window_ms_max <= 2000 && figures.aof_no_loss_pct_median >= figures.aof_everysec_loss_pct_median;
  const evidence =
    `always lost ${figures.aof_always_lost_max}; everysec ${fmtPct(figures.aof_everysec_loss_pct_median)} reaching ${(figures.aof_everysec_loss_window_ms_max / 1000).toFixed(2)} s back; ` +
    `no ${fmtPct(figures.aof_no_loss_pct_median)} (crash model ${crash}, ${always.length} trial(s))`;
  return { verdict: ok ? 'held' : 'did not hold', rule: FSYNC_RULE, evidence, figures };
}

const FULL: FaultKind[] = ['disk-full'];
export const AOF_MODES: Mode[] = MODES.filter(hasAof);
export const FULL_DISK_RULE = 'held: after a disk-full trial (writes refused, the server killed while the disk was full) every AOF mode restarted from its files and served no value nobody wrote';
/**
 * The docs ("What should I do if my AOF gets truncated?"): when the volume was full, "the AOF
 * still contains consistent data … but the last command in the AOF could be truncated", and
 * the server loads it anyway. redis-server 7.0 does not once it has rewritten its AOF: the
 * rewrite's incr file has no O_APPEND, and a cut-off short write leaves a hole of zeros.
 */
export function fullDiskAofLoads(runs: readonly RunResult[], target: TargetKind): Judged {
  const ts = AOF_MODES.flatMap((m) => trialsOf(runs, target, m, FULL));
  if (ts.length === 0) return notMeasured(FULL_DISK_RULE, missing(runs, target, FULL, 'AOF modes after a full disk'));
  const refused = ts.filter((t) => t.outcome === 'refused');
  const wrong = ts.filter((t) => t.unexpected > 0);
  const figures = { trials: ts.length, refused: refused.length, wrong_data: wrong.length, lost_max: Math.max(...ts.map((t) => t.lost)) };
  const first = refused[0] ?? wrong[0];
  const evidence =
    `${ts.length} trial(s): ${refused.length} refused to restart, ${wrong.length} served wrong data, at most ${figures.lost_max} acknowledged writes lost` +
    (first ? ` — ${first.mode}: ${first.outcomeDetail ?? first.outcome}` : '');
  return { verdict: refused.length === 0 && wrong.length === 0 ? 'held' : 'did not hold', rule: FULL_DISK_RULE, evidence, figures };
}
