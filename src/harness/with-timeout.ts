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
