import type { FaultKind } from '../../shared/types.js';
import type { Fault } from './fault.js';
import { diskFull } from './disk-full.js';
import { corrupt, tornTail } from './damage-faults.js';
import { sigkillDuringLoad } from './load-fault.js';
import { pause } from './pause-fault.js';
import { sigkill, sigterm } from './signal-faults.js';
import { sigkillDuringBgsave, sigkillDuringRewrite } from './snapshot-faults.js';
import { powerLossFault, powerLossTornFault } from './power-loss.js';
import { slowFsync } from './slow-fsync.js';

/** Every fault kind, checked by the compiler: a new FaultKind needs its record here. */
export const faults = {
  sigkill,
  'sigkill-during-bgsave': sigkillDuringBgsave,
  'sigkill-during-rewrite': sigkillDuringRewrite,
  sigterm,
  'power-loss': powerLossFault,
  'power-loss-torn': powerLossTornFault,
  'disk-full': diskFull,
  'torn-tail': tornTail,
  corrupt,
  pause,
  'sigkill-during-load': sigkillDuringLoad,
  'slow-fsync': slowFsync,
} satisfies Record<FaultKind, Fault>;

export type { Fault, FaultPlan, FaultContext, FaultOutcome, AfterExitContext, FaultSession, PrepareContext, RestartContext, RestartOutcome } from './fault.js';
