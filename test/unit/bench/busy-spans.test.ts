import { describe, expect, it } from 'vitest';
import { busySpans, type CpuProfile } from '../../../src/bench/busy-spans.js';

const frame = (functionName: string, line = 0) => ({ functionName, url: 'file:///srv/server.js', lineNumber: line });

/** root → (idle), handle → encode; samples 1 ms apart. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 3] },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('handle', 10), children: [4] },
    { id: 4, callFrame: frame('encode', 20) },
  ],
  startTime: 0,
  samples: [2, 3, 4, 4, 2, 3, 2, 4],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('busySpans', () => {
  it('finds runs of non-idle samples, longest first, with self and inclusive counts', () => {
    const spans = busySpans(profile);
    expect(spans.map((s) => [s.atMs, s.durationMs, s.samples])).toEqual([
      [2, 3, 3],
      [6, 1, 1],
      [8, 0, 1], // still busy when the profile ends
    ]);
    expect(spans[0]!.self).toEqual([
      ['encode server.js:20', 2],
      ['handle server.js:10', 1],
    ]);
    expect(spans[0]!.inclusive).toEqual([
      ['handle server.js:10', 3],
      ['(root) server.js:0', 3],
      ['encode server.js:20', 2],
    ]);
  });

  it('skips spans that begin before `fromMs` and keeps `top`', () => {
    expect(busySpans(profile, { fromMs: 5 }).map((s) => s.atMs)).toEqual([6, 8]);
    expect(busySpans(profile, { top: 1 })).toHaveLength(1);
  });
});
