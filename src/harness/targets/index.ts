import type { TargetKind } from '../../shared/types.js';
import { builtinTarget } from './builtin.js';
import { redisTarget } from './redis.js';
import type { Target } from './target.js';

export const targets = {
  builtin: builtinTarget,
  redis: redisTarget,
} satisfies Record<TargetKind, Target>;

export type { Target, TargetHandle, StartOptions, LaunchSpec, ExitInfo } from './target.js';
