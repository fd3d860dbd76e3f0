/**
 * Charts on the CLI's side: whether to draw terminal charts (--no-charts, a TTY, CI), and
 * writing the HTML report. run, merge and report use these; sweep and claims call the same
 * two functions (one line each): `if (wantCharts(args.charts, out)) out.write(renderCharts(result, ...))`
 * and `await writeHtmlReport(result, args.html)`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChartableResult } from '../report/charts/index.js';
import { renderCharts } from '../report/charts/index.js';
import { UsageError } from '../shared/errors.js';
import { writeOutput } from './write-output.js';

/**
 * Terminal charts are for a person at a terminal: off with --no-charts, when the stream is
 * not a TTY (piped, redirected) and in CI (CI=true), where they would only bloat the log.
 */
export function wantCharts(flag: boolean | undefined, stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): boolean {
  if (flag === false) return false;
  if (env.CI === 'true' || env.CI === '1') return false;
  return stream.isTTY === true;
}

/** The charts under the tables, sized to the terminal (at most 100 columns). */
export function terminalCharts(result: ChartableResult, stream: { columns?: number }, color: boolean): string {
  return '\n' + renderCharts(result, { width: Math.min(100, stream.columns || 100), color });
}

/**
 * Renders the HTML report, then writes it whole (temp file + rename): a failure while
 * rendering leaves no file, a failure while writing leaves no half-written one. Vega is
 * loaded only here, so commands that write no HTML do not pay its start-up.
 */
export async function writeHtmlReport(result: ChartableResult, file: string): Promise<void> {
  const { renderHtmlReport } = await import('../report/html/html-report.js');
  let html: string;
  try {
    html = await renderHtmlReport(result);
  } catch (e) {
    throw new UsageError(`cannot render the HTML report for ${file}: ${(e as Error).message}`);
  }
  writeOutput(file, html);
}

/** --html must be writable before minutes of work, not after. */
export function checkHtmlPath(file: string | undefined): void {
  if (file === undefined || file === '-') return;
  const dir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    throw new UsageError(`--html ${file}: cannot write there (${(e as Error).message})`);
  }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(`--html ${file}: is a directory`);
}
