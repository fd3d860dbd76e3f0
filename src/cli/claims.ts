/**
 * `durabench claims`: wiring only. Either read saved run and sweep results (--from), or make
 * them: a small run (the power-loss preset's modes under sigkill and power-loss, the
 * latter under strace), the disk-full preset's AOF modes, and a small sweep; then
 * evaluateClaims, print the table, write the
 * claims JSON (and, when it ran them, the run and sweep results it judged, so they can be
 * read again with --from).
 */
import type { Argv, CommandModule } from 'yargs';
import { evaluateClaims, CLAIM_TEXTS, targetsIn } from '../harness/claims/evaluate.js';
import { AOF_MODES } from '../harness/claims/run-claims.js';
import { runScenario, environment } from '../harness/run.js';
import { toolVersion } from '../harness/repo.js';
import { runSweep } from '../harness/sweep/sweep.js';
import { redisAvailable } from '../harness/targets/redis.js';
import { renderClaimsTable } from '../report/claims-table.js';
import { shouldColor } from '../report/color.js';
import { parseRunResult, renderJson } from '../report/json.js';
import { renderSweepCsv } from '../report/sweep-csv.js';
import { validateSweep } from '../report/sweep-parse.js';
import { renderCsv } from '../report/csv.js';
import { applyOverrides, loadScenario } from '../scenario/index.js';
import { CLAIM_IDS, type ClaimsResult } from '../shared/claims.js';
import { ConfigError, UsageError } from '../shared/errors.js';
import type { RunResult } from '../shared/result.js';
import type { SweepResult } from '../shared/sweep-result.js';
import { CRASH_MODELS, TARGETS } from '../shared/types.js';
import { onInterrupt } from './on-interrupt.js';
import { progress } from './progress.js';
import { checkHtmlPath, terminalCharts, wantCharts, writeHtmlReport } from './chart-output.js';
import { readUserFile, writeOutput } from './report.js';
import { checkOutDir, stampedFile } from './sweep.js';
import { parseTargets, sweepFlags, sweepOptions, type SweepArgs } from './sweep-options.js';
import { sweepProgress } from './sweep-progress.js';

interface ClaimsArgs extends Omit<SweepArgs, 'target'> {
  from?: string;
  target?: string;
  trials: number;
  'crash-model': string;
}

