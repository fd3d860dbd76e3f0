/**
 * The options of `durabench run` and the arguments yargs parses from them; the order here is
 * the order --help lists them in.
 */
import type { Argv } from 'yargs';
import { UsageError } from '../shared/errors.js';
import { FAULTS, MODES, TARGETS, WORKLOADS } from '../shared/types.js';

export interface RunArgs {
  scenario?: string;
  target?: string;
  modes?: string;
  trials?: number;
  seed?: number;
  duration?: string;
  workload?: string;
  clients?: number;
  pipeline?: number;
  workers?: string;
  rate?: number;
  'value-size'?: number;
  keys?: number;
  preload?: number;
  fault?: string;
  'snapshot-strategy'?: string;
  'snapshot-encoder'?: string;
  'crash-model'?: string;
  out: string;
  csv?: string;
  json?: string;
  html?: string;
  charts?: boolean;
  quiet?: boolean;
  keep?: boolean;
  'warm-up'?: boolean;
  color?: boolean;
  gate?: boolean;
  baseline?: string;
  junit?: string;
  'bench-json'?: string;
  shard?: string;
}

/** `--shard 2/4` → { index: 2, count: 4 }; anything else is a usage error. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > 1000 || index < 1 || index > count) {
    throw new UsageError(`--shard ${text}: expected i/n with 1 ≤ i ≤ n ≤ 1000, e.g. --shard 2/4`);
  }
  return { index, count };
}

export function runOptions(y: Argv<object>): Argv<RunArgs> {
  return y
    .positional('scenario', { type: 'string', describe: 'scenario .json, or a preset name (default, quick, real-redis, ci-gate, power-loss, slow-fsync, disk-full, damaged-files, matrix)' })
    .option('target', { type: 'string', describe: `server(s) to run, comma list: ${TARGETS.join(', ')}, external:<file> (a server run by Docker, Kubernetes, ssh: see examples/targets)` })
    .option('modes', { type: 'string', describe: `comma list of ${MODES.join(', ')}` })
    .option('trials', { type: 'number', describe: 'trials per mode and target' })
    .option('seed', { type: 'number', describe: 'seed for keys and kill points' })
    .option('duration', { type: 'string', describe: 'write phase length: 10s, 1500ms, 2m (bare number = s); scales the kill window' })
    .option('workload', { type: 'string', describe: WORKLOADS.join(', ') })
    .option('clients', { type: 'number', describe: 'client connections' })
    .option('pipeline', { type: 'number', describe: 'commands outstanding per client' })
    .option('workers', { type: 'string', nargs: 1, describe: 'load generator threads the clients are spread over, or auto (default: one per core but one left to the server, at most one per client)' })
    .option('rate', { type: 'number', describe: 'open loop: total ops/s (0 = closed loop, as fast as it goes)' })
    .option('value-size', { type: 'number', describe: 'value bytes' })
    .option('keys', { type: 'number', describe: 'keyspace size (lists for list-append)' })
    .option('preload', { type: 'number', describe: 'keys written before the measured phase' })
    .option('fault', { type: 'string', describe: `fault(s) to inject, comma list: ${FAULTS.join(', ')}` })
    .option('crash-model', { type: 'string', describe: 'power-loss faults: posix (a name change needs its directory fsynced) or ext4 (a journal commits it at the next fsync)' })
    .option('snapshot-strategy', { type: 'string', describe: 'built-in server snapshots: cow (copy-on-write) or blocking (all at once, like a copying fork)' })
    .option('snapshot-encoder', { type: 'string', describe: 'built-in server RDB saves encode on a thread or the main thread: auto (a thread wherever there is a second core), thread, main' })
    .option('shard', { type: 'string', nargs: 1, describe: 'run slice i of n of the trials (e.g. 2/4); `durabench merge` joins the results' })
    .option('out', { type: 'string', default: 'results', describe: 'directory for <timestamp>-<scenario>.json and .csv' })
    .option('csv', { type: 'string', nargs: 1, describe: 'also write the CSV here (- for stdout)' })
    .option('json', { type: 'string', nargs: 1, describe: 'also write the JSON here (- for stdout)' })
    .option('html', { type: 'string', nargs: 1, describe: 'also write a self-contained HTML report (tables and charts) here' })
    .option('charts', { type: 'boolean', default: true, describe: 'terminal charts under the tables (on a TTY outside CI); --no-charts leaves them out' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'no progress' })
    .option('keep', { type: 'boolean', describe: "keep each trial's temp dir (data files, server logs)" })
    .option('warm-up', { type: 'boolean', default: true, describe: "warm the load generator up on a throwaway built-in server before the first trial; --no-warm-up: the first trials' latency then includes its JIT" })
    .option('color', { type: 'boolean', describe: 'colour the tables (default: only on a TTY outside CI)' })
    .option('gate', { type: 'boolean', describe: "evaluate the scenario's gates: exit 0 all pass, 99 one fails" })
    .option('baseline', { type: 'string', nargs: 1, describe: 'baseline run result for `<n> * baseline` gates (default: the scenario\'s "baseline")' })
    .option('junit', { type: 'string', nargs: 1, describe: 'with --gate: write JUnit XML here (one testcase per gate)' })
    .option('bench-json', { type: 'string', nargs: 1, describe: 'with --gate: github-action-benchmark JSON (FILE.bigger.json, FILE.smaller.json)' })
    .example('$0 run', 'the default scenario on the built-in server (~2 min)')
    .example('$0 run ci-gate --gate --junit gates.xml', 'a CI step (ci-gate names its baseline)')
    .example('$0 run ci-gate --shard 1/4 --out shard1', 'one of 4 CI runners; then: durabench merge shard*/*.json')
    .example('$0 run quick --target builtin,redis', 'both servers side by side')
    .example('$0 run quick --target external:examples/targets/docker.json', 'redis:7 in Docker, started and killed by the commands in the file')
    .example('$0 run quick --fault sigkill,sigterm', 'two faults: every mode under each')
    .example('$0 run quick --html quick.html', 'also a report to open in a browser')
    .example('$0 run scenarios/default.json --modes none,aof-always --trials 5 --json -', '') as unknown as Argv<RunArgs>;
}
