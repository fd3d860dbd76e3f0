/**
 * Per-fault tables: what each fault did, from the figures it left in the trials'
 * `faultDetail` (bytes a power cut dropped, the error a full disk gave, the file a tear cut
 * ...), with the restart's outcome class and, shortened, its reason. One table per fault kind
 * whose trials carry figures; rows mode × target; columns the detail keys present (friendly
 * headers for the known keys, the raw key otherwise). Pure: result → string.
 */
import type { RunResult, TrialResult } from '../shared/result.js';
import { OUTCOMES } from '../shared/result.js';
import { paint } from './color.js';
import { renderFitted, type Column } from './fit.js';
import { fmtBytes, fmtNum } from './format.js';
import { modeRank, targetRank, wrap } from './header.js';
import { max, median, min } from './stats.js';

interface DetailSpec {
  head: string;
  unit?: string;
  fmt?: (x: number) => string;
}

const bytes = (head: string): DetailSpec => ({ head, unit: 'bytes', fmt: fmtBytes });
const ms = (head: string): DetailSpec => ({ head, unit: 'ms' });

/** Keys the faults report (see each fault), in display order. Unknown keys show raw, after these. */
export const DETAIL_KEYS: Readonly<Record<string, DetailSpec>> = {
  // power-loss, power-loss-torn
  trace_bytes: bytes('trace'),
  trace_lines: { head: 'trace\nlines' },
  replay_ms: ms('replay'),
  dropped_bytes: bytes('dropped\n(unsynced)'),
  files_reverted: { head: 'files\nreverted' },
  durable_horizon_ms: ms('AOF last\nsynced before\nthe kill'),
  torn_bytes_kept: bytes('torn bytes\nkept'),
  // disk-full
  fs_bytes: bytes('file system'),
  first_refused_ms: ms('first write\nrefused at'),
  refusal_error: { head: 'refusal\nerror' },
  server_state: { head: 'server\nstate' },
  acked_after_full: { head: 'acked after\nfull' },
  // torn-tail
  cut_file: { head: 'cut file' },
  cut_bytes: bytes('cut'),
  // corrupt
  corrupt_file: { head: 'corrupted\nfile' },
  flipped_bytes: { head: 'flipped\nbytes' },
  corrupt_offset: { head: 'at offset' },
  // pause
  pause_ms: ms('pause'),
  client_timeouts: { head: 'client\ntimeouts' },
  // sigkill-during-load
  killed_during_load: { head: 'killed\nwhile loading' },
  load_killed_after_ms: ms('killed after\n(into load)'),
  // slow-fsync
  fsync_delay_ms: ms('each fsync\nheld'),
  killed_into_fsync_ms: ms('killed into\nan fsync'),
  fsync_file: { head: 'file being\nsynced' },
  in_sync_at_kill: { head: 'in sync at\nthe kill\n(/proc)' },
};

export interface FaultTableOptions {
  color?: boolean;
  width?: number;
  /** the title's context (targets, seed); see renderTables */
  context?: string;
}

const DETAIL_CHARS = 40;

export function renderFaultTables(result: RunResult, opts: FaultTableOptions = {}): string {
  const color = opts.color ?? false;
  const width = opts.width ?? 100;
  const byFault = new Map<string, TrialResult[]>();
  for (const t of result.trials) {
    const g = byFault.get(t.fault);
    if (g) g.push(t);
    else byFault.set(t.fault, [t]);
  }
  const parts: string[] = [];
  for (const [fault, trials] of byFault) {
    if (!trials.some((t) => t.faultDetail !== null && t.faultDetail !== undefined)) continue;
    parts.push(renderOne(fault, trials, { color, width, context: opts.context }));
  }
  return parts.join('\n\n');
}

