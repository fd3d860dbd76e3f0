/** A thread's clock origin: stable to well under a microsecond from call to call. */
import { describe, expect, it } from 'vitest';
import { clockOrigin } from '../../../src/harness/workload/worker-clock.js';

describe('clockOrigin', () => {
  it('gives the same origin every time (best of a few bracketed reads)', () => {
    const xs = Array.from({ length: 20 }, () => clockOrigin());
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(0.002); // 2 µs
  });
});
