import type { RunEvent } from '../harness/run.js';
import type { TrialPhase } from '../harness/trial-spec.js';
import type { TrialResult } from '../shared/result.js';
import { statusLine } from './status-line.js';

/**
 * Progress for `durabench run`: it only listens to the run's events (as autocannon's bar
 * does) and writes to a stream — a live status line on a TTY, plain lines otherwise.
 */
const PHASES: Record<TrialPhase, string> = {
  start: 'starting the server',
  preload: 'preloading',
  write: 'writing',
  fault: 'fault injected, measuring the disk',
  recover: 'restarting (recovery)',
  check: 'reading back, checking',
};

/** Progress: listens to run events, writes to a stream (stderr). */
export function progress(out: NodeJS.WriteStream, live: boolean): (e: RunEvent) => void {
  let current = '';
  let manyFaults = false;
  const { status, line } = statusLine(out, live);
  return (e) => {
    switch (e.type) {
      case 'start': {
        const s = e.scenario;
        const versions = Object.entries(e.targetVersions).map(([k, v]) => `${k}: ${v}`).join(', ');
        const nf = s.faults.length;
        manyFaults = nf > 1;
        line(
          `durabench run "${s.name}": ${e.total} trials (${s.modes.length} modes × ${s.trials} × ` +
            `${s.targets.length} target${s.targets.length > 1 ? 's' : ''}${nf > 1 ? ` × ${nf} faults` : ''}), ` +
            `fault${nf > 1 ? 's' : ''} ${s.faults.join(', ')}, workload ${s.workload}, seed ${s.seed} — ${versions}`,
        );
        break;
      }
      case 'trial-start':
        current = `[${e.index + 1}/${e.total}] ${e.target} ${e.mode}${manyFaults ? ` @${e.fault}` : ''} #${e.trial + 1} (${e.plan})`;
        break;
      case 'phase':
        status(`${current} · ${PHASES[e.phase]}`);
        break;
      case 'trial':
        line(trialLine(e.result, e.index, e.total, e.note, e.dir, manyFaults));
        break;
      case 'done':
        line(`done in ${(e.result.wallMs / 1000).toFixed(1)} s`);
        break;
    }
  };
}

export function trialLine(
  t: TrialResult,
  index: number,
  total: number,
  note: string | null,
  dir: string | null,
  withFault = false,
): string {
  const head = `[${index + 1}/${total}] ${t.target} ${t.mode}${withFault ? ` @${t.fault}` : ''} #${t.trial + 1}`;
  const kept = dir ? ` (kept ${dir})` : '';
  if (t.error) return `${head}: FAILED: ${t.error}${kept}`;
  if (t.outcome === 'refused') {
    return `${head}: REFUSED to restart${t.outcomeDetail ? `: ${t.outcomeDetail}` : ''} (acked ${t.acked})${note ? ` · ${note}` : ''}${kept}`;
  }
  if (t.outcome === 'wrong-data') {
    return `${head}: WRONG DATA: ${t.unexpected} unexpected, ${t.duplicated} duplicated; acked ${t.acked}, lost ${t.lost}${note ? ` · ${note}` : ''}${kept}`;
  }
  const rec = t.recoveryMs === null ? '—' : `${t.recoveryMs.toFixed(1)} ms`;
  return (
    `${head}: acked ${t.acked}, lost ${t.lost} (${t.lossPct}%), recovered ${t.recovered}, ` +
    `${t.throughputOps} ops/s${t.traced ? ' (traced)' : ''}, recovery ${rec}${note ? ` · ${note}` : ''}${kept}`
  );
}

