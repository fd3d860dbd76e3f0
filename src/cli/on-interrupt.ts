/** Ends a run on an interrupting signal without leaving servers or temp dirs behind. */
import os from 'node:os';
import { killAllChildren, runCleanups } from '../harness/targets/children.js';

/**
 * The signals that end a run by default. Servers run detached (their own process groups), so
 * a terminal's SIGHUP or SIGQUIT never reaches them: without a handler here they outlive us.
 */
const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const satisfies readonly NodeJS.Signals[];

/** Kills every server and removes temp dirs on an interrupting signal; returns the uninstaller. */
export function onInterrupt(): () => void {
  const handler = (sig: NodeJS.Signals): void => {
    killAllChildren();
    runCleanups();
    try {
      // after SIGHUP the terminal may be gone: a failed write must not skip the exit
      process.stderr.write(`\ndurabench: interrupted (${sig}): stopped every server this run started\n`);
    } catch {
      /* no terminal */
    }
    process.exit(128 + (os.constants.signals[sig] ?? 2));
  };
  for (const sig of INTERRUPTS) process.once(sig, handler);
  return () => {
    for (const sig of INTERRUPTS) process.off(sig, handler);
  };
}
