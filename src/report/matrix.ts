/**
 * The durability matrix: modes as rows, faults as columns, each cell what the restart kept of
 * the acknowledged writes. One block of rows per target, under one header, so the targets'
 * cells line up one above the other. Pure: result → string, no line wider than `width`.
 *
 * A cell is, over the (target, mode, fault) trials that completed:
 *   `0`            nothing acknowledged was lost in any trial
 *   `23% 1.2s`     median loss %, then the longest loss window of any trial that lost a write
 *   `100%`         everything lost (the window is then the whole write phase: not repeated)
 *   `refused`      every restart refused to start (`ref 1/3`: in 1 of 3 trials)
 *   `WRONG DATA`   a restart served values nobody wrote (red and bold with colour)
 *   `HALF TX`      a restart kept part of a transaction (the transaction workload; red, bold)
 *   `error`        every trial failed;  `skipped` the fault cannot run here;  `—` not run
 * and a `*` marks trials that ran traced (on the header when the whole column did).
 * Fault headers are abbreviated, and the cells shortened, only as far as the width needs;
 * past that the columns are split into several matrices.
 */
import type { RunResult, TrialResult } from '../shared/result.js';
import { paint, type Paint } from './color.js';
import { modeRank, targetRank, wrap } from './header.js';
import { max, median } from './stats.js';

export interface MatrixOptions {
  color?: boolean;
  /** maximum line width; 100 by default */
  width?: number;
}

/** Short fault names for the headers when the full ones do not fit (each ≤ 8 characters). */
export const FAULT_ABBREV: Readonly<Record<string, string>> = {
  sigkill: 'sigkill',
  'sigkill-during-bgsave': 'kill-bgs',
  'sigkill-during-rewrite': 'kill-rw',
  'sigkill-during-load': 'kill-ld',
  'slow-fsync': 'slowsync',
  sigterm: 'sigterm',
  'power-loss': 'power',
  'power-loss-torn': 'pwr-torn',
  'disk-full': 'diskfull',
  'torn-tail': 'torntail',
  corrupt: 'corrupt',
  pause: 'pause',
};

export function abbreviateFault(f: string): string {
  return Object.hasOwn(FAULT_ABBREV, f) ? FAULT_ABBREV[f]! : f.slice(0, 8);
}

/** The matrix is worth printing when the run is about more than a plain SIGKILL. */
export function wantsMatrix(result: RunResult): boolean {
  const faults = faultsOf(result);
  return faults.length > 1 || faults.some((f) => f !== 'sigkill');
}

interface Cell {
  /** full text, and the shortest acceptable text when space is tight */
  text: string;
  short: string;
  style: Paint | Paint[] | null;
  traced: boolean;
  /** not run: no trials at all */
  empty: boolean;
}

/** What one (target, mode, fault) cell shows; exported for tests. */
export function matrixCell(trials: readonly TrialResult[]): Cell {
  const traced = trials.some((t) => t.error === null && t.traced);
  const cell = (text: string, style: Cell['style'], short = text): Cell => ({ text, short, style, traced, empty: false });
  if (trials.length === 0) return { text: '—', short: '—', style: null, traced: false, empty: true };
  const ok = trials.filter((t) => t.error === null);
  if (ok.some((t) => t.outcome === 'wrong-data' || t.unexpected > 0 || t.duplicated > 0)) {
    return cell('WRONG DATA', ['red', 'bold'], 'WRONG!');
  }
  if (ok.some((t) => (t.partialTx ?? 0) > 0)) return cell('HALF TX', ['red', 'bold'], 'HALF!');
  // a fault this machine cannot run (no strace, no tmpfs) is skipped, not failed
  if (ok.length === 0) return trials.every((t) => t.error?.startsWith('skipped:')) ? cell('skipped', null, 'skip') : cell('error', 'red');
  const refused = ok.filter((t) => t.outcome === 'refused').length;
  if (refused === ok.length) return cell('refused', 'yellow');
  if (refused > 0) return cell(`ref ${refused}/${ok.length}`, 'yellow');
  const lostMax = max(ok.map((t) => t.lost));
  if (lostMax === 0) return cell('0', 'green');
  const pct = median(ok.map((t) => t.lossPct));
  const p = fmtLossPct(pct);
  if (pct >= 100) return cell(p, null);
  const window = max(ok.map((t) => t.lossWindowMs));
  return cell(`${p} ${fmtWindow(window)}`, null, p);
}

