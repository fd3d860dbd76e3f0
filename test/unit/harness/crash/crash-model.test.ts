/**
 * The power-cut model on crafted strace traces: only synced bytes survive, a name change
 * needs its directory synced (posix) or any later sync (ext4), threads and forked children
 * count as the process, and a sync is timed from when it began.
 */
import { describe, expect, it } from 'vitest';
import type { CrashModel, NameModel } from '../../../../src/harness/crash/crash-model.js';
import { parseArgs, StraceJoiner } from '../../../../src/harness/crash/strace-line.js';
import { feed, type Initial } from './feed.js';

const D = '/data';

const replay = (lines: string[], names: NameModel = 'posix', initial: Initial = []): CrashModel => feed(D, lines, names, initial);

/** rel → bytes that survive, for every durable file. */
function durable(m: CrashModel): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { rel, inode } of m.durableTree()) out[rel] = inode.kind === 'dir' ? -1 : inode.synced;
  return out;
}

let t = 0;
const L = (pid: number, text: string): string => `${pid}  ${(1_700_000_000 + ++t / 1000).toFixed(6)} ${text}`;
const open = (pid: number, rel: string, fd: number, flags = 'O_WRONLY|O_CREAT|O_APPEND') =>
  L(pid, `openat(AT_FDCWD</>, "${D}/${rel}", ${flags}, 0644) = ${fd}<${D}/${rel}>`);
const write = (pid: number, rel: string, fd: number, n: number) => L(pid, `write(${fd}<${D}/${rel}>, ""..., ${n}) = ${n}`);
const fsync = (pid: number, rel: string, fd: number, call = 'fdatasync') => L(pid, `${call}(${fd}<${D}${rel ? `/${rel}` : ''}>) = 0`);
const openDir = (pid: number, rel: string, fd: number) => L(pid, `openat(AT_FDCWD</>, "${D}${rel ? `/${rel}` : ''}", O_RDONLY) = ${fd}<${D}${rel ? `/${rel}` : ''}>`);

describe('strace lines', () => {
  it('joins an interrupted call and times it from its beginning', () => {
    const j = new StraceJoiner();
    const a = j.feed('12  1700000000.000100 fsync(5</data/x> <unfinished ...>');
    expect(a?.begun).toMatchObject({ pid: 12, name: 'fsync', ts: 1700000000.0001 });
    expect(a?.call).toBeUndefined();
    expect(j.feed('13  1700000000.000200 write(6</data/y>, ""..., 10) = 10')?.call).toMatchObject({ pid: 13, ret: 10 });
    const b = j.feed('12  1700000000.000900 <... fsync resumed>) = 0');
    expect(b?.call).toMatchObject({ pid: 12, name: 'fsync', ret: 0, ts: 1700000000.0001 });
  });

  it('a call that never returned (killed inside it) completes nothing', () => {
    const j = new StraceJoiner();
    j.feed('12  1700000000.000100 fdatasync(5</data/x> <unfinished ...>');
    expect(j.feed('12  1700000000.000300 +++ killed by SIGKILL +++')).toBeNull();
    expect(j.feed('12  1700000000.000400 <... fdatasync resumed>) = 0')).toBeNull();
  });

  it('parses decorated fds, strings with escapes, and argument positions', () => {
    const a = parseArgs('AT_FDCWD</tmp/a b>, "q\\"x\\n", O_WRONLY|O_CREAT, 0644');
    expect(a.fds).toEqual([{ fd: -100, path: '/tmp/a b' }]);
    expect(a.strings).toEqual(['q"x\n']);
    expect(a.tokens[2]).toBe('O_WRONLY|O_CREAT');
    const p = parseArgs('7</data/f>, ""..., 100, 4096');
    expect(p.tokens[3]).toBe('4096');
    const v = parseArgs('7</data/f>, [{iov_base=""..., iov_len=5}, {iov_base=""..., iov_len=6}], 2, 0');
    expect(v.tokens).toHaveLength(4);
    expect(v.tokens[3]).toBe('0');
  });
});

