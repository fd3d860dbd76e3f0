/**
 * `durabench run [scenario]`: wiring only. Load the scenario, apply the flags, run it with
 * progress (a live line on a TTY, plain lines otherwise, nothing with --quiet), print the
 * tables, write results/<timestamp>-<scenario>.json and .csv, set the exit code.
 * Ctrl-C, SIGTERM, SIGHUP (terminal closed) and SIGQUIT kill every server the run started,
 * remove its temp dirs and exit 128 + the signal's number (130 for Ctrl-C). A SIGKILL runs
 * no handler: the reaper process (harness/targets/reaper.ts) cleans up then.
 */
import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import { runScenario } from '../harness/run.js';
import { onInterrupt } from './on-interrupt.js';
import { progress } from './progress.js';
import { shouldColor } from '../report/color.js';
import { applyOverrides, DEFAULT_SCENARIO_FILE, loadScenario } from '../scenario/index.js';
import { resolveBaselinePath } from '../scenario/load.js';
import type { RunResult } from '../shared/result.js';
import { ConfigError, UsageError } from '../shared/errors.js';
import { finishRun } from './finish-run.js';
import { readRunResultFile } from './report.js';
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
      rate: args.rate,
      valueSize: args['value-size'],
      keys: args.keys,
      preload: args.preload,
      fault: args.fault,
      snapshotStrategy: args['snapshot-strategy'],
      crashModel: args['crash-model'],
    });
    const shard = args.shard !== undefined ? parseShard(args.shard) : undefined;
    if (shard && shard.count > 1 && args.gate) {
      throw new UsageError('--gate judges a whole run: gate the merged result (durabench merge ... --gate), not a shard');
    }
    if ((args.junit || args['bench-json'] || args.baseline) && !args.gate) {
      throw new UsageError('--junit, --bench-json and --baseline go with --gate');
    }
    // Read the baseline and check the gates before spending minutes on the run.
    // --baseline, else the file the scenario names (ci-gate: results/baseline/ci-gate.json)
    const baselineFile = args.gate ? (args.baseline ?? resolveBaselinePath(scenario)) : undefined;
    const baseline = baselineFile ? readRunResultFile(baselineFile) : undefined;
    if (args.gate && scenario.gates.length === 0) {
      throw new ConfigError(`--gate: scenario '${scenario.name}' has no "gates" to evaluate`);
    }
    // machine output on stdout → the human report goes to stderr
    const stdoutTaken = args.json === '-' || args.csv === '-';
    const human = stdoutTaken ? process.stderr : process.stdout;
    const color = args.color ?? shouldColor(human.isTTY, process.env);
    // In CI (CI=true or not a TTY) a gated run prints only the gate table and a summary line.
    const ci = process.env.CI === 'true' || !human.isTTY;
    const quiet = args.quiet ?? (ci && (args.gate === true || process.env.CI === 'true'));

    // Find an unwritable --out before minutes of trials, not after.
    try {
      fs.mkdirSync(args.out, { recursive: true });
      fs.accessSync(args.out, fs.constants.W_OK);
    } catch (e) {
      throw new UsageError(`--out ${args.out}: cannot write there (${(e as Error).message})`);
    }
    const uninstall = onInterrupt();
    let result: RunResult;
    try {
      const show = quiet ? null : progress(process.stderr, process.stderr.isTTY === true);
      result = await runScenario(scenario, {
        keep: args.keep,
        shard,
        onEvent: (e) => {
          // a target the scenario wanted where present, and is not: said even when quiet
          if (e.type === 'start') for (const s of e.skippedTargets) process.stderr.write(`target ${s.target} skipped: ${s.reason}\n`);
          show?.(e);
        },
      });
    } finally {
      uninstall();
    }

    finishRun(result, {
      out: args.out,
      json: args.json,
      csv: args.csv,
      human,
      color,
      quiet,
      ci,
      gate: args.gate,
      baseline,
      junit: args.junit,
      benchJson: args['bench-json'],
    });
  },
};

export default runCommand;
