import type { CommandModule } from 'yargs';
import { claimsCommand } from './claims.js';
import { compareCommand } from './compare.js';
import { doctorCommand } from './doctor.js';
import { gateCommand } from './gate.js';
import { mergeCommand } from './merge.js';
import { microCommand } from './micro.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { sweepCommand } from './sweep.js';

/** Every subcommand but `server`, which parses redis-server syntax itself. */
export const commands: CommandModule<any, any>[] = [
  reportCommand,
  gateCommand,
  compareCommand,
  mergeCommand,
  microCommand,
  doctorCommand,
  runCommand,
  sweepCommand,
  claimsCommand,
];
