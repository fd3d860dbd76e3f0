/**
 * `durabench merge <result.json>...`: joins the results of `durabench run --shard i/n` into the
 * result of the whole run and then does what `run` does with a result: tables, JSON/CSV in
 * --out, --json/--csv, and --gate with --baseline/--junit/--bench-json. Inputs that are not
 * the shards of one run are one line and exit 2.
 */
import type { Argv, CommandModule } from 'yargs';
import { mergeShards } from '../harness/merge.js';
import { finishRun, prepareOutput } from './finish-run.js';
import { readRunResultFile } from './report.js';

interface MergeArgs {
  results: string[];
  out: string;
  json?: string;
  csv?: string;
  html?: string;
  charts?: boolean;
  quiet?: boolean;
  color?: boolean;
  gate?: boolean;
  baseline?: string;
  junit?: string;
  'bench-json'?: string;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <results..>',
  describe: 'Join the results of `run --shard i/n` into one run: tables, JSON/CSV and gates as a single run',
  builder: (y: Argv<object>) =>
    y
      .positional('results', { type: 'string', array: true, demandOption: true, describe: 'shard result .json files, one per shard' })
      .option('out', { type: 'string', default: 'results', describe: 'directory for <timestamp>-<scenario>.json and .csv' })
      .option('json', { type: 'string', nargs: 1, describe: 'also write the JSON here (- for stdout)' })
      .option('csv', { type: 'string', nargs: 1, describe: 'also write the CSV here (- for stdout)' })
      .option('html', { type: 'string', nargs: 1, describe: 'also write a self-contained HTML report (tables and charts) here' })
      .option('charts', { type: 'boolean', default: true, describe: 'terminal charts under the tables (on a TTY outside CI); --no-charts leaves them out' })
      .option('quiet', { type: 'boolean', alias: 'q', describe: 'no "wrote ..." line' })
      .option('color', { type: 'boolean', describe: 'colour the tables (default: only on a TTY outside CI)' })
      .option('gate', { type: 'boolean', describe: "evaluate the scenario's gates: exit 0 all pass, 99 one fails" })
      .option('baseline', { type: 'string', nargs: 1, describe: 'baseline run result for `<n> * baseline` gates' })
      .option('junit', { type: 'string', nargs: 1, describe: 'with --gate: write JUnit XML here' })
      .option('bench-json', { type: 'string', nargs: 1, describe: 'with --gate: github-action-benchmark JSON' })
      .example('$0 merge shard-*/*.json --gate --junit gates.xml', 'after `run ci-gate --shard i/4` on 4 runners') as unknown as Argv<MergeArgs>,
  handler: async (args) => {
    const inputs = args.results.map((file) => ({ file, result: readRunResultFile(file) }));
    const result = mergeShards(inputs);
    await finishRun(result, { ...prepareOutput(args, result.scenario), quiet: args.quiet ?? false });
  },
};