/** 100%, 23%, 2.5%, <1%, 0% — never "100%" for a loss that was not total. */
export function fmtLossPct(p: number): string {
  if (!Number.isFinite(p) || p <= 0) return '0%';
  if (p >= 100) return '100%';
  if (p >= 10) return `${Math.min(99, Math.round(p))}%`;
  if (p >= 1) return `${Number(p.toFixed(1))}%`;
  return '<1%';
}

/** A loss window in at most 4 characters: <.1s, 0.6s, 1.2s, 12s, 3m. */
export function fmtWindow(ms: number): string {
  if (!Number.isFinite(ms) || ms < 50) return '<.1s';
  if (ms < 9950) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 99_500) return `${Math.round(ms / 1000)}s`;
  return `${Math.round(ms / 60_000)}m`;
}

/** Renders the matrix; '' when the result has no trials. */
export function renderMatrix(result: RunResult, opts: MatrixOptions = {}): string {
  const color = opts.color ?? false;
  const width = opts.width ?? 100;
  if (result.trials.length === 0) return '';
  const faults = faultsOf(result);
  const targets = [...new Set([...result.scenario.targets, ...result.trials.map((t) => t.target)])].sort(
    (a, b) => targetRank(a) - targetRank(b),
  );
  const modes = [...new Set([...result.scenario.modes, ...result.trials.map((t) => t.mode)])].sort(
    (a, b) => modeRank(a) - modeRank(b),
  );
  const byKey = new Map<string, TrialResult[]>();
  for (const t of result.trials) {
    const k = `${t.target}\u0000${t.mode}\u0000${t.fault}`;
    const g = byKey.get(k);
    if (g) g.push(t);
    else byKey.set(k, [t]);
  }
  const cells = targets.map((tg) => modes.map((m) => faults.map((f) => matrixCell(byKey.get(`${tg}\u0000${m}\u0000${f}`) ?? []))));
  // a column run traced throughout carries the marker on its header instead of every cell
  const columnTraced = faults.map((_, j) => {
    const filled = cells.flatMap((rows) => rows.map((r) => r[j]!)).filter((c) => !c.empty);
    return filled.length > 0 && filled.every((c) => c.traced);
  });

  const modeW = Math.max(4, ...modes.map((m) => m.length));
  // widest first; a one-character separator is a rule, so cells like "23% 1.2s" stay apart
  const attempts: Layout[] = [
    { abbrev: false, sep: '  ', short: false },
    { abbrev: true, sep: '  ', short: false },
    { abbrev: true, sep: '│', short: false },
    { abbrev: true, sep: '│', short: true },
  ];
  let layout = attempts[0]!;
  let colW: number[] = [];
  let fits = false;
  const widthsFor = (a: (typeof attempts)[number]): number[] =>
    faults.map((f, j) => {
      const head = headText(f, a.abbrev, columnTraced[j]!);
      const texts = cells.flatMap((rows) => rows.map((r) => cellText(r[j]!, a.short, columnTraced[j]!)));
      return Math.max([...head].length, ...texts.map((t) => [...t].length));
    });
  for (const a of attempts) {
    colW = widthsFor(a);
    layout = a;
    fits = modeW + colW.reduce((s, w) => s + a.sep.length + w, 0) <= width;
    if (fits) break;
  }
  if (!fits) {
    // too many columns for any layout: split them, keeping full cells and wide separators
    layout = attempts[1]!;
    colW = widthsFor(layout);
  }

  // split the columns into chunks that fit (only when even the tightest layout is too wide)
  const chunks: number[][] = [];
  let cur: number[] = [];
  let used = modeW;
  faults.forEach((_, j) => {
    const w = layout.sep.length + colW[j]!;
    if (cur.length > 0 && used + w > width) {
      chunks.push(cur);
      cur = [];
      used = modeW;
    }
    cur.push(j);
    used += w;
  });
  if (cur.length > 0) chunks.push(cur);

  const sep = layout.sep;
  const pad = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - [...s].length));
  const out: string[] = [];
  const title =
    `Durability matrix — acknowledged writes lost, by mode and fault · ${targets.join(' vs ')} · seed ${result.scenario.seed}`;
  out.push(...wrap(title, width).split('\n').map((l) => paint(l, 'bold', color)));
  chunks.forEach((chunk, ci) => {
    if (ci > 0) out.push('');
    const line = (label: string, texts: string[], styles: Array<Cell['style']> = []): string =>
      (pad(label, modeW) + chunk.map((j, i) => paint(sep, 'dim', color && sep !== '  ') + paintCell(pad(texts[i]!, colW[j]!), styles[i] ?? null, color)).join('')).trimEnd();
    out.push(paint(line('mode', chunk.map((j) => headText(faults[j]!, layout.abbrev, columnTraced[j]!))), 'cyan', color));
    const ruleW = modeW + chunk.reduce((s, j) => s + sep.length + colW[j]!, 0);
    targets.forEach((tg, ti) => {
      if (targets.length > 1) {
        const label = `── ${tg} `;
        out.push(paint(label + '─'.repeat(Math.max(0, ruleW - [...label].length)), 'dim', color));
      }
      modes.forEach((m, mi) => {
        const row = cells[ti]![mi]!;
        out.push(
          line(
            m,
            chunk.map((j) => cellText(row[j]!, layout.short, columnTraced[j]!)),
            chunk.map((j) => row[j]!.style),
          ),
        );
      });
    });
  });
  const halfTx = cells.flat(2).some((c) => c.text === 'HALF TX');
  out.push(...legend(faults, layout.abbrev, cells.flat(2).some((c) => c.traced), width, halfTx));
  return out.join('\n');
}

