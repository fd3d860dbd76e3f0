/**
 * `durabench sweep`: wiring only. Check the flags, run the sweep with progress on a TTY,
 * print the tables, write results/<timestamp>-sweep.json and .csv (and --json/--csv).
 * Interrupts kill every server and remove the temp dirs (as `run`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { runSweep } from '../harness/sweep/sweep.js';
import { shouldColor } from '../report/color.js';
import { renderJson } from '../report/json.js';
import { renderSweepCsv } from '../report/sweep-csv.js';
import { renderSweepTables } from '../report/sweep-table.js';
import { UsageError } from '../shared/errors.js';
import type { SweepResult } from '../shared/sweep-result.js';
import { TARGETS } from '../shared/types.js';
import { onInterrupt } from './on-interrupt.js';
import { checkHtmlPath, terminalCharts, wantCharts, writeHtmlReport } from './chart-output.js';
import { writeOutput } from './write-output.js';
import { DEFAULT_SIZES, sweepFlags, sweepOptions, type SweepArgs } from './sweep-options.js';
import { sweepProgress } from './sweep-progress.js';

/** --out must be writable before minutes of work, not after. */
export function checkOutDir(out: string): void {
  try {
    fs.mkdirSync(out, { recursive: true });
    fs.accessSync(out, fs.constants.W_OK);
  } catch (e) {
    throw new UsageError(`--out ${out}: cannot write there (${(e as Error).message})`);
  }
}

export function stampedFile(outDir: string, startedAt: string, name: string, ext: string): string {
  return path.join(outDir, `${startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}-${name}.${ext}`);
}

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep',
  describe: 'Grow the dataset through sizes: fork/snapshot pause, COW, latency during a snapshot, RDB/AOF size and load time, RSS',
  builder: (y: Argv<object>) =>
    sweepFlags(y, { sizes: DEFAULT_SIZES })
      .option('target', { type: 'string', default: 'builtin', describe: `server(s), comma list: ${TARGETS.join(', ')}` })
      .option('seed', { type: 'number', default: 1, describe: 'seed of the values and the keys the load overwrites' })
      .option('out', { type: 'string', default: 'results', describe: 'directory for <timestamp>-sweep.json and .csv' })
      .option('json', { type: 'string', nargs: 1, describe: 'also write the JSON here (- for stdout)' })
      .option('csv', { type: 'string', nargs: 1, describe: 'also write the CSV here (- for stdout)' })
      .option('html', { type: 'string', nargs: 1, describe: 'also write a self-contained HTML report (tables and charts) here' })
      .option('charts', { type: 'boolean', default: true, describe: 'terminal charts under the tables (on a TTY outside CI); --no-charts leaves them out' })
      .option('quiet', { type: 'boolean', alias: 'q', describe: 'no progress' })
      .option('color', { type: 'boolean', describe: 'colour the tables (default: only on a TTY outside CI)' })
      .example('$0 sweep --target builtin,redis', 'both servers at 100k, 1M and 4M keys (~5 min)')
      .example('$0 sweep --sizes 10k,100k --target redis --json -', 'a quick one, JSON on stdout')
      .example('$0 sweep --values repetitive --modes rdb', 'what compressible values flatter') as unknown as Argv<SweepArgs>,
  handler: async (args) => {
    const options = sweepOptions(args);
    checkOutDir(args.out);
    checkHtmlPath(args.html);
    const human = args.json === '-' || args.csv === '-' ? process.stderr : process.stdout;
    const show = args.quiet ? null : sweepProgress(process.stderr, process.stderr.isTTY === true);
    const uninstall = onInterrupt();
    let result: SweepResult;
    try {
      result = await runSweep({
        ...options,
        onEvent: (e) => {
          // a skipped size changes what the result holds: said even when quiet
          if (show) show(e);
          else if (e.type === 'skip') process.stderr.write(`skipping ${e.keys} keys: ${e.reason}\n`);
        },
      });
    } finally {
      uninstall();
    }
    const color = args.color ?? shouldColor(human.isTTY, process.env);
    human.write(renderSweepTables(result, { color }));
    if (wantCharts(args.charts, human)) human.write(terminalCharts(result, human, color));
    const json = stampedFile(args.out, result.startedAt, 'sweep', 'json');
    const csv = stampedFile(args.out, result.startedAt, 'sweep', 'csv');
    writeOutput(json, renderJson(result));
    writeOutput(csv, renderSweepCsv(result));
    if (args.json) writeOutput(args.json, renderJson(result));
    if (args.csv) writeOutput(args.csv, renderSweepCsv(result));
    if (args.html) await writeHtmlReport(result, args.html);
    if (!args.quiet) process.stderr.write(`wrote ${json} and ${csv}${args.html ? ` and ${args.html}` : ''}\n`);
    const failed = result.points.filter((p) => p.error !== null);
    if (failed.length > 0) {
      process.stderr.write(`durabench: ${failed.length} of ${result.points.length} sweep points failed (see the table above)\n`);
      process.exitCode = 1;
    }
  },
};

export default sweepCommand;
