import type { RunEvent } from '../harness/run.js';
import type { TrialPhase } from '../harness/trial-spec.js';
import type { TrialResult } from '../shared/result.js';

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
  let shown = false;
  const status = (s: string): void => {
    if (!live) return;
    const cols = Math.max(20, (out.columns || 100) - 1);
    out.write(`\r${s.length > cols ? `${s.slice(0, cols - 1)}…` : s}\x1b[K`);
    shown = true;
  };
  const line = (s: string): void => {
    if (shown) out.write('\r\x1b[K');
    shown = false;
    out.write(`${s}\n`);
  };
  return (e) => {
    switch (e.type) {
      case 'start': {
        const s = e.scenario;
        const versions = Object.entries(e.targetVersions).map(([k, v]) => `${k}: ${v}`).join(', ');
        line(`durabench run "${s.name}": ${e.total} trials (${s.modes.length} modes × ${s.trials} × ${s.targets.length} target${s.targets.length > 1 ? 's' : ''}), fault ${s.fault}, workload ${s.workload}, seed ${s.seed} — ${versions}`);
        break;
      }
      case 'trial-start':
        current = `[${e.index + 1}/${e.total}] ${e.target} ${e.mode} #${e.trial + 1} (${e.plan})`;
        break;
      case 'phase':
        status(`${current} · ${PHASES[e.phase]}`);
        break;
      case 'trial':
        line(trialLine(e.result, e.index, e.total, e.note, e.dir));
        break;
      case 'done':
        line(`done in ${(e.result.wallMs / 1000).toFixed(1)} s`);
        break;
    }
  };
}

function trialLine(t: TrialResult, index: number, total: number, note: string | null, dir: string | null): string {
  const head = `[${index + 1}/${total}] ${t.target} ${t.mode} #${t.trial + 1}`;
  const kept = dir ? ` (kept ${dir})` : '';
  if (t.error) return `${head}: FAILED: ${t.error}${kept}`;
  const rec = t.recoveryMs === null ? '—' : `${t.recoveryMs.toFixed(1)} ms`;
  return (
    `${head}: acked ${t.acked}, lost ${t.lost} (${t.lossPct}%), recovered ${t.recovered}, ` +
    `${t.throughputOps} ops/s, recovery ${rec}${note ? ` · ${note}` : ''}${kept}`
  );
}

