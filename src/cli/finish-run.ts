/**
 * What `durabench run` and `durabench merge` do with a finished run result: print the tables
 * (and charts on a TTY), write results/<timestamp>-<scenario>.json and .csv (and --json, --csv,
 * --html), evaluate the gates with --gate, and set the exit code (99 a gate failed, 1 a sanity
 * check or a trial failed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { shouldColor } from '../report/color.js';
import { resolveBaselinePath } from '../scenario/load.js';
import { ConfigError, UsageError } from '../shared/errors.js';
import type { Scenario } from '../shared/types.js';
import { renderCsv } from '../report/csv.js';
import { renderJson } from '../report/json.js';
import { renderTables } from '../report/table.js';
import type { RunResult } from '../shared/result.js';
import { checkHtmlPath, terminalCharts, wantCharts, writeHtmlReport } from './chart-output.js';
import { gateResult, writeGateFiles } from './gate.js';
import { readRunResultFile, writeOutput } from './report.js';

function stamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

export function resultFiles(result: RunResult, outDir: string): { json: string; csv: string } {
  const shard = result.shard ? `-shard${result.shard.index}of${result.shard.count}` : '';
  const base = path.join(outDir, `${stamp(result.startedAt)}-${result.scenario.name}${shard}`);
  return { json: `${base}.json`, csv: `${base}.csv` };
}

export interface FinishOptions {
  out: string;
  json?: string;
  csv?: string;
  /** --html: the self-contained HTML report goes here */
  html?: string;
  /** terminal charts under the tables (already decided: --no-charts, TTY, CI) */
  charts: boolean;
  /** where the tables and gate report go (stderr when stdout carries --json - / --csv -) */
  human: NodeJS.WriteStream;
  color: boolean;
  quiet: boolean;
  /** CI (CI=true or not a TTY): a gated run prints only the gate table */
  ci: boolean;
  gate?: boolean;
  baseline?: RunResult;
  junit?: string;
  benchJson?: string;
}

/** The output flags `run` and `merge` share. */
export interface OutputArgs {
  out: string;
  json?: string;
  csv?: string;
  html?: string;
  charts?: boolean;
  color?: boolean;
  gate?: boolean;
  baseline?: string;
  junit?: string;
  'bench-json'?: string;
}

/**
 * Checks the output flags and reads the baseline before any work (a run takes minutes), and
 * says where the human report goes: stderr when stdout carries --json - / --csv -.
 */
export function prepareOutput(args: OutputArgs, scenario: Scenario): Omit<FinishOptions, 'quiet'> {
  if ((args.junit || args['bench-json'] || args.baseline) && !args.gate) {
    throw new UsageError('--junit, --bench-json and --baseline go with --gate');
  }
  // --baseline, else the file the scenario names (ci-gate: results/baseline/ci-gate.json)
  const baselineFile = args.gate ? (args.baseline ?? resolveBaselinePath(scenario)) : undefined;
  const baseline = baselineFile ? readRunResultFile(baselineFile) : undefined;
  if (args.gate && scenario.gates.length === 0) {
    throw new ConfigError(`--gate: scenario '${scenario.name}' has no "gates" to evaluate`);
  }
  try {
    fs.mkdirSync(args.out, { recursive: true });
    fs.accessSync(args.out, fs.constants.W_OK);
  } catch (e) {
    throw new UsageError(`--out ${args.out}: cannot write there (${(e as Error).message})`);
  }
  checkHtmlPath(args.html); // said now, not after minutes of trials
  const human = args.json === '-' || args.csv === '-' || args.html === '-' ? process.stderr : process.stdout;
  return {
    out: args.out,
    json: args.json,
    csv: args.csv,
    html: args.html,
    charts: wantCharts(args.charts, human),
    human,
    color: args.color ?? shouldColor(human.isTTY, process.env),
    // In CI (CI=true or not a TTY) a gated run prints only the gate table and a summary line.
    ci: process.env.CI === 'true' || !human.isTTY,
    gate: args.gate,
    baseline,
    junit: args.junit,
    benchJson: args['bench-json'],
  };
}

export async function finishRun(result: RunResult, o: FinishOptions): Promise<void> {
  const { human } = o;
  if (!(o.gate && o.ci)) {
    human.write(renderTables(result, { color: o.color, width: Math.min(120, human.columns || 100) }));
    if (o.charts) human.write(terminalCharts(result, human, o.color));
  }
  const files = resultFiles(result, o.out);
  writeOutput(files.json, renderJson(result));
  writeOutput(files.csv, renderCsv(result));
  if (o.json) writeOutput(o.json, renderJson(result));
  if (o.csv) writeOutput(o.csv, renderCsv(result));
  if (o.html) await writeHtmlReport(result, o.html);
  if (!o.quiet) process.stderr.write(`wrote ${files.json} and ${files.csv}${o.html ? ` and ${o.html}` : ''}\n`);

  if (o.gate) {
    const report = gateResult(result, {
      baseline: o.baseline,
      junit: o.junit !== undefined,
      benchJson: o.benchJson !== undefined,
      color: o.color,
    });
    human.write(report.text);
    writeGateFiles(report, { junit: o.junit, benchJson: o.benchJson });
    // A failed gate is 99; crashed trials already fail their gates (fail closed).
    if (report.exitCode !== 0) {
      process.exitCode = report.exitCode;
      return;
    }
  }

  // a trial skipped with its reason (a fault this machine or target cannot take) is not measured, not failed
  const skipped = result.trials.filter((t) => t.error?.startsWith('skipped:'));
  const failedTrials = result.trials.filter((t) => t.error !== null).length - skipped.length;
  if (skipped.length > 0) {
    const reasons = [...new Set(skipped.map((t) => t.error!.slice('skipped: '.length)))];
    process.stderr.write(`durabench: ${skipped.length} of ${result.trials.length} trials not measured: ${reasons.join('; ')}\n`);
  }
  const broken = result.sanity.filter((v) => !v.ok);
  if (broken.length > 0) {
    process.stderr.write(`durabench: SANITY CHECK FAILED (${broken.length}): ${broken.map((v) => `${v.target} ${v.mode}: ${v.check}`).join('; ')} — the tool or the server is wrong\n`);
    process.exitCode = 1;
  } else if (skipped.length === result.trials.length) {
    process.stderr.write('durabench: no trial could run here: nothing was measured\n');
    process.exitCode = 1;
  } else if (failedTrials > 0) {
    process.stderr.write(`durabench: ${failedTrials} of ${result.trials.length} trials failed (see the table above)\n`);
    process.exitCode = 1;
  }
}
