import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../shared/errors.js';
import { compareResults, hasRegression, scenarioDifferences } from '../report/compare.js';
import { renderCompare } from '../report/compare-table.js';
import { renderJson } from '../report/json.js';
import { readResultFile, stdoutColor, writeOutput } from './report.js';

export const REGRESSION_EXIT = 99;

interface CompareArgs {
  baseline: string;
  current: string;
  threshold: string;
  json?: string;
  all?: boolean;
  color?: boolean;
}

/** "10%", "10", "2.5%" → 10, 10, 2.5 */
export function parseThreshold(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(s);
  if (!m) throw new UsageError(`--threshold must be a percentage like 10% (got '${s}')`);
  return Number(m[1]);
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <baseline> <current>',
  describe: 'Compare two results by median per target/mode/metric (exit 99 on a regression)',
  builder: (y: Argv<object>) =>
    y
      .positional('baseline', { type: 'string', demandOption: true, describe: 'baseline result .json (run or micro)' })
      .positional('current', { type: 'string', demandOption: true, describe: 'current result .json, same kind' })
      .option('threshold', { type: 'string', default: '10%', describe: 'changes within ± this are "same"' })
      .option('json', { type: 'string', requiresArg: true, describe: "write the comparison as JSON to a file, or '-' for stdout only" })
      .option('all', { type: 'boolean', default: false, describe: 'list unchanged metrics too' })
      .option('color', { type: 'boolean', describe: 'colour (default: only on a TTY outside CI)' })
      .example('$0 compare results/baseline/ci.json results/run.json --threshold 15%', '') as unknown as Argv<CompareArgs>,
  handler: (args) => {
    const thresholdPct = parseThreshold(args.threshold);
    const baseline = readResultFile(args.baseline);
    const current = readResultFile(args.current);
    const rows = compareResults(baseline, current, { thresholdPct });
    const diffs = scenarioDifferences(baseline, current);
    if (diffs.length > 0) {
      process.stderr.write(`durabench: warning: the runs used different scenarios (${diffs.join('; ')}); changes may not be regressions\n`);
    }
    if (args.json !== undefined) {
      const doc = {
        schemaVersion: 1,
        kind: 'compare',
        baseline: args.baseline,
        current: args.current,
        thresholdPct,
        regression: hasRegression(rows),
        rows,
      };
      writeOutput(args.json, renderJson(doc));
    }
    // With --json - stdout carries only the JSON (machines apart from humans).
    if (args.json !== '-') {
      process.stdout.write(renderCompare(rows, { color: args.color ?? stdoutColor(), all: args.all, thresholdPct }));
    }
    if (hasRegression(rows)) process.exitCode = REGRESSION_EXIT;
  },
};