/** A saved result for --from: a run or a sweep, told apart by `kind`. */
export function readClaimSource(file: string): RunResult | SweepResult {
  const text = readUserFile(file, 'result file');
  let kind: unknown;
  try {
    kind = (JSON.parse(text) as { kind?: unknown } | null)?.kind;
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (kind === 'run') return parseRunResult(text, file);
  if (kind === 'sweep') return validateSweep(JSON.parse(text), file);
  throw new ConfigError(`${file}: kind ${JSON.stringify(kind ?? null)}: --from takes run and sweep results (durabench run / sweep --json)`);
}

export const claimsCommand: CommandModule<object, ClaimsArgs> = {
  command: 'claims',
  describe: "Check the Redis persistence docs' claims on this machine: held, did not hold, or not measured, per target",
  builder: (y: Argv<object>) =>
    sweepFlags(y, { sizes: '100k,1M' })
      .option('from', { type: 'string', nargs: 1, describe: 'judge saved run and sweep results (comma list of .json) instead of running' })
      .option('target', { type: 'string', describe: `server(s), comma list: ${TARGETS.join(', ')} (default: builtin, and redis where installed)` })
      .option('trials', { type: 'number', default: 1, describe: 'trials per mode and fault of the run (more: a stronger answer)' })
      .option('crash-model', { type: 'string', default: 'ext4', describe: `power cut: ${CRASH_MODELS.join(' or ')} (see run --help)` })
      .option('seed', { type: 'number', default: 8, describe: 'seed of the run and the sweep' })
      .option('out', { type: 'string', default: 'results', describe: 'directory for <timestamp>-claims.json (and the run and sweep it made)' })
      .option('json', { type: 'string', nargs: 1, describe: 'also write the claims JSON here (- for stdout)' })
      .option('html', { type: 'string', nargs: 1, describe: 'also write a self-contained HTML report (tables and charts) here' })
      .option('charts', { type: 'boolean', default: true, describe: 'terminal charts under the tables (on a TTY outside CI); --no-charts leaves them out' })
      .option('quiet', { type: 'boolean', alias: 'q', describe: 'no progress' })
      .option('color', { type: 'boolean', describe: 'colour the table (default: only on a TTY outside CI)' })
      .example('$0 claims', 'run what it needs on both servers (~5 min), print the verdicts')
      .example('$0 claims --from results/a-run.json,results/b-sweep.json', 'judge saved results')
      .example('$0 claims --trials 3 --sizes 100k,1M,4M', 'a stronger answer (~15 min)') as unknown as Argv<ClaimsArgs>,
  handler: async (args) => {
    const startedAt = new Date().toISOString();
    const wanted = args.target !== undefined ? parseTargets(args.target) : null;
    if (!(CRASH_MODELS as readonly string[]).includes(args['crash-model'])) throw new UsageError(`--crash-model: '${args['crash-model']}' is not one of ${CRASH_MODELS.join(', ')}`);
    if (!Number.isInteger(args.trials) || args.trials < 1 || args.trials > 100) throw new UsageError(`--trials: ${args.trials} is not a whole number from 1 to 100`);
    checkOutDir(args.out);
    checkHtmlPath(args.html);
    const runs: RunResult[] = [];
    const sweeps: SweepResult[] = [];
    const sources: string[] = [];
    if (args.from !== undefined) {
      const files = args.from.split(',').map((f) => f.trim()).filter(Boolean);
      if (files.length === 0) throw new UsageError('--from: name at least one result file');
      for (const f of files) {
        const r = readClaimSource(f);
        if (r.kind === 'run') runs.push(r);
        else sweeps.push(r);
        sources.push(f);
      }
    } else {
      const targets = wanted ?? (redisAvailable() ? ['builtin' as const, 'redis' as const] : ['builtin' as const]);
      // checked before minutes of work
      const sweepOpts = sweepOptions({ ...args, target: targets.join(',') });
      const scenario = applyOverrides(await loadScenario('power-loss'), {
        target: targets.join(','),
        fault: 'sigkill,power-loss',
        trials: args.trials,
        seed: args.seed,
        crashModel: args['crash-model'],
      });
      // claim 10: the AOF modes under disk-full (a tmpfs: root on Linux, else skipped with the reason)
      const full = applyOverrides(await loadScenario('disk-full'), {
        target: targets.join(','),
        modes: AOF_MODES,
        trials: args.trials,
        seed: args.seed,
      });
      const live = process.stderr.isTTY === true;
      const uninstall = onInterrupt();
      try {
        const showRun = args.quiet ? null : progress(process.stderr, live);
        const run = await runScenario({ ...scenario, name: 'claims' }, { onEvent: (e) => showRun?.(e) });
        const showFull = args.quiet ? null : progress(process.stderr, live);
        const fullRun = await runScenario({ ...full, name: 'claims-disk-full' }, { onEvent: (e) => showFull?.(e) });
        const showSweep = args.quiet ? null : sweepProgress(process.stderr, live);
        const sweep = await runSweep({ ...sweepOpts, onEvent: (e) => (showSweep ? showSweep(e) : e.type === 'skip' && process.stderr.write(`skipping ${e.keys} keys: ${e.reason}\n`)) });
        runs.push(run, fullRun);
        sweeps.push(sweep);
        /** The JSON (read again with --from) and the CSV beside it; returns the JSON's path. */
        const save = (startedAt: string, stem: string, json: string, csv: string): string => {
          const file = stampedFile(args.out, startedAt, stem, 'json');
          writeOutput(file, json);
          writeOutput(file.replace(/\.json$/, '.csv'), csv);
          return file;
        };
        sources.push(
          save(run.startedAt, 'claims-run', renderJson(run), renderCsv(run)),
          save(fullRun.startedAt, 'claims-disk-full-run', renderJson(fullRun), renderCsv(fullRun)),
          save(sweep.startedAt, 'claims-sweep', renderJson(sweep), renderSweepCsv(sweep)),
        );
      } finally {
        uninstall();
      }
    }
    const present = targetsIn(runs, sweeps);
    const targets = wanted ? wanted.filter((t) => present.includes(t)) : present;
    if (targets.length === 0) throw new ConfigError(`no results for ${wanted ? `target ${wanted.join(', ')}` : 'any target'} in ${sources.join(', ')}`);
    const versions = Object.assign({}, ...runs.map((r) => r.environment.targetVersions), ...sweeps.map((s) => s.environment.targetVersions));
    const result: ClaimsResult = {
      schemaVersion: 1,
      kind: 'claims',
      tool: { name: 'durabench', version: toolVersion() },
      environment: environment(versions),
      startedAt,
      claims: CLAIM_IDS.map((id) => ({ id, text: CLAIM_TEXTS[id] })),
      verdicts: evaluateClaims(runs, sweeps, targets),
      sources,
    };
    const human = args.json === '-' ? process.stderr : process.stdout;
    const color = args.color ?? shouldColor(human.isTTY, process.env);
    human.write(renderClaimsTable(result, { color, width: Math.min(120, human.columns || 100) }));
    if (wantCharts(args.charts, human)) human.write(terminalCharts(result, human, color));
    const file = stampedFile(args.out, startedAt, 'claims', 'json');
    writeOutput(file, renderJson(result));
    if (args.json) writeOutput(args.json, renderJson(result));
    if (args.html) await writeHtmlReport(result, args.html);
    if (!args.quiet) process.stderr.write(`wrote ${file}${args.html ? ` and ${args.html}` : ''}\n`);
  },
};

export default claimsCommand;
