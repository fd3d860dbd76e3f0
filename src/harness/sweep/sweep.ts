/**
 * runSweep: every size × target → a SweepResult. Sizes run smallest first; at each size the
 * targets run one after the other (never at once: they would share the cores). Emits events
 * (start, point-start, phase, point, skip, done) that the progress renderer listens to.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { SweepPoint, SweepResult } from '../../shared/sweep-result.js';
import type { LocalTargetKind, Mode, TargetKind } from '../../shared/types.js';
import { environment } from '../run.js';
import { toolVersion } from '../repo.js';
import { targets } from '../targets/index.js';
import type { ValueKind } from '../workload/preload.js';
import { doesNotFit, estimateBytes, estimateDiskBytes } from './memory-fit.js';
import { emptyPoint, measurePoint, type SweepPhase } from './sweep-point.js';

export interface SweepOptions {
  sizes: number[];
  valueSize: number;
  values: ValueKind;
  /** local servers only: a sweep restarts them from their own files */
  targets: LocalTargetKind[];
  modes: Mode[];
  rate: number;
  clients: number;
  windowMs: number;
  seed: number;
  tmpRoot?: string;
  onEvent?: (e: SweepEvent) => void;
  /** free memory / disk (tests); default the machine's */
  freeMemory?: () => number;
}

export type SweepEvent =
  | { type: 'start'; sizes: number[]; targets: TargetKind[]; total: number; targetVersions: Partial<Record<TargetKind, string>> }
  | { type: 'point-start'; index: number; total: number; target: TargetKind; keys: number }
  | { type: 'phase'; index: number; total: number; target: TargetKind; keys: number; phase: SweepPhase }
  | { type: 'point'; index: number; total: number; point: SweepPoint; ms: number }
  | { type: 'skip'; keys: number; reason: string; /** the points' indices it leaves out */ indices: number[] }
  | { type: 'done'; result: SweepResult };

function freeDisk(dir: string): number | null {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

export async function runSweep(o: SweepOptions): Promise<SweepResult> {
  const emit = o.onEvent ?? (() => undefined);
  const startedAt = new Date().toISOString();
  const loadAverage = Math.round(os.loadavg()[0]! * 100) / 100;
  const t0 = performance.now();
  const targetVersions: Partial<Record<TargetKind, string>> = {};
  for (const kind of o.targets) targetVersions[kind] = await targets[kind].check();
  const sizes = [...o.sizes].sort((a, b) => a - b);
  const total = sizes.length * o.targets.length;
  emit({ type: 'start', sizes, targets: o.targets, total, targetVersions });
  const perKey: Partial<Record<TargetKind, number>> = {};
  const points: SweepPoint[] = [];
  let index = 0;
  for (const keys of sizes) {
    const need = estimateBytes(keys, o.valueSize, o.targets, perKey);
    const why = doesNotFit(keys, need, (o.freeMemory ?? os.freemem)(), estimateDiskBytes(keys, o.valueSize), freeDisk(o.tmpRoot ?? os.tmpdir()));
    if (why !== null) {
      emit({ type: 'skip', keys, reason: why, indices: o.targets.map((_, k) => index + k) });
      for (const target of o.targets) points.push({ ...emptyPoint(target, keys, o.valueSize), skipped: why });
      index += o.targets.length;
      continue;
    }
    for (const target of o.targets) {
      const i = index++;
      emit({ type: 'point-start', index: i, total, target, keys });
      const p0 = performance.now();
      const point = await measurePoint(targets[target], {
        keys,
        valueSize: o.valueSize,
        values: o.values,
        modes: o.modes,
        rate: o.rate,
        clients: o.clients,
        windowMs: o.windowMs,
        seed: o.seed,
        tmpRoot: o.tmpRoot,
        onPhase: (phase) => emit({ type: 'phase', index: i, total, target, keys, phase }),
      });
      // the next size's memory estimate from what this one really took
      if (point.rssBytes !== null) perKey[target] = Math.max(perKey[target] ?? 0, point.rssBytes / keys);
      points.push(point);
      emit({ type: 'point', index: i, total, point, ms: performance.now() - p0 });
    }
  }
  const result: SweepResult = {
    schemaVersion: 1,
    kind: 'sweep',
    tool: { name: 'durabench', version: toolVersion() },
    environment: environment(targetVersions),
    startedAt,
    wallMs: Math.round(performance.now() - t0),
    seed: o.seed,
    sizes,
    valueBytes: o.valueSize,
    values: o.values,
    targets: o.targets,
    modes: o.modes,
    rate: o.rate,
    clients: o.clients,
    windowMs: o.windowMs,
    loadAverage,
    points,
  };
  emit({ type: 'done', result });
  return result;
}