function renderOne(fault: string, trials: TrialResult[], o: Required<Pick<FaultTableOptions, 'color' | 'width'>> & FaultTableOptions): string {
  const keys = detailKeys(trials);
  const groups = new Map<string, TrialResult[]>();
  for (const t of [...trials].sort((a, b) => modeRank(a.mode) - modeRank(b.mode) || targetRank(a.target) - targetRank(b.target))) {
    const k = `${t.mode}\u0000${t.target}`;
    const g = groups.get(k);
    if (g) g.push(t);
    else groups.set(k, [t]);
  }
  const rows = [...groups.values()];
  const showTarget = new Set(trials.map((t) => t.target)).size > 1;
  const cols: Column[] = [{ head: 'mode', align: 'left', cells: rows.map((g) => g[0]!.mode) }];
  if (showTarget) cols.push({ head: 'target', align: 'left', cells: rows.map((g) => g[0]!.target) });
  const values: Column[] = keys.map((k) => {
    const spec = Object.hasOwn(DETAIL_KEYS, k) ? DETAIL_KEYS[k]! : { head: k };
    return {
      head: spec.unit ? `${spec.head}\n(${spec.unit})` : spec.head,
      align: 'right',
      cells: rows.map((g) => detailCell(g, k, spec.fmt ?? fmtNum)),
    };
  });
  values.push({ head: 'outcome', align: 'left', cells: rows.map((g) => outcomeCell(g, o.color)) });
  const reasons = rows.map((g) => reasonCell(g));
  if (reasons.some((r) => r !== '')) values.push({ head: 'restart said', align: 'left', cells: reasons });
  const title = paint(wrap(`Fault ${fault}: what it did${o.context ? ` — ${o.context}` : ''}`, o.width - 12), 'bold', o.color);
  return renderFitted(title, cols, values, { color: o.color, maxWidth: o.width });
}

/** Keys present in any trial: known ones in DETAIL_KEYS order, then the others as first seen. */
export function detailKeys(trials: readonly TrialResult[]): string[] {
  const seen: string[] = [];
  for (const t of trials) for (const k of Object.keys(t.faultDetail ?? {})) if (!seen.includes(k)) seen.push(k);
  const known = Object.keys(DETAIL_KEYS).filter((k) => seen.includes(k));
  return [...known, ...seen.filter((k) => !Object.hasOwn(DETAIL_KEYS, k))];
}

/** Numbers: median, and the min–max range below when trials differ. Text: the distinct values. */
function detailCell(trials: readonly TrialResult[], key: string, fmt: (x: number) => string): string {
  const vals = trials.map((t) => t.faultDetail?.[key]).filter((v): v is number | string => v !== null && v !== undefined);
  const nums = vals.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const texts = [...new Set(vals.filter((v): v is string => typeof v === 'string'))];
  if (nums.length === 0 && texts.length === 0) return '—';
  const parts: string[] = [];
  if (nums.length > 0) {
    const m = fmt(median(nums));
    const lo = fmt(min(nums));
    const hi = fmt(max(nums));
    parts.push(nums.length > 1 && lo !== hi ? `${m}\n${lo}–${hi}` : m);
  }
  if (texts.length > 0) {
    const shown = texts.slice(0, 2).map((s) => shorten(s, 24));
    parts.push(shown.join('\n') + (texts.length > 2 ? `\n+${texts.length - 2} more` : ''));
  }
  return parts.join('\n');
}

/** "intact", "lost-writes 2 · refused 1", "2 failed" ... in OUTCOMES order. */
function outcomeCell(trials: readonly TrialResult[], color: boolean): string {
  const parts: string[] = [];
  const counts = OUTCOMES.map((o) => [o, trials.filter((t) => t.error === null && t.outcome === o).length] as const).filter(
    ([, n]) => n > 0,
  );
  for (const [o, n] of counts) {
    const text = counts.length === 1 && n === trials.length ? o : `${o} ${n}`;
    parts.push(o === 'wrong-data' ? paint(text.toUpperCase(), ['red', 'bold'], color) : o === 'refused' ? paint(text, 'yellow', color) : text);
  }
  const failed = trials.filter((t) => t.error !== null).length;
  if (failed > 0) parts.push(paint(`${failed} failed`, 'red', color));
  const unjudged = trials.filter((t) => t.error === null && (t.outcome === null || t.outcome === undefined)).length;
  if (unjudged > 0) parts.push(`${unjudged} not judged`);
  return parts.join('\n');
}

function reasonCell(trials: readonly TrialResult[]): string {
  const reasons = [...new Set(trials.map((t) => t.outcomeDetail).filter((r): r is string => typeof r === 'string' && r !== ''))];
  if (reasons.length === 0) return '';
  return shorten(reasons[0]!, DETAIL_CHARS) + (reasons.length > 1 ? `\n(+${reasons.length - 1} other)` : '');
}

function shorten(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  const chars = [...one];
  return chars.length <= n ? one : `${chars.slice(0, n - 1).join('')}…`;
}
