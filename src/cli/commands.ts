import type { CommandModule } from 'yargs';

/** Every subcommand but `server`, which parses redis-server syntax itself. */
export const commands: CommandModule<any, any>[] = [];
