import type { Command } from './command.js';
import { databaseCommands } from './db-cmds.js';
import { hashCommands } from './hashes.js';
import { keyCommands } from './keys.js';
import { keyMetaCommands } from './key-meta.js';
import { dumpCommands } from './dump.js';
import { sortCommands } from './sort.js';
import { listCommands } from './lists.js';
import { listMoveCommands } from './list-moves.js';
import { setCommands } from './sets.js';
import { stringCommands } from './strings.js';
import { zrangeCommands } from './zrange.js';
import { zsetCommands } from './zsets.js';
import { zpopCommands } from './zpop.js';
import { zsetOpCommands } from './zsetops.js';
import { streamCommands } from './streams.js';
import { streamGroupCommands } from './stream-groups.js';
import { streamInfoCommands } from './stream-info.js';
import { streamReadCommands } from './stream-read.js';

/** Every data-type command family; the server adds its connection and admin commands. */
export const dataCommands: Command[] = [
  ...stringCommands,
  ...keyCommands,
  ...databaseCommands,
  ...keyMetaCommands,
  ...dumpCommands,
  ...sortCommands,
  ...listCommands,
  ...listMoveCommands,
  ...hashCommands,
  ...setCommands,
  ...zsetCommands,
  ...zrangeCommands,
  ...zpopCommands,
  ...zsetOpCommands,
  ...streamCommands,
  ...streamReadCommands,
  ...streamGroupCommands,
  ...streamInfoCommands,
];