interface Layout {
  abbrev: boolean;
  sep: string;
  short: boolean;
}

function headText(f: string, abbrev: boolean, traced: boolean): string {
  return `${abbrev ? abbreviateFault(f) : f}${traced ? '*' : ''}`;
}

function cellText(c: Cell, short: boolean, columnTraced: boolean): string {
  return `${short ? c.short : c.text}${c.traced && !columnTraced ? '*' : ''}`;
}

function paintCell(s: string, style: Cell['style'], color: boolean): string {
  if (style === null || !color) return s;
  // paint the text, not the padding
  const text = s.trimEnd();
  return paint(text, style, true) + s.slice(text.length);
}

function legend(faults: readonly string[], abbrev: boolean, traced: boolean, width: number, halfTx: boolean): string[] {
  const lines = [
    'Cell: median loss over trials, then the longest loss window when a write was lost; 0 = nothing lost. ' +
      'refused = the restart refused to start (ref n/m: in n of m trials) · WRONG DATA (WRONG!) = served values ' +
      'nobody wrote · error = every trial failed · skipped = the fault cannot run on this machine or target (see durabench doctor and the reason) · — = not run.' +
      (halfTx ? ' HALF TX (HALF!) = a restart kept part of a transaction: atomicity violated.' : ''),
  ];
  if (traced) lines.push('* ran under a syscall tracer: its throughput and latency are not comparable with untraced trials.');
  if (abbrev) {
    const named = faults.filter((f) => abbreviateFault(f) !== f).map((f) => `${abbreviateFault(f)} = ${f}`);
    if (named.length > 0) lines.push(`Faults: ${named.join(' · ')}.`);
  }
  return lines.flatMap((l) => wrap(l, width).split('\n'));
}

function faultsOf(result: RunResult): string[] {
  return [...new Set<string>([...(result.scenario.faults ?? []), ...result.trials.map((t) => t.fault)])];
}
