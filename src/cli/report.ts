import fs from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import type { RunResult } from '../shared/result.js';
import { ConfigError, UsageError } from '../shared/errors.js';
import { shouldColor } from '../report/color.js';
import { renderCsv } from '../report/csv.js';
import { parseAnyResult, parseReportable, parseRunResult, renderJson } from '../report/json.js';
import type { ClaimsResult } from '../shared/claims.js';
import type { SweepResult } from '../shared/sweep-result.js';
import { terminalCharts, wantCharts, writeHtmlReport } from './chart-output.js';
import { writeOutput } from './write-output.js';
import type { MicroResult } from '../report/micro-result.js';
import { renderMicroCsv, renderMicroTable } from '../report/micro-table.js';
import { renderTables } from '../report/table.js';
import { renderSweepTables } from '../report/sweep-table.js';
import { renderSweepCsv } from '../report/sweep-csv.js';
import { renderClaimsTable } from '../report/claims-table.js';

/**
 * `durabench report <result.json> [--format table|csv|json|html] [--output file]`: re-renders a
 * saved run, micro, sweep or claims result, to stdout or (written whole) to a file. Also home of
 * the small I/O helpers gate/compare/micro share.
 */
const FORMATS = ['table', 'csv', 'json', 'html'] as const;

interface ReportArgs {
  result: string;
  format: (typeof FORMATS)[number];
  output?: string;
  color?: boolean;
  charts?: boolean;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <result>',
  describe: 'Re-render a saved result (table, CSV, JSON, or a self-contained HTML report)',
  builder: (y: Argv<object>) =>
    y
      .positional('result', { type: 'string', demandOption: true, describe: 'a result .json written by run, merge, micro, sweep or claims' })
      .option('format', { choices: FORMATS, default: 'table' as const, describe: 'output format (html: run, sweep and claims results)' })
      .option('output', { type: 'string', alias: 'o', nargs: 1, describe: 'write to this file (whole or not at all) instead of stdout' })
      .option('color', { type: 'boolean', describe: 'colour the table (default: only on a TTY outside CI)' })
      .option('charts', { type: 'boolean', default: true, describe: 'terminal charts under the table (on a TTY outside CI); --no-charts leaves them out' })
      .example('$0 report results/run.json --format csv > run.csv', '')
      .example('$0 report results/run.json --format html -o run.html', 'one file to open in a browser, offline') as unknown as Argv<ReportArgs>,
  handler: async (args) => {
    const r = readReportableFile(args.result);
    const out = args.output ?? '-';
    if (args.format === 'html') {
      if (r.kind === 'micro') throw new UsageError(`${args.result}: --format html reports run, sweep and claims results, not micro-benchmarks`);
      await writeHtmlReport(r, out);
      return;
    }
    if (r.kind === 'claims' && args.format === 'csv') throw new UsageError(`${args.result}: a claims result renders as a table, json or html (no CSV)`);
    const toTty = out === '-' && process.stdout.isTTY === true;
    const color = args.color ?? (out === '-' ? stdoutColor() : false);
    let text = renderResult(r, args.format, color);
    if (r.kind !== 'micro' && args.format === 'table' && out === '-' && wantCharts(args.charts, { isTTY: toTty })) {
      text += terminalCharts(r, process.stdout, color);
    }
    writeOutput(out, text);
  },
};

export function renderResult(r: RunResult | MicroResult | SweepResult | ClaimsResult, format: 'table' | 'csv' | 'json', color: boolean): string {
  if (format === 'json') return renderJson(r);
  if (r.kind === 'sweep') return format === 'csv' ? renderSweepCsv(r) : renderSweepTables(r, { color });
  if (r.kind === 'claims') return renderClaimsTable(r, { color, width: Math.min(120, process.stdout.columns || 100) });
  if (r.kind === 'micro') return format === 'csv' ? renderMicroCsv(r) : renderMicroTable(r, { color });
  return format === 'csv' ? renderCsv(r) : renderTables(r, { color });
}

/** Colour for stdout: off in CI, when piped, or with NO_COLOR. */
export function stdoutColor(): boolean {
  return shouldColor(process.stdout.isTTY, process.env);
}

/** Reads a file a user named; a missing or unreadable file is a usage error, not a crash. */
export function readUserFile(file: string, what = 'file'): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${what} not found: ${file}`);
    if (code === 'EISDIR') throw new UsageError(`${what} is a directory: ${file}`);
    throw new UsageError(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

/** Any result `report` renders: run, micro, sweep or claims. */
export function readReportableFile(file: string): RunResult | MicroResult | SweepResult | ClaimsResult {
  return parseReportable(readUserFile(file, 'result file'), file);
}

export function readResultFile(file: string): RunResult | MicroResult {
  return parseAnyResult(readUserFile(file, 'result file'), file);
}

export function readRunResultFile(file: string): RunResult {
  return parseRunResult(readUserFile(file, 'result file'), file);
}

// gate, compare and micro import it from here
export { writeOutput };

/** The `gates` array of a scenario (or any JSON object with one). */
export function readGatesFile(file: string): string[] {
  const text = readUserFile(file, 'gates file');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const gates = (data as { gates?: unknown } | null)?.gates;
  if (!Array.isArray(gates) || gates.some((g) => typeof g !== 'string')) {
    throw new ConfigError(`${file}: gates must be an array of strings`);
  }
  return gates as string[];
}
