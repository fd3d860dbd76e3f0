/**
 * The slow-fsync fault's reading of strace's output, without strace: entries written in
 * pieces (strace prints a held call's entry before the hold, its end later, and other threads'
 * lines between), the time filter, the file filter, and the tracer's arguments.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SLOW_FSYNC_MS, SyncTrace, straceDelayArgs, slowFsync } from '../../../src/harness/faults/slow-fsync.js';
import { Rng } from '../../../src/shared/prng.js';
import { validateScenario } from '../../../src/scenario/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function traceFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-trace-'));
  dirs.push(dir);
  return path.join(dir, 'trace.txt');
}

describe('SyncTrace', () => {
  it('finds the first sync begun since a time, of a wanted file, as the trace grows', () => {
    const file = traceFile();
    const trace = new SyncTrace(file);
    const aof = (f: string): boolean => f.endsWith('.aof');
    expect(trace.next(0, aof)).toBeNull(); // not written yet
    fs.writeFileSync(file, '41 1000.000100 fdatasync(8</d/appendonly.aof.1.incr.aof>) = 0 (DELAYED)\n');
    // an older sync does not count
    expect(trace.next(2_000_000, aof)).toBeNull();
    // an RDB's sync does not count where the AOF's is wanted; a partial line is kept for later
    fs.appendFileSync(file, '42 2000.500000 fsync(9</d/temp-1.rdb> <unfinished ...>\n43 2001.250000 fdata');
    expect(trace.next(2_000_000, aof)).toBeNull();
    fs.appendFileSync(file, 'sync(8</d/appendonly.aof.1.incr.aof>');
    expect(trace.next(2_000_000, aof)).toEqual({ atEpochMs: 2_001_250, file: '/d/appendonly.aof.1.incr.aof' });
    // read again, the same entry (not a later one)
    expect(trace.next(2_000_000, aof)?.atEpochMs).toBe(2_001_250);
    // where any file will do, the RDB's sync came first
    expect(new SyncTrace(file).next(2_000_000, () => true)).toEqual({ atEpochMs: 2_000_500, file: '/d/temp-1.rdb' });
  });

  it('takes an entry without a path (no -y) as a sync of an unknown file', () => {
    const file = traceFile();
    fs.writeFileSync(file, '7 5.000001 fsync(3) = 0\n');
    expect(new SyncTrace(file).next(0, () => true)).toEqual({ atEpochMs: 5000.001, file: '' });
  });
});

describe('slow-fsync plan', () => {
  it('holds every fsync and fdatasync, writes entry lines with times and paths, and stops on nothing else', () => {
    const args = straceDelayArgs(SLOW_FSYNC_MS, '/t/trace.txt');
    expect(args).toEqual(expect.arrayContaining(['-f', '-ttt', '-y', '--seccomp-bpf', 'trace=fsync,fdatasync', `inject=fsync,fdatasync:delay_enter=${SLOW_FSYNC_MS * 1000}`]));
    expect(args.slice(args.indexOf('-o'), args.indexOf('-o') + 2)).toEqual(['-o', '/t/trace.txt']);
    expect(args.at(-1)).toBe('--');
  });

  it('plans a seeded kill time in the kill window, the same for the same seed', () => {
    const scenario = validateScenario({ name: 's', killWindowMs: [1500, 2500], fault: 'slow-fsync' }, 'test');
    const a = slowFsync.plan(new Rng(5), scenario);
    expect(a).toEqual(slowFsync.plan(new Rng(5), scenario));
    expect(a.atMs).toBeGreaterThanOrEqual(1500);
    expect(a.atMs).toBeLessThanOrEqual(2500);
    expect(a.params).toEqual({ delayMs: SLOW_FSYNC_MS });
    expect(slowFsync.describe(a)).toMatch(/held 500 ms; SIGKILL half-way/);
  });
});
