import type { SanityVerdict, TrialResult } from '../shared/result.js';
import { paint } from './color.js';
import { sortTrials, wrap } from './header.js';

/**
 * The sanity verdicts (from the harness) as a block. All passing: one quiet line plus the
 * checks. Any failure: a loud banner, because a `none` run that did not lose everything or
 * an `aof-always` run that lost an acknowledged write means the tool or the server is wrong.
 */
export function renderSanity(verdicts: readonly SanityVerdict[], color: boolean, width: number): string {
  if (verdicts.length === 0) return 'Sanity checks: none recorded in this result.';
  const failed = verdicts.filter((v) => !v.ok);
  const out: string[] = [];
  if (failed.length === 0) {
    out.push(paint(`Sanity checks: all ${verdicts.length} passed.`, 'green', color));
  } else {
    const bar = '!'.repeat(Math.min(width, 78));
    out.push(paint(bar, ['red', 'bold'], color));
    out.push(
      paint(
        `!! SANITY CHECK FAILED (${failed.length} of ${verdicts.length}): THE TOOL OR THE SERVER IS WRONG.`,
        ['red', 'bold'],
        color,
      ),
    );
    out.push(paint('!! Do not trust the numbers above until this is explained.', ['red', 'bold'], color));
    for (const v of failed) {
      for (const line of wrap(explain(v), width - 3).split('\n')) {
        out.push(paint(`!! ${line.replace(/^ {2}/, '')}`, ['red', 'bold'], color));
      }
    }
    out.push(paint(bar, ['red', 'bold'], color));
  }
  for (const v of sortTrials(verdicts)) {
    const mark = v.ok ? paint('ok  ', 'green', color) : paint('FAIL', ['red', 'bold'], color);
    out.push(wrap(`  ${mark} ${v.target} ${v.mode}: ${v.check}${v.detail ? ` — ${v.detail}` : ''}`, width));
  }
  return out.join('\n');
}

function explain(v: SanityVerdict): string {
  const where = `${v.target} ${v.mode}`;
  const what = v.detail || v.check;
  // The certainties the design names get their own sentence; other checks speak for themselves.
  const power = /power loss/i.test(v.check);
  if (v.mode === 'none' && /loses? every|everything/i.test(v.check)) {
    return `${where}: mode 'none' did not lose everything after the ${power ? 'power loss' : 'kill'} (${what}). ` +
      'Either the fault did not land or the server persisted data it was told not to.';
  }
  if (v.mode === 'aof-always' && /loses? no|nothing/i.test(v.check)) {
    return `${where}: mode 'aof-always' lost an acknowledged write (${what}). ` +
      `A write acknowledged after fsync must survive ${power ? 'a power loss' : 'a process kill'}.`;
  }
  if (/WRONG DATA/.test(v.detail)) {
    return `${where}: the restarted server served WRONG DATA (${what}): values nobody wrote. ` +
      'Losing writes can be a price; returning wrong data never is.';
  }
  if (/refuse/i.test(v.check)) {
    return `${where}: the server refused to start on what the fault left (${what}), ` +
      'though that fault leaves files a correct server must start from.';
  }
  return `${where}: expected "${v.check}", but ${v.detail || 'it did not hold'}.`;
}

/** Failed trials, listed so a crash is never hidden behind the medians. */
export function renderTrialErrors(trials: readonly TrialResult[], color: boolean, width: number): string {
  const failed = sortTrials(trials.filter((t) => t.error !== null));
  if (failed.length === 0) return '';
  const out = [
    paint(
      `${failed.length} of ${trials.length} trials FAILED (excluded from the statistics above; gates on them fail):`,
      ['red', 'bold'],
      color,
    ),
  ];
  for (const t of failed) {
    const line = `  ${t.target} ${t.mode} ${t.fault} trial ${t.trial}: ${oneLine(t.error ?? '')}`;
    out.push(paint(truncate(line, width), 'red', color));
  }
  return out.join('\n');
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ⏎ ');
}

function truncate(s: string, width: number): string {
  const chars = [...s];
  return chars.length <= width ? s : chars.slice(0, width - 1).join('') + '…';
}
