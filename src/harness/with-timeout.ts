/** Bounds a promise: rejects with a RunError naming what took too long. */
import { RunError } from '../shared/errors.js';

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new RunError(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]);
}

/**
 * Waits for p at most ms: true once it settled, false when the time ran out. The timer holds
 * the process up while it waits (with an unref'd one, Node exits in the middle of a wait
 * that nothing else keeps alive, and what follows the wait never runs: a trial's dir not
 * removed, a run's results not written) and is cleared as soon as p settles.
 */
export async function settledWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true, () => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