describe('crash model: data', () => {
  it('write, fsync, write again: only the synced prefix survives', () => {
    const m = replay([open(1, 'f', 3), write(1, 'f', 3, 100), fsync(1, 'f', 3), write(1, 'f', 3, 50)], 'posix', []);
    // the file's name was never made durable (no directory sync): nothing of it survives
    expect(durable(m)).toEqual({});
    const m2 = replay([open(1, 'f', 3), openDir(1, '', 4), fsync(1, '', 4, 'fsync'), write(1, 'f', 3, 100), fsync(1, 'f', 3), write(1, 'f', 3, 50)]);
    expect(durable(m2)).toEqual({ f: 100 });
    expect(m2.inodes.get(m2.durableTree()[0]!.inode.id)!.size).toBe(150);
  });

  it('a file never synced is empty', () => {
    const m = replay([open(1, 'f', 3), openDir(1, '', 4), fsync(1, '', 4, 'fsync'), write(1, 'f', 3, 100)]);
    expect(durable(m)).toEqual({ f: 0 });
  });

  it('a sync covers what was written before it began, not writes that finished during it (two threads)', () => {
    const m = replay([
      open(1, 'f', 3),
      openDir(1, '', 4),
      fsync(1, '', 4, 'fsync'),
      write(1, 'f', 3, 100),
      L(2, 'fdatasync(3</data/f> <unfinished ...>'),
      write(1, 'f', 3, 40),
      L(2, '<... fdatasync resumed>) = 0'),
    ]);
    expect(durable(m)).toEqual({ f: 100 });
  });

  it('a sync that failed or never returned makes nothing durable', () => {
    const m = replay([
      open(1, 'f', 3),
      openDir(1, '', 4),
      fsync(1, '', 4, 'fsync'),
      write(1, 'f', 3, 100),
      L(1, 'fdatasync(3</data/f>) = -1 EIO (Input/output error)'),
      L(2, 'fsync(3</data/f> <unfinished ...>'),
      L(2, '+++ killed by SIGKILL +++'),
    ]);
    expect(durable(m)).toEqual({ f: 0 });
  });

  it("a forked child's writes and syncs count (redis's BGSAVE child)", () => {
    const m = replay([
      L(50, `openat(AT_FDCWD</data>, "temp-50.rdb", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 8<${D}/temp-50.rdb>`),
      write(50, 'temp-50.rdb', 8, 300),
      fsync(50, 'temp-50.rdb', 8, 'fsync'),
      L(50, `chdir("${D}") = 0`),
      L(50, 'rename("temp-50.rdb", "dump.rdb") = 0'),
      openDir(50, '', 9),
      fsync(50, '', 9, 'fsync'),
    ]);
    expect(durable(m)).toEqual({ 'dump.rdb': 300 });
  });

  it('pwrite at an offset grows the file to its end; O_TRUNC drops what was there', () => {
    const m = replay([
      open(1, 'f', 3, 'O_RDWR|O_CREAT'),
      openDir(1, '', 4),
      fsync(1, '', 4, 'fsync'),
      L(1, `pwrite64(3<${D}/f>, ""..., 10, 990) = 10`),
      fsync(1, 'f', 3),
      open(1, 'f', 5, 'O_WRONLY|O_TRUNC'),
    ]);
    const f = m.durableTree()[0]!.inode;
    expect(f.synced).toBe(0); // truncated below what was synced: those bytes are gone
    expect(f.unmodelled).toBe(1000);
  });
});

describe('crash model: names', () => {
  const rdbSave = (dirSync: boolean) => [
    open(1, 'temp.rdb', 5, 'O_WRONLY|O_CREAT|O_TRUNC'),
    write(1, 'temp.rdb', 5, 200),
    fsync(1, 'temp.rdb', 5, 'fsync'),
    L(1, `rename("${D}/temp.rdb", "${D}/dump.rdb") = 0`),
    ...(dirSync ? [openDir(1, '', 6), fsync(1, '', 6, 'fsync')] : []),
  ];

  it('a rename without a directory fsync is undone: the file it replaced comes back', () => {
    const initial = [{ rel: 'dump.rdb', kind: 'file' as const, size: 120 }];
    const undone = replay(rdbSave(false), 'posix', initial);
    const back = undone.durableTree();
    expect(back.map((x) => [x.rel, x.inode.synced])).toEqual([['dump.rdb', 120]]);
    // the old inode's whereabouts are known, so its bytes can be found among the preserved copies
    expect(back[0]!.inode.residencies[0]).toMatchObject({ rel: 'dump.rdb' });
    expect(back[0]!.inode.residencies[0]!.to).not.toBeNull();
    expect(undone.namesUndone()).toBeGreaterThan(0);
    const kept = replay(rdbSave(true), 'posix', initial);
    expect(durable(kept)).toEqual({ 'dump.rdb': 200 });
    expect(kept.namesUndone()).toBe(0);
  });

  it('an unlink without a directory fsync is undone', () => {
    const m = replay([L(1, `unlink("${D}/old.aof") = 0`)], 'posix', [{ rel: 'old.aof', kind: 'file', size: 77 }]);
    expect(durable(m)).toEqual({ 'old.aof': 77 });
  });

  it('mkdir needs its parent synced under posix; under ext4 any later sync commits it', () => {
    const lines = [
      L(1, `mkdir("${D}/appendonlydir", 0755) = 0`),
      open(1, 'appendonlydir/a.incr.aof', 7),
      openDir(1, 'appendonlydir', 8),
      fsync(1, 'appendonlydir', 8),
      write(1, 'appendonlydir/a.incr.aof', 7, 64),
      fsync(1, 'appendonlydir/a.incr.aof', 7),
    ];
    expect(durable(replay(lines, 'posix'))).toEqual({});
    expect(durable(replay(lines, 'ext4'))).toEqual({ appendonlydir: -1, 'appendonlydir/a.incr.aof': 64 });
    const synced = [...lines, openDir(1, '', 9), fsync(1, '', 9, 'fsync')];
    expect(durable(replay(synced, 'posix'))).toEqual({ appendonlydir: -1, 'appendonlydir/a.incr.aof': 64 });
  });

  it('relative paths resolve against the cwd the process moved to', () => {
    const m = replay([
      L(1, `chdir("${D}") = 0`),
      L(1, 'mkdir("sub", 0755) = 0'),
      openDir(1, '', 4),
      fsync(1, '', 4, 'fsync'),
      L(1, `openat(AT_FDCWD<${D}>, "sub/f", O_WRONLY|O_CREAT|O_APPEND, 0644) = 5<${D}/sub/f>`),
      openDir(1, 'sub', 6),
      fsync(1, 'sub', 6, 'fsync'),
      write(1, 'sub/f', 5, 9),
      fsync(1, 'sub/f', 5),
    ]);
    expect(durable(m)).toEqual({ sub: -1, 'sub/f': 9 });
  });

  it('ignores files outside the tree', () => {
    const m = replay([L(1, 'openat(AT_FDCWD</>, "/etc/x", O_WRONLY|O_CREAT, 0644) = 3</etc/x>'), L(1, 'write(3</etc/x>, ""..., 5) = 5')]);
    expect(m.applied).toBe(0);
  });
});
