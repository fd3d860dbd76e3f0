import yargs from 'yargs';
import type { Argv, CommandModule } from 'yargs';
import { ConfigError, RunError, UsageError } from '../shared/errors.js';
import { commands } from './commands.js';

/**
 * The CLI: yargs wiring only. Each command lives in its own file and exports a yargs
 * CommandModule. Errors end here as one line on stderr and an exit code:
 * 2 usage/config, 1 run failure (or a bug), 99 is set by gates and compare.
 */
export async function main(args: string[]): Promise<void> {
  // `server` takes redis-server's own option syntax; yargs must not interpret it.
  if (args[0] === 'server') {
    const { runServerCli } = await import('./server.js');
    return runServerCli(args.slice(1));
  }
  // `durabench report x.json | head`: the reader went away, which is no error of ours
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
  let cli: Argv = yargs(args)
    .scriptName('durabench')
    .usage('$0 <command> [options]\n\nMeasure what Redis-style persistence costs and loses.')
    .strict()
    .demandCommand(1, 'Name a command: durabench --help lists them.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .command('server [options..]', 'Run the built-in Redis-compatible server (takes redis-server options)')
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  for (const c of commands) cli = cli.command(c as CommandModule);
  try {
    await cli.parseAsync();
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

export function reportError(err: unknown): number {
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof RunError) {
    process.stderr.write(`durabench: ${err.message}\n`);
    return err.exitCode;
  }
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`durabench: internal error: ${msg}\n`);
  if (process.env.DURABENCH_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return 1;
}
