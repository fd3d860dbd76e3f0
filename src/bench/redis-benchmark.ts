import { execFileSync } from 'node:child_process';

/** Long enough for any run the bench scripts ask for on a slow machine. */
export const REDIS_BENCHMARK_TIMEOUT_MS = 300_000;

/**
 * Runs redis-benchmark and returns its standard output. Bounded in time and killed when over:
 * redis-benchmark retries a server that went away for ever, at a full core (seen: one left
 * from a run whose server had died spun for 9 minutes and skewed every measurement after it).
 */
export function runRedisBenchmark(args: readonly string[], timeoutMs = REDIS_BENCHMARK_TIMEOUT_MS): string {
  try {
    return execFileSync('redis-benchmark', args, { encoding: 'utf8', maxBuffer: 1 << 24, timeout: timeoutMs, killSignal: 'SIGKILL', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { signal?: string; stderr?: string };
    if (err.code === 'ETIMEDOUT' || err.signal === 'SIGKILL') {
      throw new Error(`redis-benchmark did not finish in ${Math.round(timeoutMs / 1000)} s and was killed: did the server under test stop answering?`);
    }
    const why = String(err.stderr ?? '').trim().split('\n').pop() || err.message;
    throw new Error(`redis-benchmark failed: ${why}`);
  }
}
