/** The run header names the load generator's threads, auto resolved with the run's cores. */
import { describe, expect, it } from 'vitest';
import { renderRunHeader, wrap } from '../../../src/report/header.js';
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

describe('wrap', () => {
  it('keeps a list item\'s indent on its first line and indents continuations two deeper', () => {
    const item = '  ok   builtin none: none + SIGKILL loses every acknowledged write — lost 95.1k of 95.1k acked in 3 trials';
    const lines = wrap(item, 60).split('\n');
    expect(lines[0]).toMatch(/^ {2}ok {3}builtin none:/);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {4}\S/);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(60);
    expect(lines.join(' ').replace(/\s+/g, ' ').trim()).toBe(item.replace(/\s+/g, ' ').trim());
  });

  it('leaves text without an indent as before: continuations two spaces in', () => {
    expect(wrap('aaa bbb ccc ddd', 9)).toBe('aaa bbb\n  ccc ddd');
  });
});
