import { RunError } from '../../shared/errors.js';
import { EXTERNAL_PREFIX, type LocalTargetKind, type Scenario, type TargetKind } from '../../shared/types.js';
import { builtinTarget } from './builtin.js';
import { externalTarget } from './external.js';
import { redisTarget } from './redis.js';
import type { Target } from './target.js';

/** The servers durabench launches itself. */
export const targets = {
  builtin: builtinTarget,
  redis: redisTarget,
} satisfies Record<LocalTargetKind, Target>;

/** A scenario's target by name: a local one, or an external one from the scenario's externalTargets. */
export function targetFor(kind: TargetKind, scenario: Pick<Scenario, 'externalTargets'>): Target {
  if (!kind.startsWith(EXTERNAL_PREFIX)) return targets[kind as LocalTargetKind];
  const spec = scenario.externalTargets?.[kind.slice(EXTERNAL_PREFIX.length)];
  if (!spec) throw new RunError(`${kind}: the scenario has no description of this external target (externalTargets)`);
  return externalTarget(spec);
}

export type { Target, TargetCaps, TargetHandle, StartOptions, LaunchSpec, ExitInfo } from './target.js';
