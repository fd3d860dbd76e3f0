import type { Bench, BenchOptions } from 'tinybench';

/**
 * A micro-benchmark suite: one hot path of the persistence code. `register` adds tasks named
 * "<suite>/<case>" to a Bench made for this suite with `options` over the defaults (heavy
 * suites lower the minimum iteration count). Inputs are built in register(), outside timing.
 */
export interface MicroSuite {
  name: string;
  description: string;
  options?: Partial<BenchOptions>;
  register(bench: Bench): void;
}

/** Results that tasks fold into, so the engine cannot drop the work as dead code. */
export const sink = { n: 0 };

/**
 * For calls far below the timer's resolution (sub-microsecond): one sample times `n` calls
 * and reports the mean per call, so the numbers measure the code, not performance.now().
 */
export function batched(fn: () => void, n: number): () => { overriddenDuration: number; overriddenIterationCost: number } {
  return () => {
    const start = performance.now();
    for (let i = 0; i < n; i++) fn();
    const elapsed = performance.now() - start;
    return { overriddenDuration: elapsed / n, overriddenIterationCost: elapsed };
  };
}
