/**
 * What a power cut leaves of a directory tree, replayed from the file system calls a traced
 * process made (the LazyFS / ALICE way: judged from outside, so no server is trusted about
 * itself). The model:
 *  - data: only bytes written before a successful fsync/fdatasync *of that file* began
 *    survive; a file never synced is empty. A thread or a forked child counts as the process.
 *  - names: a create, rename, unlink or mkdir survives only once its directory was fsynced
 *    after it (`posix`); otherwise the cut undoes it and the file it replaced comes back.
 *    `ext4` models a journalling file system in data=ordered mode instead: any successful
 *    fsync commits every name change made before it began, whichever directory it is in.
 *  - sync() and syncfs() make everything written before them durable.
 * Limits (reported, not hidden): bytes a file had durably and that were overwritten in place
 * or truncated away after its last sync cannot be restored (the server's files are
 * append-only and rewritten by rename, so redis-server and the built-in server never do
 * this); sync_file_range is not a durability point (it persists no metadata).
 */
import path from 'node:path';
import { FsTree, type Inode } from './fs-tree.js';
import { parseArgs, type Begun, type Call } from './strace-line.js';

export type { Inode, Residency } from './fs-tree.js';

export type NameModel = 'posix' | 'ext4';

interface PendingSync {
  inode: number;
  /** when the sync began (trace seconds) */
  ts: number;
  size: number;
  /** the file's write mark when the sync began: writes before it are covered */
  writes: number;
  /** name model snapshots taken when the sync began: dir inode → its entries then */
  names: Map<number, Map<string, number>>;
}

const O_CREAT = /\bO_CREAT\b/;
const O_TRUNC = /\bO_TRUNC\b/;
const O_APPEND = /\bO_APPEND\b/;
const SYNC_CALLS = new Set(['fsync', 'fdatasync', 'sync', 'syncfs']);

type Args = ReturnType<typeof parseArgs>;

/**
 * A replay of one directory tree (`root`, absolute). Feed it every call (and every call's
 * beginning) in trace order; then ask for the durable tree. Memory is one record per file,
 * whatever the trace's length.
 */
export class CrashModel {
  readonly tree: FsTree;
  /** calls that touched the tree */
  applied = 0;
  private cwd: string;
  private readonly offsets = new Map<string, { off: number; append: boolean }>();
  private readonly syncs = new Map<number, PendingSync>();

  constructor(
    readonly root: string,
    readonly names: NameModel = 'posix',
    initial: { rel: string; kind: 'file' | 'dir'; size: number }[] = [],
    cwd = process.cwd(),
    startTs = 0,
  ) {
    this.cwd = cwd;
    this.tree = new FsTree(startTs);
    // what was there before the launch is durable: the harness made it, or a finished run did
    for (const f of [...initial].sort((a, b) => a.rel.split('/').length - b.rel.split('/').length)) {
      this.tree.addDurable(f.rel, f.kind, f.size, startTs);
    }
  }

  get inodes(): Map<number, Inode> {
    return this.tree.inodes;
  }

  durableTree(): { rel: string; inode: Inode }[] {
    return this.tree.durableTree();
  }

  namesUndone(): number {
    return this.tree.namesUndone();
  }

  /** A call has begun: syncs take their snapshot now (what was written before this instant). */
  begin(b: Begun): void {
    if (!SYNC_CALLS.has(b.name)) return;
    if (b.name === 'sync' || b.name === 'syncfs') {
      this.syncs.set(b.pid, this.snapshot(-1, b.ts));
      return;
    }
    const target = this.fdTarget(parseArgs(b.args));
    if (target === null) return;
    this.syncs.set(b.pid, this.snapshot(target.id, b.ts));
  }

  /** A call returned (or was seen whole). */
  apply(c: Call): void {
    if (SYNC_CALLS.has(c.name)) return this.endSync(c);
    const ok = c.ret !== null && c.ret >= 0;
    if (!ok) return;
    const a = parseArgs(c.args);
    const t = this.tree;
    let changed = false;
    switch (c.name) {
      case 'chdir':
        if (a.strings[0] !== undefined) this.cwd = path.resolve(this.cwd, a.strings[0]);
        return;
      case 'fchdir':
        if (a.fds[0]) this.cwd = a.fds[0].path;
        return;
      case 'open':
      case 'openat':
      case 'creat':
        return this.open(c, a);
      case 'write':
      case 'writev':
        return this.write(a, c.ret!, null);
      case 'pwrite64':
      case 'pwritev':
      case 'pwritev2': {
        // the offset is the 4th argument of all three
        const off = Number(a.tokens[3]);
        return this.write(a, c.ret!, Number.isFinite(off) ? off : null);
      }
      case 'ftruncate':
        return this.truncate(this.fdTarget(a), Number(a.tokens[1]));
      case 'truncate':
        return this.truncate(t.lookup(this.rel(this.abs(a.strings[0]))), Number(a.tokens[1]));
      case 'rename':
      case 'renameat':
      case 'renameat2':
        changed = t.rename(c.ts, this.rel(this.pathArg(a, 0)), this.rel(this.pathArg(a, 1)));
        break;
      case 'unlink':
      case 'rmdir':
        changed = t.unlink(c.ts, this.rel(this.abs(a.strings[0])));
        break;
      case 'unlinkat':
        changed = t.unlink(c.ts, this.rel(this.pathArg(a, 0)));
        break;
      case 'mkdir':
        changed = t.create(c.ts, this.rel(this.abs(a.strings[0])), 'dir') !== null;
        break;
      case 'mkdirat':
        changed = t.create(c.ts, this.rel(this.pathArg(a, 0)), 'dir') !== null;
        break;
      case 'link':
        changed = t.link(this.rel(this.abs(a.strings[0])), this.rel(this.abs(a.strings[1])));
        break;
      case 'linkat':
        changed = t.link(this.rel(this.pathArg(a, 0)), this.rel(this.pathArg(a, 1)));
        break;
    }
    if (changed) this.applied++;
  }

