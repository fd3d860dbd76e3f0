import type { Environment } from '../shared/result.js';

/** One micro-benchmark's numbers, as `durabench micro --json` writes them. */
export interface MicroBenchmark {
  /** "<suite>/<case>", e.g. "resp/decode SET 100 B" */
  name: string;
  /** runs / total time: the mean throughput of the timed calls */
  opsPerSec: number;
  meanMs: number;
  /** median latency of one call */
  medianMs: number;
  p99Ms: number;
  /** relative margin of error of the mean, % (95% CI half-width) */
  rme: number;
  samples: number;
}

export interface MicroResult {
  schemaVersion: 1;
  kind: 'micro';
  tool: { name: 'durabench'; version: string };
  environment: Omit<Environment, 'targetVersions'> & { targetVersions?: Environment['targetVersions'] };
  startedAt: string;
  /** per-benchmark time budget, ms */
  timeMs: number;
  benchmarks: MicroBenchmark[];
}
