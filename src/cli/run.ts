/**
 * `durabench run [scenario]`: wiring only. Load the scenario, apply the flags, run it with
 * progress (a live line on a TTY, plain lines otherwise, nothing with --quiet), print the
 * tables, write results/<timestamp>-<scenario>.json and .csv, set the exit code.
 * Ctrl-C, SIGTERM, SIGHUP (terminal closed) and SIGQUIT kill every server the run started,
 * remove its temp dirs and exit 128 + the signal's number (130 for Ctrl-C). A SIGKILL runs
 * no handler: the reaper process (harness/targets/reaper.ts) cleans up then.
 */
import type { CommandModule } from 'yargs';
import { runScenario } from '../harness/run.js';
import { onInterrupt } from './on-interrupt.js';
import { progress } from './progress.js';
import { applyOverrides, DEFAULT_SCENARIO_FILE, loadScenario } from '../scenario/index.js';
import type { RunResult } from '../shared/result.js';
import { UsageError } from '../shared/errors.js';
import { finishRun, prepareOutput } from './finish-run.js';
import { parseShard, runOptions, type RunArgs } from './run-options.js';

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [scenario]',
  describe: 'Run a scenario: every mode, kill, restart, measure loss/recovery/disk/fork (default: scenarios/default.json)',
  builder: runOptions,
  handler: async (args) => {
    const scenario = applyOverrides(await loadScenario(args.scenario ?? DEFAULT_SCENARIO_FILE), {
      target: args.target,
      modes: args.modes,
      trials: args.trials,
      seed: args.seed,
      duration: args.duration,
      workload: args.workload,
      clients: args.clients,
      pipeline: args.pipeline,
      workers: args.workers,
      rate: args.rate,
      valueSize: args['value-size'],
      keys: args.keys,
      preload: args.preload,
      fault: args.fault,
      snapshotStrategy: args['snapshot-strategy'],
      snapshotEncoder: args['snapshot-encoder'],
      crashModel: args['crash-model'],
    });
    const shard = args.shard !== undefined ? parseShard(args.shard) : undefined;
    if (shard && shard.count > 1 && args.gate) {
      throw new UsageError('--gate judges a whole run: gate the merged result (durabench merge ... --gate), not a shard');
    }
    // the flags, the baseline and --out checked before minutes of trials, not after
    const output = prepareOutput(args, scenario);
    const quiet = args.quiet ?? (output.ci && (args.gate === true || process.env.CI === 'true'));
    const uninstall = onInterrupt();
    let result: RunResult;
    try {
      const show = quiet ? null : progress(process.stderr, process.stderr.isTTY === true);
      result = await runScenario(scenario, {
        keep: args.keep,
        shard,
        warmUp: args['warm-up'],
        onEvent: (e) => {
          // a target the scenario wanted where present, and is not: said even when quiet
          if (e.type === 'start') for (const s of e.skippedTargets) process.stderr.write(`target ${s.target} skipped: ${s.reason}\n`);
          show?.(e);
        },
      });
    } finally {
      uninstall();
    }

    await finishRun(result, { ...output, quiet });
  },
};

export default runCommand;
