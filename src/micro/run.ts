import { Bench, type Task } from 'tinybench';
import type { MicroBenchmark, MicroResult } from '../report/micro-result.js';
import { microEnvironment, toolVersion } from './environment.js';
import { SUITES } from './suites.js';
import type { MicroSuite } from './types.js';

export interface MicroRunOptions {
  /** time budget per benchmark, ms */
  timeMs: number;
  /** only benchmarks whose name contains one of these substrings */
  filter?: string[];
  suites?: readonly MicroSuite[];
  /** called before each suite runs (the CLI shows progress on a TTY) */
  onSuite?: (suite: MicroSuite) => void;
}

export interface MicroRunOutput {
  result: MicroResult;
  /** benchmarks that threw: name → message */
  errors: Array<{ name: string; error: string }>;
}

/** Runs the suites one after another, each in its own Bench, and collects the numbers. */
export async function runMicro(opts: MicroRunOptions): Promise<MicroRunOutput> {
  const startedAt = new Date().toISOString();
  const benchmarks: MicroBenchmark[] = [];
  const errors: Array<{ name: string; error: string }> = [];
  const match = (name: string) => !opts.filter || opts.filter.length === 0 || opts.filter.some((f) => name.includes(f));
  for (const suite of opts.suites ?? SUITES) {
    const bench = new Bench({
      name: suite.name,
      time: opts.timeMs,
      warmupTime: Math.min(250, Math.max(10, opts.timeMs / 4)),
      ...suite.options,
    });
    try {
      suite.register(bench);
    } catch (e) {
      errors.push({ name: `${suite.name}/*`, error: (e as Error).message });
      continue;
    }
    for (const t of [...bench.tasks]) if (!match(t.name)) bench.remove(t.name);
    if (bench.tasks.length === 0) continue;
    opts.onSuite?.(suite);
    await bench.run();
    for (const task of bench.tasks) {
      const b = toBenchmark(task);
      if ('error' in b) errors.push(b);
      else benchmarks.push(b);
    }
  }
  return {
    result: {
      schemaVersion: 1,
      kind: 'micro',
      tool: { name: 'durabench', version: toolVersion() },
      environment: microEnvironment(),
      startedAt,
      timeMs: opts.timeMs,
      benchmarks,
    },
    errors,
  };
}

function toBenchmark(task: Task): MicroBenchmark | { name: string; error: string } {
  const r = task.result;
  if (r.state === 'errored') return { name: task.name, error: r.error.message };
  if (r.state !== 'completed' && r.state !== 'aborted-with-statistics') {
    return { name: task.name, error: `did not complete (${r.state})` };
  }
  const lat = r.latency;
  const finite = (x: number) => (Number.isFinite(x) ? x : 0);
  return {
    name: task.name,
    // runs / total time: the throughput of the calls as a whole, not a mean of rates
    opsPerSec: finite(lat.mean > 0 ? 1000 / lat.mean : 0),
    meanMs: finite(lat.mean),
    medianMs: finite(lat.p50),
    p99Ms: finite(lat.p99),
    rme: finite(lat.rme),
    samples: lat.samplesCount,
  };
}
