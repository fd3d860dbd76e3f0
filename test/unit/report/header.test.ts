/** The run header names the load generator's threads, auto resolved with the run's cores. */
import { describe, expect, it } from 'vitest';
import { renderRunHeader } from '../../../src/report/header.js';
import { result, typicalTrials } from './fixtures.js';

describe('renderRunHeader: load threads', () => {
  it('auto on the 2-core fixture: 1 thread', () => {
    expect(renderRunHeader(result(typicalTrials()), 200)).toContain('4 clients × pipeline 1 · auto: 1 load thread ·');
  });

  it('a count, capped at the clients', () => {
    expect(renderRunHeader(result(typicalTrials(), { workers: 3 }), 200)).toContain('· 3 load threads ·');
    expect(renderRunHeader(result(typicalTrials(), { workers: 8 }), 200)).toContain('· 4 load threads ·');
  });
});
