import type { Argv, CommandModule } from 'yargs';
import { RunError, UsageError } from '../shared/errors.js';
import { renderBenchJson } from '../report/bench-json.js';
import { shouldColor } from '../report/color.js';
import { renderJson } from '../report/json.js';
import { renderMicroTable } from '../report/micro-table.js';
import { benchJsonPaths } from './gate.js';
import { stdoutColor, writeOutput } from './report.js';

interface MicroArgs {
  json?: string;
  'bench-json'?: string;
  time: number;
  filter?: string | string[];
  color?: boolean;
}

export const microCommand: CommandModule<object, MicroArgs> = {
  command: 'micro',
  describe: 'Micro-benchmarks of the persistence hot paths (RESP, AOF, RDB, CRC64, LZF)',
  builder: (y: Argv<object>) =>
    y
      .option('json', { type: 'string', requiresArg: true, describe: "write the result as JSON to a file, or '-' for stdout" })
      .option('bench-json', { type: 'string', describe: 'write github-action-benchmark JSON: FILE.bigger.json (ops/s), FILE.smaller.json (ms)' })
      .option('time', { type: 'number', default: 500, describe: 'time budget per benchmark, ms' })
      .option('filter', { type: 'string', describe: `only benchmarks whose name contains this (suites: resp-decode, resp-encode, aof-append, crc64, key-hash, lzf, rdb)` })
      .option('color', { type: 'boolean', describe: 'colour (default: only on a TTY outside CI)' })
      .example('$0 micro --json results/micro.json', '')
      .example('$0 micro --filter crc64 --filter lzf --time 200', '') as unknown as Argv<MicroArgs>,
  handler: async (args) => {
    if (!Number.isFinite(args.time) || args.time <= 0) throw new UsageError(`--time must be a positive number of ms (got ${args.time})`);
    // Loaded on demand: the suites import the server and RDB code, which other commands never need.
    const { runMicro } = await import('../micro/run.js');
    const filter = args.filter === undefined ? undefined : [args.filter].flat();
    const jsonToStdout = args.json === '-';
    const progress = process.stderr.isTTY === true && process.env.CI !== 'true';
    const { result, errors } = await runMicro({
      timeMs: args.time,
      filter,
      onSuite: progress ? (s) => process.stderr.write(`running ${s.name}: ${s.description}\n`) : undefined,
    });
    if (filter && filter.length > 0 && result.benchmarks.length === 0 && errors.length === 0) {
      throw new UsageError(`--filter ${filter.join(', ')} matched no benchmark`);
    }
    // The table is for humans: stderr when stdout carries the JSON.
    if (jsonToStdout) process.stderr.write(renderMicroTable(result, { color: shouldColor(process.stderr.isTTY, process.env) }));
    else process.stdout.write(renderMicroTable(result, { color: args.color ?? stdoutColor() }));
    if (args.json !== undefined) writeOutput(args.json, renderJson(result));
    if (args['bench-json'] !== undefined) {
      const p = benchJsonPaths(args['bench-json']);
      writeOutput(p.bigger, renderBenchJson(result, 'bigger'));
      writeOutput(p.smaller, renderBenchJson(result, 'smaller'));
    }
    if (errors.length > 0) {
      throw new RunError(`${errors.length} micro-benchmark(s) failed: ${errors.map((e) => `${e.name}: ${e.error}`).join('; ')}`);
    }
  },
};
