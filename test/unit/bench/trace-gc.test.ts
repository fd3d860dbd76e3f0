import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gcPauses, longestGcPauses } from '../../../src/bench/trace-gc.js';

// A built-in server's log with --trace-gc: its own lines, the main isolate's collections
// (lowest address) and the RDB encoding thread's (a 0x7f… isolate), as Node 20 prints them.
const LOG = [
  '26136:M 04 Dec 2026 21:55:10.001 * Ready to accept connections tcp',
  '[26136:0x3979df90]      625 ms: Mark-Compact 6.4 (13.0) -> 4.8 (13.2) MB, 9.68 / 0.00 ms  (average mu = 1.000, current mu = 1.000) testing; GC in old space requested',
  '[26136:0x3979df90]     3001 ms: Scavenge 7.1 (15.2) -> 5.2 (15.2) MB, 0.88 / 0.00 ms  (average mu = 0.999, current mu = 0.999) allocation failure; ',
  '[26136:0x7f6d50000f00]     8860 ms: Mark-Compact (reduce) 3.5 (8.2) -> 3.4 (7.7) MB, 14.15 / 0.00 ms  (+ 5.2 ms in 52 steps since start of marking, biggest step 0.2 ms) memory reducer',
  '[26136:0x7f6d50000f00]     8900 ms: Scavenge 3.5 (8.2) -> 3.4 (7.7) MB, 6.50 / 0.00 ms  allocation failure; ',
  '[26136:0x3979df90]    10925 ms: Mark-Compact 9.6 (15.7) -> 5.3 (15.7) MB, 5.78 / 0.01 ms  (+ 5.6 ms in 52 steps since start of marking, biggest step 0.2 ms, walltime since start of marking 900 ms) (average mu = 0.999, current mu = 0.999) finalize incremental marking via stack guard; GC in old space requested',
  '[26136:0x3979df90]    11002 ms: Scavenge 7.5 (15.7) -> 5.4 (15.7) MB, 1.25 / 0.00 ms  (average mu = 0.999, current mu = 0.999) allocation failure; ',
  '[26136:0x3979df90]   113636 ms: Mark-Compact (reduce) 10.4 (16.7) -> 5.9 (12.7) MB, 6.91 / 0.05 ms  (+ 16.9 ms in 86 steps since start of marking, biggest step 4.3 ms) memory reducer',
  '',
].join('\n');

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-trace-gc-'));
  file = path.join(dir, 'server.log');
  fs.writeFileSync(file, LOG);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('gcPauses', () => {
  it("keeps the main isolate's collections: V8's clock, the memory reducer's mark, incremental or not, why", () => {
    expect(gcPauses(file, 0)).toEqual([
      { at: 625, ms: 9.68, major: true, reduce: false, incremental: false, reason: 'testing; GC in old space requested' },
      { at: 3001, ms: 0.88, major: false, reduce: false, incremental: false, reason: 'allocation failure;' },
      { at: 10925, ms: 5.78, major: true, reduce: false, incremental: true, reason: 'finalize incremental marking via stack guard; GC in old space requested' },
      { at: 11002, ms: 1.25, major: false, reduce: false, incremental: false, reason: 'allocation failure;' },
      { at: 113636, ms: 6.91, major: true, reduce: true, incremental: true, reason: 'memory reducer' },
    ]);
  });

  it('reads from a byte offset on, the main isolate still known from the whole log', () => {
    const from = LOG.indexOf('[26136:0x7f6d50000f00]     8900');
    expect(gcPauses(file, from).map((p) => p.at)).toEqual([10925, 11002, 113636]);
    expect(longestGcPauses(file, from)).toEqual({ major: 6.91, minor: 1.25 });
  });

  it('finds none in a log without collections', () => {
    fs.writeFileSync(file, LOG.split('\n')[0]!);
    expect(gcPauses(file, 0)).toEqual([]);
    expect(longestGcPauses(file, 0)).toEqual({ major: 0, minor: 0 });
  });
});
