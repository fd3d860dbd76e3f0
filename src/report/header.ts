import type { RunResult, TrialResult } from '../shared/result.js';
import { MODES, TARGETS } from '../shared/types.js';
import { fmtBytes, fmtDuration } from './format.js';
import { loadWorkers, type WorkersSetting } from '../shared/load-workers.js';

/** What every report prints first: tool, scenario, seed, fault, targets and versions. */
export function renderRunHeader(r: RunResult, width: number): string {
  const s = r.scenario;
  const lines: string[] = [];
  lines.push(`durabench ${r.tool.version} — scenario "${s.name}"${s.description ? `: ${s.description}` : ''}`);
  lines.push(
    [
      `seed ${s.seed}`,
      `${s.faults.length > 1 ? 'faults' : 'fault'} ${s.faults.join(', ')}`,
      `workload ${s.workload}`,
      `${s.trials} trial${s.trials === 1 ? '' : 's'}/mode`,
      `${s.clients} clients × pipeline ${s.pipeline}`,
      `${workersText(s.workers, s.clients, r.environment.cores)}`,
      s.rate > 0 ? `rate ${s.rate} ops/s` : 'closed loop',
      `values ${fmtBytes(s.valueSize)}`,
      `preload ${s.preload} keys`,
    ].join(' · '),
  );
  const versions = r.environment.targetVersions ?? {};
  const targets = s.targets.length > 0 ? s.targets : uniq(r.trials.map((t) => t.target));
  lines.push(`targets: ${targets.map((t) => `${t} (${versions[t] ?? 'version unknown'})`).join(', ')}`);
  const e = r.environment;
  lines.push(
    `node ${e.node} · ${e.os} · ${e.cores} × ${e.cpu} · ${fmtBytes(e.memoryBytes)} RAM · ` +
      `started ${r.startedAt} · wall ${fmtDuration(r.wallMs)}`,
  );
  lines.push('Cells: median over trials; min–max below it when trials differ. — = not measured.');
  return lines.map((l) => wrap(l, width)).join('\n');
}

/** "1 load thread", "auto: 3 load threads" (auto resolved with the run's core count). */
function workersText(w: WorkersSetting, clients: number, cores: number): string {
  const n = loadWorkers(w, clients, cores);
  return `${w === 'auto' ? 'auto: ' : ''}${n} load thread${n === 1 ? '' : 's'}`;
}

/** Mode → the server flags it mapped to (first trial of each mode), wrapped to width. */
export function renderModeFlags(trials: readonly TrialResult[], width: number): string {
  const byMode = new Map<string, string[]>();
  for (const t of sortTrials(trials)) if (!byMode.has(t.mode)) byMode.set(t.mode, t.flags);
  if (byMode.size === 0) return '';
  const pad = Math.max(...[...byMode.keys()].map((m) => m.length)) + 2;
  const out = ['Mode flags:'];
  for (const [mode, flags] of byMode) {
    const text = flags.map(quoteArg).join(' ');
    const wrapped = wrap(text, Math.max(20, width - pad - 2)).split('\n');
    wrapped.forEach((l, i) => out.push(`  ${(i === 0 ? mode : '').padEnd(pad)}${l}`));
  }
  return out.join('\n');
}

function quoteArg(a: string): string {
  return a === '' || /[\s"'\\]/.test(a) ? JSON.stringify(a) : a;
}

export function sortTrials<T extends { mode: string; target: string }>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => modeRank(a.mode) - modeRank(b.mode) || targetRank(a.target) - targetRank(b.target));
}

export function modeRank(m: string): number {
  const i = (MODES as readonly string[]).indexOf(m);
  return i < 0 ? MODES.length : i;
}

export function targetRank(t: string): number {
  const i = (TARGETS as readonly string[]).indexOf(t);
  return i < 0 ? TARGETS.length : i;
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Greedy word wrap; continuation lines are indented by two spaces. */
export function wrap(text: string, width: number): string {
  if ([...text].length <= width) return text;
  // a leading indent (a list item's) stays on the first line; continuations go 2 deeper
  const indent = /^ */.exec(text)![0];
  const words = text.slice(indent.length).split(' ');
  const lines: string[] = [];
  let cur = indent;
  for (const w of words) {
    const candidate = cur === indent ? `${indent}${w}` : `${cur} ${w}`;
    if ([...candidate].length > width && cur !== indent) {
      lines.push(cur);
      cur = `${indent}  ${w}`;
    } else {
      cur = candidate;
    }
  }
  if (cur !== indent) lines.push(cur);
  // A single word longer than the width is cut hard.
  return lines
    .flatMap((l) => {
      const chars = [...l];
      const parts: string[] = [];
      for (let i = 0; i < chars.length; i += width) parts.push(chars.slice(i, i + width).join(''));
      return parts;
    })
    .join('\n');
}