  private snapshot(id: number, ts: number): PendingSync {
    const names = new Map<number, Map<string, number>>();
    const node = this.tree.inodes.get(id);
    const all = id < 0 || this.names === 'ext4';
    if (all) {
      for (const n of this.tree.inodes.values()) if (n.kind === 'dir') names.set(n.id, new Map(n.entries));
    } else if (node?.kind === 'dir') names.set(id, new Map(node.entries));
    return { inode: id, ts, size: node?.size ?? 0, writes: node?.unsynced.mark ?? 0, names };
  }

  private endSync(c: Call): void {
    const p = this.syncs.get(c.pid);
    this.syncs.delete(c.pid);
    if (!p || c.ret === null || c.ret < 0) return;
    this.applied++;
    for (const [dirId, entries] of p.names) {
      const dir = this.tree.inodes.get(dirId);
      if (dir) dir.durable = entries;
    }
    if (p.inode < 0) {
      // sync(): every file as of the call's start; writes since stay unsynced
      for (const n of this.tree.inodes.values()) if (n.kind === 'file') this.markSynced(n, n.size, n.unsynced.mark, p.ts);
      return;
    }
    const node = this.tree.inodes.get(p.inode);
    if (node?.kind === 'file') this.markSynced(node, p.size, p.writes, p.ts);
  }

  private markSynced(node: Inode, size: number, writes: number, ts: number): void {
    node.synced = Math.min(size, node.size);
    node.syncedAt = Math.max(node.syncedAt ?? ts, ts);
    node.unsynced.dropBefore(writes);
  }

  private open(c: Call, a: Args): void {
    // the returned fd's decoration is the resolved path; fall back to resolving it ourselves
    const abs = c.retPath ?? this.pathArg(a, 0);
    const rel = this.rel(abs);
    if (rel === null) return;
    const flags = a.tokens.find((t) => t.includes('O_')) ?? '';
    let node = this.tree.lookup(rel);
    if (!node && O_CREAT.test(flags)) node = this.tree.create(c.ts, rel, 'file');
    if (!node || node.kind !== 'file') return;
    this.applied++;
    if (O_TRUNC.test(flags) && node.size > 0) this.truncate(node, 0);
    this.offsets.set(`${c.ret}\u0000${node.id}`, { off: 0, append: O_APPEND.test(flags) });
  }

  private write(a: Args, n: number, at: number | null): void {
    const fd = a.fds[0];
    if (!fd || n <= 0) return;
    const node = this.tree.lookup(this.rel(fd.path));
    if (!node || node.kind !== 'file') return;
    this.applied++;
    const key = `${fd.fd}\u0000${node.id}`;
    const o = this.offsets.get(key);
    // no open seen (inherited fd): assume appends, which is what both servers do
    const off = at ?? (o === undefined || o.append ? node.size : o.off);
    if (at === null && o) o.off = off + n;
    if (off < node.synced) node.unmodelled += Math.min(n, node.synced - off);
    node.unsynced.push(off, n);
    node.size = Math.max(node.size, off + n);
  }

  private truncate(node: Inode | null, len: number): void {
    if (!node || node.kind !== 'file' || !Number.isFinite(len)) return;
    this.applied++;
    if (len < node.synced) {
      node.unmodelled += node.synced - len;
      node.synced = len;
    }
    node.size = len;
    node.unsynced.clip(len);
  }

  /** The inode a decorated fd names. */
  private fdTarget(a: Args): Inode | null {
    const fd = a.fds[0];
    return fd ? this.tree.lookup(this.rel(fd.path)) : null;
  }

  /** Path argument i of a call: dirfd-relative (…at calls) or cwd-relative. */
  private pathArg(a: Args, i: number): string | null {
    const p = a.strings[i];
    if (p === undefined) return null;
    if (p.startsWith('/')) return p;
    // for the …at calls the dirfd before string i is decorated; its position in fds is i
    const base = a.fds[i]?.path ?? this.cwd;
    return path.resolve(base, p);
  }

  private abs(p: string | undefined): string | null {
    return p === undefined ? null : path.resolve(this.cwd, p);
  }

  /** The path inside the tree ('' for the root), or null when outside it. */
  private rel(abs: string | null): string | null {
    if (abs === null) return null;
    if (abs === this.root) return '';
    if (!abs.startsWith(this.root + '/')) return null;
    return abs.slice(this.root.length + 1);
  }
}
