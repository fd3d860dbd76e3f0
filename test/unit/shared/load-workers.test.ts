/** The load generator's thread count: auto leaves a core to the server, never more threads than clients. */
import { describe, expect, it } from 'vitest';
import { splitClients } from '../../../src/harness/workload/threaded-driver.js';
import { loadWorkers } from '../../../src/shared/load-workers.js';

describe('loadWorkers', () => {
  it('auto: one per core but one, at least one, at most one per client', () => {
    expect(loadWorkers('auto', 50, 2)).toBe(1);
    expect(loadWorkers('auto', 50, 1)).toBe(1);
    expect(loadWorkers('auto', 50, 8)).toBe(7);
    expect(loadWorkers('auto', 3, 8)).toBe(3);
  });

  it('a count is kept, capped at the clients', () => {
    expect(loadWorkers(4, 50, 2)).toBe(4);
    expect(loadWorkers(4, 2, 2)).toBe(2);
  });
});

describe('splitClients', () => {
  it('spreads clients as evenly as they go, in order', () => {
    expect(splitClients(50, 2)).toEqual([[0, 25], [25, 25]]);
    expect(splitClients(7, 3)).toEqual([[0, 3], [3, 2], [5, 2]]);
    const parts = splitClients(16, 5);
    expect(parts.reduce((n, [, c]) => n + c, 0)).toBe(16);
  });
});
