/**
 * The streaming replay gives the model exactly what a plain line-by-line feed gives, whatever
 * falls on a chunk boundary, and its byte filter drops only lines the model ignores. The
 * unsynced-write list keeps its order and numbering across syncs and truncates.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrashModel } from '../../../../src/harness/crash/crash-model.js';
import { Extents } from '../../../../src/harness/crash/extents.js';
import { replayTrace } from '../../../../src/harness/crash/replay.js';
import { feed } from './feed.js';

const D = '/srv/data';

function traceLines(n: number): string[] {
  const lines: string[] = [];
  let ts = 1_700_000_000;
  const L = (pid: number, s: string) => lines.push(`${pid}  ${(ts += 0.000013).toFixed(6)} ${s}`);
  L(1, `chdir("${D}") = 0`);
  L(1, 'mkdir("appendonlydir", 0755) = 0');
  L(1, `openat(AT_FDCWD<${D}>, "${D}", O_RDONLY) = 9<${D}>`);
  L(1, `fsync(9<${D}>) = 0`);
  L(1, `openat(AT_FDCWD<${D}>, "appendonlydir/a.aof", O_WRONLY|O_CREAT|O_APPEND, 0644) = 7<${D}/appendonlydir/a.aof>`);
  L(1, `openat(AT_FDCWD<${D}>, "appendonlydir", O_RDONLY) = 8<${D}/appendonlydir>`);
  L(1, `fsync(8<${D}/appendonlydir>) = 0`);
  for (let i = 0; i < n; i++) {
    // the socket traffic that makes up most of a real trace
    L(1, `write(12<TCP:[127.0.0.1:6379->127.0.0.1:${40000 + (i % 999)}]>, ""..., 5) = 5`);
    L(1, `write(7<${D}/appendonlydir/a.aof>, ""..., ${10 + (i % 7)}) = ${10 + (i % 7)}`);
    if (i % 50 === 0) {
      L(2, `fdatasync(7<${D}/appendonlydir/a.aof> <unfinished ...>`);
      L(1, `write(12<TCP:[127.0.0.1:6379->127.0.0.1:40000]>, ""..., 5) = 5`);
      L(2, '<... fdatasync resumed>) = 0');
    }
  }
  return lines;
}

const plainReplay = (lines: string[]): CrashModel => feed(D, lines);

const summary = (m: CrashModel) => m.durableTree().map(({ rel, inode }) => [rel, inode.kind, inode.synced, inode.size, inode.unsynced.length]);

describe('replayTrace', () => {
  it('matches a plain line-by-line replay across megabyte chunk boundaries', async () => {
    const lines = traceLines(30_000); // ~3.5 MB: several 1 MB chunks, lines cut at their edges
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-replay-')), 'trace.txt');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    try {
      const streamed = new CrashModel(D, 'posix', [], '/');
      const stats = await replayTrace(file, streamed);
      expect(stats.lines).toBe(lines.length);
      expect(stats.bytes).toBe(fs.statSync(file).size);
      const plain = plainReplay(lines);
      expect(summary(streamed)).toEqual(summary(plain));
      const aof = streamed.durableTree().find((x) => x.rel === 'appendonlydir/a.aof')!.inode;
      expect(aof.synced).toBeGreaterThan(0);
      expect(aof.synced).toBeLessThan(aof.size);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('reads a last line without a newline', async () => {
    const lines = traceLines(3);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-replay-')), 'trace.txt');
    fs.writeFileSync(file, lines.join('\n'));
    try {
      const m = new CrashModel(D, 'posix', [], '/');
      expect((await replayTrace(file, m)).lines).toBe(lines.length);
      expect(summary(m)).toEqual(summary(plainReplay(lines)));
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});

describe('Extents', () => {
  it('numbers writes, drops those before a sync mark, clips on truncate', () => {
    const e = new Extents();
    for (let i = 0; i < 40; i++) e.push(i * 10, 10);
    const mark = e.mark;
    e.push(400, 5);
    e.dropBefore(mark);
    expect(e.length).toBe(1);
    expect(e.at(0)).toEqual({ off: 400, len: 5 });
    e.push(405, 20);
    e.clip(410);
    expect(e.length).toBe(2);
    expect(e.at(1)).toEqual({ off: 405, len: 5 });
    expect(e.mark).toBe(42);
    e.dropBefore(e.mark);
    expect(e.length).toBe(0);
  });
});
