import fs from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { RunResult } from '../shared/result.js';
import { ConfigError, UsageError } from '../shared/errors.js';
import { shouldColor } from '../report/color.js';
import { renderCsv } from '../report/csv.js';
import { parseAnyResult, parseRunResult, renderJson } from '../report/json.js';
import type { MicroResult } from '../report/micro-result.js';
import { renderMicroCsv, renderMicroTable } from '../report/micro-table.js';
import { renderTables } from '../report/table.js';

/**
 * `durabench report <result.json> [--format table|csv|json]`: re-renders a saved run (or
 * micro) result to stdout. Also home of the small I/O helpers gate/compare/micro share.
 */
const FORMATS = ['table', 'csv', 'json'] as const;

interface ReportArgs {
  result: string;
  format: (typeof FORMATS)[number];
  color?: boolean;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <result>',
  describe: 'Re-render a saved result (table, CSV or JSON) to stdout',
  builder: (y: Argv<object>) =>
    y
      .positional('result', { type: 'string', demandOption: true, describe: 'a result .json written by run or micro' })
      .option('format', { choices: FORMATS, default: 'table' as const, describe: 'output format' })
      .option('color', { type: 'boolean', describe: 'colour the table (default: only on a TTY outside CI)' })
      .example('$0 report results/run.json --format csv > run.csv', '') as unknown as Argv<ReportArgs>,
  handler: (args) => {
    const r = readResultFile(args.result);
    const color = args.color ?? stdoutColor();
    process.stdout.write(renderResult(r, args.format, color));
  },
};

export function renderResult(r: RunResult | MicroResult, format: 'table' | 'csv' | 'json', color: boolean): string {
  if (format === 'json') return renderJson(r);
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

export function readResultFile(file: string): RunResult | MicroResult {
  return parseAnyResult(readUserFile(file, 'result file'), file);
}

export function readRunResultFile(file: string): RunResult {
  return parseRunResult(readUserFile(file, 'result file'), file);
}

/**
 * Writes text to a file (creating its directory) or to stdout for '-'. The file appears
 * whole or not at all: written beside it under a temp name, then renamed.
 */
export function writeOutput(file: string, text: string): void {
  if (file === '-') {
    process.stdout.write(text);
    return;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

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
