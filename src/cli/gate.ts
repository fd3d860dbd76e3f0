import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { RunResult } from '../shared/result.js';
import { ConfigError } from '../shared/errors.js';
import { renderBenchJson } from '../report/bench-json.js';
import { evaluateGates, type GateOutcome } from '../report/gate-eval.js';
import { parseGates } from '../shared/gate-parse.js';
import { renderGateTable } from '../report/gate-table.js';
import { renderJunit } from '../report/junit.js';
import { resolveBaselinePath, resolveScenarioPath } from '../scenario/load.js';
import { readGatesFile, readRunResultFile, stdoutColor, writeOutput } from './report.js';

export const GATE_FAILED_EXIT = 99;

export interface GateOptions {
  /** gate expressions; default: the result's scenario.gates */
  gates?: readonly string[];
  /** for `<n> * baseline` thresholds */
  baseline?: RunResult;
  /** produce JUnit XML (testsuite name: junitName ?? "durabench gates: <scenario>") */
  junit?: boolean;
  junitName?: string;
  /** produce github-action-benchmark JSON (one string per direction) */
  benchJson?: boolean;
  color?: boolean;
}

export interface GateReport {
  /** gate table + summary line, for stdout */
  text: string;
  /** 0 when every check passed, 99 when one failed */
  exitCode: 0 | 99;
  outcomes: GateOutcome[];
  junit?: string;
  benchJson?: { bigger: string; smaller: string };
}

/**
 * Evaluates gates against a run result; pure (no I/O). `durabench run --gate` calls this
 * and then writeGateFiles(). Throws ConfigError (exit 2) when a gate does not parse or
 * there are no gates to evaluate.
 */
export function gateResult(result: RunResult, opts: GateOptions = {}): GateReport {
  const gates = opts.gates ?? result.scenario.gates;
  if (gates.length === 0) {
    throw new ConfigError(
      `no gates to evaluate: scenario '${result.scenario.name}' has no "gates" (add some or pass --gates-from)`,
    );
  }
  const outcomes = evaluateGates(parseGates(gates), result, opts.baseline);
  const ok = outcomes.every((o) => o.pass);
  const report: GateReport = {
    text: renderGateTable(outcomes, { color: opts.color ?? false }) + '\n',
    exitCode: ok ? 0 : GATE_FAILED_EXIT,
    outcomes,
  };
  if (opts.junit) {
    report.junit = renderJunit(outcomes, opts.junitName ?? `durabench gates: ${result.scenario.name}`, result.startedAt || undefined);
  }
  if (opts.benchJson) {
    report.benchJson = { bigger: renderBenchJson(result, 'bigger'), smaller: renderBenchJson(result, 'smaller') };
  }
  return report;
}

/**
 * github-action-benchmark needs one file per direction: `bench.json` becomes
 * `bench.bigger.json` (tool: customBiggerIsBetter) and `bench.smaller.json`
 * (tool: customSmallerIsBetter).
 */
export function benchJsonPaths(file: string): { bigger: string; smaller: string } {
  const ext = path.extname(file);
  const stem = ext.toLowerCase() === '.json' ? file.slice(0, -ext.length) : file;
  return { bigger: `${stem}.bigger.json`, smaller: `${stem}.smaller.json` };
}

/** Writes the JUnit / bench JSON files a GateReport carries; returns the paths written. */
export function writeGateFiles(report: GateReport, files: { junit?: string; benchJson?: string }): string[] {
  const written: string[] = [];
  if (files.junit && report.junit !== undefined) {
    writeOutput(files.junit, report.junit);
    written.push(files.junit);
  }
  if (files.benchJson && report.benchJson !== undefined) {
    const p = benchJsonPaths(files.benchJson);
    writeOutput(p.bigger, report.benchJson.bigger);
    writeOutput(p.smaller, report.benchJson.smaller);
    written.push(p.bigger, p.smaller);
  }
  return written;
}

interface GateArgs {
  result: string;
  'gates-from'?: string;
  gate?: string | string[];
  baseline?: string;
  junit?: string;
  'bench-json'?: string;
  color?: boolean;
}

export const gateCommand: CommandModule<object, GateArgs> = {
  command: 'gate <result>',
  describe: 'Check a saved run against its gates (exit 0 pass, 99 fail, 2 bad input)',
  builder: (y: Argv<object>) =>
    y
      .positional('result', { type: 'string', demandOption: true, describe: 'run result .json' })
      .option('gates-from', { type: 'string', describe: "take the gates from this scenario file or preset instead of the result's" })
      .option('gate', { type: 'string', describe: 'an extra gate expression (repeatable)' })
      .option('baseline', { type: 'string', describe: 'baseline run result for `<n> * baseline` thresholds' })
      .option('junit', { type: 'string', describe: 'write JUnit XML here (one testcase per gate)' })
      .option('bench-json', {
        type: 'string',
        describe: 'write github-action-benchmark JSON: FILE.bigger.json and FILE.smaller.json',
      })
      .option('color', { type: 'boolean', describe: 'colour (default: only on a TTY outside CI)' })
      .example('$0 gate results/run.json --junit gates.xml', '')
      .example("$0 gate results/run.json --gate 'lost[aof-always].max == 0'", '')
      .epilogue(
        'Gate syntax: <metric>[<mode>|<target>:<mode>|*][@<fault>].<median|p50|mean|min|max> <op> <rhs>\n' +
          '  op: == != < <= > >=    rhs: <number> | <number> * baseline | <number> * <metric>[<mode>].<agg>\n' +
          '  without a target or @fault, every target and fault in the run is checked on its own\n' +
          '  e.g. throughput[aof-always].median >= 0.5 * throughput[none].median, lost[aof-always@sigterm].max == 0',
      ) as unknown as Argv<GateArgs>,
  handler: async (args) => {
    const result = readRunResultFile(args.result);
    // --gates-from takes a scenario file or a preset name (ci-gate → scenarios/ci-gate.json).
    let gates: string[] = args['gates-from']
      ? readGatesFile(await resolveScenarioPath(args['gates-from']))
      : [...result.scenario.gates];
    if (args.gate !== undefined) gates = [...gates, ...[args.gate].flat()];
    const baselineFile = args.baseline ?? resolveBaselinePath(result.scenario, gates);
    const baseline = baselineFile ? readRunResultFile(baselineFile) : undefined;
    const report = gateResult(result, {
      gates,
      baseline,
      junit: args.junit !== undefined,
      benchJson: args['bench-json'] !== undefined,
      color: args.color ?? stdoutColor(),
    });
    process.stdout.write(report.text);
    for (const f of writeGateFiles(report, { junit: args.junit, benchJson: args['bench-json'] })) {
      process.stderr.write(`wrote ${f}\n`);
    }
    process.exitCode = report.exitCode;
  },
};
