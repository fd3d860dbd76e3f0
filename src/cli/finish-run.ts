/**
 * What `durabench run` and `durabench merge` do with a finished run result: print the tables,
 * write results/<timestamp>-<scenario>.json and .csv (and --json/--csv), evaluate the gates
 * with --gate, and set the exit code (99 a gate failed, 1 a sanity check or a trial failed).
 */
import path from 'node:path';
import { renderCsv } from '../report/csv.js';
import { renderJson } from '../report/json.js';
import { renderTables } from '../report/table.js';
import type { RunResult } from '../shared/result.js';
import { gateResult, writeGateFiles } from './gate.js';
import { writeOutput } from './report.js';

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

export function finishRun(result: RunResult, o: FinishOptions): void {
  const { human } = o;
  if (!(o.gate && o.ci)) human.write(renderTables(result, { color: o.color, width: Math.min(120, human.columns || 100) }));
  const files = resultFiles(result, o.out);
  writeOutput(files.json, renderJson(result));
  writeOutput(files.csv, renderCsv(result));
  if (o.json) writeOutput(o.json, renderJson(result));
  if (o.csv) writeOutput(o.csv, renderCsv(result));
  if (!o.quiet) process.stderr.write(`wrote ${files.json} and ${files.csv}\n`);

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

  const failedTrials = result.trials.filter((t) => t.error !== null).length;
  const broken = result.sanity.filter((v) => !v.ok);
  if (broken.length > 0) {
    process.stderr.write(`durabench: SANITY CHECK FAILED (${broken.length}): ${broken.map((v) => `${v.target} ${v.mode}: ${v.check}`).join('; ')} — the tool or the server is wrong\n`);
    process.exitCode = 1;
  } else if (failedTrials > 0) {
    process.stderr.write(`durabench: ${failedTrials} of ${result.trials.length} trials failed (see the table above)\n`);
    process.exitCode = 1;
  }
}
