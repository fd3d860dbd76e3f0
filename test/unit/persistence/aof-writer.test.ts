import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AofWriter } from '../../../src/server/persistence/aof/writer.js';

// The fsync policies, with fs's sync calls observed: what must happen before a reply leaves.
let dir: string;
let fd: number;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-aofw-'));
  fd = fs.openSync(path.join(dir, 'a.aof'), 'a');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  try {
    fs.closeSync(fd);
  } catch {
    /* closed by the writer */
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

const file = () => fs.readFileSync(path.join(dir, 'a.aof'), 'latin1');

describe('AofWriter', () => {
  it('always: write() then fdatasync() before flush returns, one fsync for the whole turn', () => {
    const sync = vi.spyOn(fs, 'fdatasyncSync');
    const w = new AofWriter(fd, () => 'always', () => {});
    w.feed(['SET', 'a', '1'], 0);
    w.feed(['SET', 'b', '2'], 0);
    expect(file()).toBe(''); // nothing written before the flush
    expect(w.flush()).toBe('ok');
    expect(sync).toHaveBeenCalledTimes(1);
    // A new writer (file) says where its first command goes.
    expect(file()).toBe('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n');
  });

  it('writes SELECT whenever the database differs from the last command written, as feedAppendOnlyFile', () => {
    const w = new AofWriter(fd, () => 'no', () => {});
    w.feed(['SET', 'a', '1'], 3);
    w.feed(['SET', 'b', '1'], 3);
    expect(w.flush()).toBe('ok');
    w.feed(['DEL', 'a'], 3); // across flushes too: still database 3
    w.feed(['SET', 'c', '1'], 0);
    w.feed(['MOVE', 'c', '15'], 0);
    w.feed(['SWAPDB', '0', '15'], 15);
    expect(w.flush()).toBe('ok');
    const cmds = file().split('*').filter(Boolean).map((c) => c.split('\r\n').filter((_, i) => i > 0 && i % 2 === 0).join(' '));
    expect(cmds).toEqual(['SELECT 3', 'SET a 1', 'SET b 1', 'DEL a', 'SELECT 0', 'SET c 1', 'MOVE c 15', 'SELECT 15', 'SWAPDB 0 15']);
    // A new writer (the next incr file after a rewrite, a restart) starts with none selected.
    const again = new AofWriter(fd, () => 'no', () => {});
    again.feed(['SET', 'd', '1'], 15);
    again.flush();
    expect(file().endsWith('*2\r\n$6\r\nSELECT\r\n$2\r\n15\r\n*3\r\n$3\r\nSET\r\n$1\r\nd\r\n$1\r\n1\r\n')).toBe(true);
  });

  it('no: writes, never fsyncs', () => {
    const sync = vi.spyOn(fs, 'fdatasyncSync');
    const bg = vi.spyOn(fs, 'fdatasync');
    const w = new AofWriter(fd, () => 'no', () => {});
    w.feed(['SET', 'a', '1'], 0);
    expect(w.flush()).toBe('ok');
    expect(file()).toContain('SET');
    expect(sync).not.toHaveBeenCalled();
    expect(bg).not.toHaveBeenCalled();
  });

  it('everysec: background fsync about once a second; replies held once a pending fsync is 2 s old', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    let finish: ((err: NodeJS.ErrnoException | null) => void) | null = null;
    vi.spyOn(fs, 'fdatasync').mockImplementation(((_fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      finish = cb; // a slow disk: the sync does not complete until we say so
    }) as typeof fs.fdatasync);
    let synced = 0;
    const w = new AofWriter(fd, () => 'everysec', () => synced++);

    w.feed(['SET', 'a', '1'], 0);
    expect(w.flush()).toBe('ok');
    expect(finish).toBeNull(); // the last sync (at start) is under 1 s old

    vi.setSystemTime(1_001_100);
    w.feed(['SET', 'b', '2'], 0);
    expect(w.flush()).toBe('ok'); // written, and a background sync starts
    expect(finish).not.toBeNull();

    vi.setSystemTime(1_002_000);
    w.feed(['SET', 'c', '3'], 0);
    expect(w.flush()).toBe('ok'); // sync pending 0.9 s: still written before the reply
    expect(file()).toContain('$1\r\nc\r\n');

    vi.setSystemTime(1_003_200);
    w.feed(['SET', 'd', '4'], 0);
    expect(w.flush()).toBe('wait'); // pending 2.1 s: hold the write and its reply
    expect(w.delayedFsync).toBe(1);
    expect(file()).not.toContain('$1\r\nd\r\n');

    finish!(null);
    expect(synced).toBe(1); // the server is told to retry its flush
    expect(w.flush()).toBe('ok');
    expect(file()).toContain('$1\r\nd\r\n');
  });

  it('a failed write removes the partial command, keeps the buffer and reports the error', () => {
    const w = new AofWriter(fd, () => 'everysec', () => {});
    w.feed(['SET', 'a', '1'], 0);
    expect(w.flush()).toBe('ok');
    const good = fs.statSync(path.join(dir, 'a.aof')).size;
    const write = vi.spyOn(fs, 'writeSync').mockImplementationOnce(((f: number) => {
      fs.appendFileSync(path.join(dir, 'a.aof'), '*3\r\n$3\r\nSE'); // a torn write
      void f;
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    }) as typeof fs.writeSync);
    w.feed(['SET', 'b', '2'], 0);
    expect(w.flush()).toBe('failed');
    expect(w.lastWriteError).toBe('No space left on device'); // strerror(), as Redis words -MISCONF
    expect(fs.statSync(path.join(dir, 'a.aof')).size).toBe(good);
    write.mockRestore();
    expect(w.flush()).toBe('ok'); // the retry writes the kept command
    expect(w.lastWriteError).toBeNull();
    expect(file()).toContain('$1\r\nb\r\n');
  });

  it('a short write (a nearly full disk) is ENOSPC, as Redis takes it: the partial command is cut off, the buffer kept for the retry', () => {
    const w = new AofWriter(fd, () => 'everysec', () => {});
    w.feed(['SET', 'a', '1'], 0);
    expect(w.flush()).toBe('ok');
    const before = file();
    const real = fs.writeSync.bind(fs) as (fd: number, s: string, p: null, e: BufferEncoding) => number;
    const spy = vi.spyOn(fs, 'writeSync') as unknown as { mockImplementationOnce(f: (...a: unknown[]) => number): void };
    spy.mockImplementationOnce((f: unknown, str: unknown) => real(f as number, (str as string).slice(0, 5), null, 'latin1'));
    w.feed(['SET', 'b', '2'], 0);
    expect(w.flush()).toBe('failed');
    expect(w.lastWriteError).toBe('No space left on device');
    expect(file()).toBe(before);
    expect(w.flush()).toBe('ok'); // the retry writes the kept command whole
    expect(w.lastWriteError).toBeNull();
    expect(file()).toBe(`${before}*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n`);
  });
});
