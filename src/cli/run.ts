/**
 * `durabench run [scenario]`: wiring only. Load the scenario, apply the flags, run it with
 * progress (a live line on a TTY, plain lines otherwise, nothing with --quiet), print the
 * tables, write results/<timestamp>-<scenario>.json and .csv, set the exit code.
 * Ctrl-C, SIGTERM, SIGHUP (terminal closed) and SIGQUIT kill every server the run started,
 * remove its temp dirs and exit 128 + the signal's number (130 for Ctrl-C). A SIGKILL runs
 * no handler: the reaper process (harness/targets/reaper.ts) cleans up then.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { runScenario } from '../harness/run.js';
import { onInterrupt } from './on-interrupt.js';
import { progress } from './progress.js';
import { shouldColor } from '../report/color.js';
import { renderCsv } from '../report/csv.js';
import { renderJson } from '../report/json.js';
import { renderTables } from '../report/table.js';
import { applyOverrides, DEFAULT_SCENARIO_FILE, loadScenario } from '../scenario/index.js';
import type { RunResult } from '../shared/result.js';
import { ConfigError, UsageError } from '../shared/errors.js';
import { gateResult, writeGateFiles } from './gate.js';
import { readRunResultFile, writeOutput } from './report.js';
import { runOptions, type RunArgs } from './run-options.js';

function stamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

export function resultFiles(result: RunResult, outDir: string): { json: string; csv: string } {
  const base = path.join(outDir, `${stamp(result.startedAt)}-${result.scenario.name}`);
  return { json: `${base}.json`, csv: `${base}.csv` };
}

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
    if ((args.junit || args['bench-json'] || args.baseline) && !args.gate) {
      throw new UsageError('--junit, --bench-json and --baseline go with --gate');
    }
    // Read the baseline and check the gates before spending minutes on the run.
    const baseline = args.gate && args.baseline ? readRunResultFile(args.baseline) : undefined;
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
        onEvent: (e) => {
          // a target the scenario wanted where present, and is not: said even when quiet
          if (e.type === 'start') for (const s of e.skippedTargets) process.stderr.write(`target ${s.target} skipped: ${s.reason}\n`);
          show?.(e);
        },
      });
    } finally {
      uninstall();
    }

    if (!(args.gate && ci)) human.write(renderTables(result, { color, width: Math.min(120, human.columns || 100) }));
    const files = resultFiles(result, args.out);
    writeOutput(files.json, renderJson(result));
    writeOutput(files.csv, renderCsv(result));
    if (args.json) writeOutput(args.json, renderJson(result));
    if (args.csv) writeOutput(args.csv, renderCsv(result));
    if (!quiet) process.stderr.write(`wrote ${files.json} and ${files.csv}\n`);

    if (args.gate) {
      const report = gateResult(result, {
        baseline,
        junit: args.junit !== undefined,
        benchJson: args['bench-json'] !== undefined,
        color,
      });
      human.write(report.text);
      writeGateFiles(report, { junit: args.junit, benchJson: args['bench-json'] });
      // A failed gate is 99; crashed trials already fail their gates (fail closed).
      if (report.exitCode !== 0) {
        process.exitCode = report.exitCode;
        return;
      }
    }

    const failedTrials = result.trials.filter((t) => t.error !== null).length;
    const broken = result.sanity.filter((v) => !v.ok);
    if (broken.length > 0) {
      process.stderr.write(`durabench: SANITY CHECK FAILED (${broken.length}): ${broken.map((v) => `${v.target} ${v.mode}: ${v.check}`).join('; ')} — the tool or the server is wrong\n`);
      process.exitCode = 1;
    } else if (failedTrials > 0) {
      process.stderr.write(`durabench: ${failedTrials} of ${result.trials.length} trials failed (see the table above)\n`);
      process.exitCode = 1;
    }
  },
};

export default runCommand;
