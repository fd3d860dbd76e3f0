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
import { Extents } from './extents.js';
import { parseArgs, type Begun, type Call } from './strace-line.js';

export type NameModel = 'posix' | 'ext4';

/** Where a file or directory lived, when (trace seconds), so its bytes can be found later. */
export interface Residency {
  rel: string;
  from: number;
  /** null: still there when the trace ended */
  to: number | null;
}

export interface Inode {
  id: number;
  kind: 'file' | 'dir';
  /** bytes the file holds now (page cache) and the length covered by its last completed sync */
  size: number;
  synced: number;
  /** writes since the last completed sync, in order (for a torn cut inside one) */
  unsynced: Extents;
  /** bytes once durable that later went away without a sync (overwrite or truncate) */
  unmodelled: number;
  /** directories: names now, and names as of the last sync that made them durable */
  entries: Map<string, number>;
  durable: Map<string, number>;
  residencies: Residency[];
}

interface PendingSync {
  inode: number;
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

/**
 * A replay of one directory tree (`root`, absolute). Feed it every call (and every call's
 * beginning) in trace order; then ask for the durable tree. Memory is one record per file,
 * whatever the trace's length.
 */
export class CrashModel {
  readonly inodes = new Map<number, Inode>();
  readonly rootId: number;
  /** calls that touched the tree, and lines about other files skipped */
  applied = 0;
  private nextId = 1;
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
    this.rootId = this.newInode('dir', '', startTs).id;
    // what was there before the launch is durable: the harness made it, or a finished run did
    for (const f of [...initial].sort((a, b) => a.rel.split('/').length - b.rel.split('/').length)) {
      const parent = this.lookupDir(path.dirname(f.rel) === '.' ? '' : path.dirname(f.rel));
      if (!parent) continue;
      const node = this.newInode(f.kind, f.rel, startTs);
      node.size = node.synced = f.size;
      parent.entries.set(path.basename(f.rel), node.id);
      parent.durable.set(path.basename(f.rel), node.id);
    }
  }

  /** A call has begun: syncs take their snapshot now (what was written before this instant). */
  begin(b: Begun): void {
    if (!SYNC_CALLS.has(b.name)) return;
    if (b.name === 'sync' || b.name === 'syncfs') {
      this.syncs.set(b.pid, this.snapshot(-1));
      return;
    }
    const target = this.fdTarget(parseArgs(b.args));
    if (target === null) return;
    this.syncs.set(b.pid, this.snapshot(target.id));
  }

