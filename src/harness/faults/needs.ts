/**
 * What a fault needs of a target beyond start, signals and its address, and why it cannot run
 * on one that lacks it. A fault that cannot run on a target is skipped there with the reason
 * (reported "not measured"), never half-run: e.g. an external target whose file names no
 * dataDir cannot have its files torn.
 */
import type { FaultKind } from '../../shared/types.js';
import type { TargetCaps } from '../targets/target.js';

export interface FaultNeeds {
  /** runs the server under a tracer or reads its process: only a server durabench spawns */
  launch?: boolean;
  /** `own`: the trial's own directory is the server's (a tmpfs mounted there is its disk); `files`: any readable, changeable path */
  dataDir?: 'own' | 'files';
  /** signals it sends besides SIGKILL */
  signals?: NodeJS.Signals[];
}

export const FAULT_NEEDS: Partial<Record<FaultKind, FaultNeeds>> = {
  'power-loss': { launch: true, dataDir: 'own' },
  'power-loss-torn': { launch: true, dataDir: 'own' },
  'slow-fsync': { launch: true },
  'disk-full': { dataDir: 'own' },
  'torn-tail': { dataDir: 'files' },
  corrupt: { dataDir: 'files' },
  sigterm: { signals: ['SIGTERM'] },
  pause: { signals: ['SIGSTOP', 'SIGCONT'] },
};

/** Why `fault` cannot run on a target with these caps, or null. */
export function unmetNeed(fault: FaultKind, target: string, caps: TargetCaps): string | null {
  const needs = FAULT_NEEDS[fault] ?? {};
  if (needs.launch && !caps.launches) {
    return `${fault} traces the server's system calls, which needs a server durabench spawns itself, not ${target}`;
  }
  if (needs.dataDir === 'own' && caps.dataDir !== 'own') {
    return `${fault} needs the server to use the trial's own data directory: give ${target} "dataDir": "{dir}" (a bind mount of {dir}, or the server run on it)`;
  }
  if (needs.dataDir === 'files' && caps.dataDir === 'none') {
    return `${fault} changes the server's files: give ${target} a "dataDir" (a local or mounted path of its data directory)`;
  }
  const missing = (needs.signals ?? []).filter((sig) => !caps.signals.includes(sig));
  if (missing.length > 0) {
    return `${fault} sends ${missing.join(' and ')}, which ${target} cannot be sent (its "signals"${missing.includes('SIGSTOP') ? ', or give "pause" and "resume"' : ''})`;
  }
  return null;
}
