/**
 * `durabench run [scenario]`: wiring only. Load the scenario, apply the flags, run it with
 * progress (a live line on a TTY, plain lines otherwise, nothing with --quiet), print the
 * tables, write results/<timestamp>-<scenario>.json and .csv, set the exit code.
 * Ctrl-C, SIGTERM, SIGHUP (terminal closed) and SIGQUIT kill every server the run started,
 * remove its temp dirs and exit 128 + the signal's number (130 for Ctrl-C). A SIGKILL runs
 * no handler: the reaper process (harness/targets/reaper.ts) cleans up then.
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { killAllChildren, runCleanups } from '../harness/targets/children.js';
import { runScenario } from '../harness/run.js';
import { progress } from './progress.js';
import { shouldColor } from '../report/color.js';
import { renderCsv } from '../report/csv.js';
import { renderJson } from '../report/json.js';
import { renderTables } from '../report/table.js';
import { applyOverrides, DEFAULT_SCENARIO_FILE, loadScenario } from '../scenario/index.js';
import type { RunResult } from '../shared/result.js';
import { FAULTS, MODES, TARGETS, WORKLOADS } from '../shared/types.js';
import { ConfigError, UsageError } from '../shared/errors.js';
import { gateResult, writeGateFiles } from './gate.js';
import { readRunResultFile, writeOutput } from './report.js';

interface RunArgs {
  scenario?: string;
  target?: string;
  modes?: string;
  trials?: number;
  seed?: number;
  duration?: string;
  workload?: string;
  clients?: number;
  pipeline?: number;
  rate?: number;
  'value-size'?: number;
  keys?: number;
  preload?: number;
  fault?: string;
  'snapshot-strategy'?: string;
  out: string;
  csv?: string;
  json?: string;
  quiet?: boolean;
  keep?: boolean;
  color?: boolean;
  gate?: boolean;
  baseline?: string;
  junit?: string;
  'bench-json'?: string;
}

function stamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

/**
 * The signals that end a run by default. Servers run detached (their own process groups), so
 * a terminal's SIGHUP or SIGQUIT never reaches them: without a handler here they outlive us.
 */
const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const satisfies readonly NodeJS.Signals[];

/** Kills every server and removes temp dirs on an interrupting signal; returns the uninstaller. */
function onInterrupt(): () => void {
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

export function resultFiles(result: RunResult, outDir: string): { json: string; csv: string } {
  const base = path.join(outDir, `${stamp(result.startedAt)}-${result.scenario.name}`);
  return { json: `${base}.json`, csv: `${base}.csv` };
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [scenario]',
  describe: 'Run a scenario: every mode, kill, restart, measure loss/recovery/disk/fork (default: scenarios/default.json)',
  builder: (y: Argv<object>) =>
    y
      .positional('scenario', { type: 'string', describe: 'scenario .json, or a preset name (default, quick, real-redis)' })
      .option('target', { type: 'string', describe: `server(s) to run, comma list: ${TARGETS.join(', ')}` })
      .option('modes', { type: 'string', describe: `comma list of ${MODES.join(', ')}` })
      .option('trials', { type: 'number', describe: 'trials per mode and target' })
      .option('seed', { type: 'number', describe: 'seed for keys and kill points' })
      .option('duration', { type: 'string', describe: 'write phase length: 10s, 1500ms, 2m (bare number = s); scales the kill window' })
      .option('workload', { type: 'string', describe: WORKLOADS.join(', ') })
      .option('clients', { type: 'number', describe: 'client connections' })
      .option('pipeline', { type: 'number', describe: 'commands outstanding per client' })
      .option('rate', { type: 'number', describe: 'open loop: total ops/s (0 = closed loop, as fast as it goes)' })
      .option('value-size', { type: 'number', describe: 'value bytes' })
      .option('keys', { type: 'number', describe: 'keyspace size (lists for list-append)' })
      .option('preload', { type: 'number', describe: 'keys written before the measured phase' })
      .option('fault', { type: 'string', describe: FAULTS.join(', ') })
      .option('snapshot-strategy', { type: 'string', describe: 'built-in server snapshots: cow (copy-on-write) or blocking (all at once, like a copying fork)' })
      .option('out', { type: 'string', default: 'results', describe: 'directory for <timestamp>-<scenario>.json and .csv' })
      .option('csv', { type: 'string', nargs: 1, describe: 'also write the CSV here (- for stdout)' })
      .option('json', { type: 'string', nargs: 1, describe: 'also write the JSON here (- for stdout)' })
      .option('quiet', { type: 'boolean', alias: 'q', describe: 'no progress' })
      .option('keep', { type: 'boolean', describe: "keep each trial's temp dir (data files, server logs)" })
      .option('color', { type: 'boolean', describe: 'colour the tables (default: only on a TTY outside CI)' })
      .option('gate', { type: 'boolean', describe: "evaluate the scenario's gates: exit 0 all pass, 99 one fails" })
      .option('baseline', { type: 'string', nargs: 1, describe: 'baseline run result for `<n> * baseline` gates' })
      .option('junit', { type: 'string', nargs: 1, describe: 'with --gate: write JUnit XML here (one testcase per gate)' })
      .option('bench-json', { type: 'string', nargs: 1, describe: 'with --gate: github-action-benchmark JSON (FILE.bigger.json, FILE.smaller.json)' })
      .example('$0 run', 'the default scenario on the built-in server (~2 min)')
      .example('$0 run ci-gate --gate --baseline results/baseline/ci-gate.json --junit gates.xml', 'a CI step')
      .example('$0 run quick --target builtin,redis', 'both servers side by side')
      .example('$0 run scenarios/default.json --modes none,aof-always --trials 5 --json -', '') as unknown as Argv<RunArgs>,
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
      result = await runScenario(scenario, {
        keep: args.keep,
        ...(quiet ? {} : { onEvent: progress(process.stderr, process.stderr.isTTY === true) }),
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