  /** A call returned (or was seen whole). */
  apply(c: Call): void {
    if (SYNC_CALLS.has(c.name)) return this.endSync(c);
    const ok = c.ret !== null && c.ret >= 0;
    if (!ok) return;
    const a = parseArgs(c.args);
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
        return this.truncate(this.lookup(this.rel(this.abs(a.strings[0]))), Number(a.tokens[1]));
      case 'rename':
      case 'renameat':
      case 'renameat2':
        return this.rename(c.ts, this.pathArg(a, 0), this.pathArg(a, 1));
      case 'unlink':
      case 'rmdir':
        return this.unlink(c.ts, this.abs(a.strings[0]));
      case 'unlinkat':
        return this.unlink(c.ts, this.pathArg(a, 0));
      case 'mkdir':
        this.create(c.ts, this.abs(a.strings[0]), 'dir');
        return;
      case 'mkdirat':
        this.create(c.ts, this.pathArg(a, 0), 'dir');
        return;
      case 'link':
        return this.link(this.abs(a.strings[0]), this.abs(a.strings[1]));
      case 'linkat':
        return this.link(this.pathArg(a, 0), this.pathArg(a, 1));
    }
  }

  /** The durable tree at the cut: every reachable name with the inode it names. */
  durableTree(): { rel: string; inode: Inode }[] {
    const out: { rel: string; inode: Inode }[] = [];
    const walk = (dir: Inode, prefix: string): void => {
      for (const [name, id] of dir.durable) {
        const node = this.inodes.get(id);
        if (!node) continue;
        const rel = prefix ? `${prefix}/${name}` : name;
        out.push({ rel, inode: node });
        if (node.kind === 'dir') walk(node, rel);
      }
    };
    walk(this.inodes.get(this.rootId)!, '');
    return out;
  }

  /** Names whose durable and current inode differ: changes the cut undoes. */
  namesUndone(): number {
    let n = 0;
    for (const node of this.inodes.values()) {
      if (node.kind !== 'dir') continue;
      for (const [name, id] of node.entries) if (node.durable.get(name) !== id) n++;
      for (const name of node.durable.keys()) if (!node.entries.has(name)) n++;
    }
    return n;
  }

  private newInode(kind: 'file' | 'dir', rel: string, ts: number): Inode {
    const node: Inode = {
      id: this.nextId++,
      kind,
      size: 0,
      synced: 0,
      unsynced: new Extents(),
      unmodelled: 0,
      entries: new Map(),
      durable: new Map(),
      residencies: [{ rel, from: ts, to: null }],
    };
    this.inodes.set(node.id, node);
    return node;
  }

  private snapshot(id: number): PendingSync {
    const names = new Map<number, Map<string, number>>();
    const node = this.inodes.get(id);
    const all = id < 0 || this.names === 'ext4';
    if (all) {
      for (const n of this.inodes.values()) if (n.kind === 'dir') names.set(n.id, new Map(n.entries));
    } else if (node?.kind === 'dir') names.set(id, new Map(node.entries));
    return { inode: id, size: node?.size ?? 0, writes: node?.unsynced.mark ?? 0, names };
  }

  private endSync(c: Call): void {
    const p = this.syncs.get(c.pid);
    this.syncs.delete(c.pid);
    if (!p || c.ret === null || c.ret < 0) return;
    this.applied++;
    for (const [dirId, entries] of p.names) {
      const dir = this.inodes.get(dirId);
      if (dir) dir.durable = entries;
    }
    if (p.inode < 0) {
      // sync(): every file as of the call's start; writes since stay unsynced
      for (const n of this.inodes.values()) if (n.kind === 'file') this.markSynced(n, n.size, n.unsynced.mark);
      return;
    }
    const node = this.inodes.get(p.inode);
    if (node?.kind === 'file') this.markSynced(node, p.size, p.writes);
  }

  private markSynced(node: Inode, size: number, writes: number): void {
    node.synced = Math.min(size, node.size);
    node.unsynced.dropBefore(writes);
  }

  private open(c: Call, a: ReturnType<typeof parseArgs>): void {
    // the returned fd's decoration is the resolved path; fall back to resolving it ourselves
    const abs = c.retPath ?? this.pathArg(a, 0);
    const rel = this.rel(abs);
    if (rel === null) return;
    const flags = a.tokens.find((t) => t.includes('O_')) ?? '';
    let node = this.lookup(rel);
    if (!node && O_CREAT.test(flags)) node = this.create(c.ts, abs, 'file') ?? null;
    if (!node || node.kind !== 'file') return;
    this.applied++;
    if (O_TRUNC.test(flags) && node.size > 0) this.truncate(node, 0);
    this.offsets.set(`${c.ret}\u0000${node.id}`, { off: 0, append: O_APPEND.test(flags) });
  }

  private write(a: ReturnType<typeof parseArgs>, n: number, at: number | null): void {
    const fd = a.fds[0];
    if (!fd || n <= 0) return;
    const node = this.lookup(this.rel(fd.path));
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

  private create(ts: number, abs: string | null, kind: 'file' | 'dir'): Inode | undefined {
    const rel = this.rel(abs);
    if (rel === null || rel === '') return undefined;
    const parent = this.lookupDir(parentOf(rel));
    if (!parent) return undefined;
    this.applied++;
    const node = this.newInode(kind, rel, ts);
    this.replaceEntry(parent, path.posix.basename(rel), node.id, ts);
    return node;
  }

  private rename(ts: number, fromAbs: string | null, toAbs: string | null): void {
    const from = this.rel(fromAbs);
    const to = this.rel(toAbs);
    if (from === null && to === null) return;
    this.applied++;
    const node = from === null ? null : this.lookup(from);
    if (from !== null) {
      const src = this.lookupDir(parentOf(from));
      src?.entries.delete(path.posix.basename(from));
      if (node) endResidency(node, from, ts);
    }
    if (to === null || !node) return; // moved out of the tree: gone from it
    const dst = this.lookupDir(parentOf(to));
    if (!dst) return;
    this.replaceEntry(dst, path.posix.basename(to), node.id, ts);
    node.residencies.push({ rel: to, from: ts, to: null });
    if (node.kind === 'dir') this.moveChildren(node, from ?? to, to, ts);
  }

  /** A renamed directory's files now live under a new path: keep their residencies true. */
  private moveChildren(dir: Inode, from: string, to: string, ts: number): void {
    for (const [name, id] of dir.entries) {
      const child = this.inodes.get(id);
      if (!child) continue;
      endResidency(child, `${from}/${name}`, ts);
      child.residencies.push({ rel: `${to}/${name}`, from: ts, to: null });
      if (child.kind === 'dir') this.moveChildren(child, `${from}/${name}`, `${to}/${name}`, ts);
    }
  }

  private unlink(ts: number, abs: string | null): void {
    const rel = this.rel(abs);
    if (rel === null) return;
    const parent = this.lookupDir(parentOf(rel));
    const name = path.posix.basename(rel);
    const id = parent?.entries.get(name);
    if (!parent || id === undefined) return;
    this.applied++;
    parent.entries.delete(name);
    const node = this.inodes.get(id);
    if (node) endResidency(node, rel, ts);
  }

  private link(fromAbs: string | null, toAbs: string | null): void {
    const node = this.lookup(this.rel(fromAbs));
    const to = this.rel(toAbs);
    if (!node || to === null) return;
    const dst = this.lookupDir(parentOf(to));
    if (!dst) return;
    this.applied++;
    dst.entries.set(path.posix.basename(to), node.id);
  }

  private replaceEntry(dir: Inode, name: string, id: number, ts: number): void {
    const old = dir.entries.get(name);
    if (old !== undefined && old !== id) {
      const prev = this.inodes.get(old);
      const dirRel = this.relOf(dir);
      if (prev && dirRel !== null) endResidency(prev, dirRel ? `${dirRel}/${name}` : name, ts);
    }
    dir.entries.set(name, id);
  }

  private relOf(dir: Inode): string | null {
    const r = dir.residencies.find((x) => x.to === null);
    return r ? r.rel : null;
  }

  /** The inode a decorated fd names. */
  private fdTarget(a: ReturnType<typeof parseArgs>): Inode | null {
    const fd = a.fds[0];
    return fd ? this.lookup(this.rel(fd.path)) : null;
  }

  /** Path argument i of a call: dirfd-relative (…at calls) or cwd-relative. */
  private pathArg(a: ReturnType<typeof parseArgs>, i: number): string | null {
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

  private lookup(rel: string | null): Inode | null {
    if (rel === null) return null;
    let node = this.inodes.get(this.rootId)!;
    if (rel === '') return node;
    for (const part of rel.split('/')) {
      const id = node.entries.get(part);
      if (id === undefined) return null;
      node = this.inodes.get(id)!;
    }
    return node;
  }

  private lookupDir(rel: string): Inode | null {
    const n = this.lookup(rel);
    return n?.kind === 'dir' ? n : null;
  }
}

function parentOf(rel: string): string {
  const d = path.posix.dirname(rel);
  return d === '.' ? '' : d;
}

function endResidency(node: Inode, rel: string, ts: number): void {
  const r = node.residencies.find((x) => x.rel === rel && x.to === null);
  if (r) r.to = ts;
}
