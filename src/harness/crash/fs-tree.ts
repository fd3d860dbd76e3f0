/**
 * The name space of a crash model: inodes and the names directories give them, now and as of
 * each directory's last durable point, with where and when each inode lived (so its bytes can
 * be found among preserved copies). Paths are relative to the tree's root ('' is the root);
 * the model resolves what a system call named before it gets here.
 */
import path from 'node:path';
import { Extents } from './extents.js';

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
  /** when the last completed sync of it began (trace seconds); null if never synced */
  syncedAt: number | null;
  /** writes since the last completed sync, in order (for a torn cut inside one) */
  unsynced: Extents;
  /** bytes once durable that later went away without a sync (overwrite or truncate) */
  unmodelled: number;
  /** directories: names now, and names as of the last sync that made them durable */
  entries: Map<string, number>;
  durable: Map<string, number>;
  residencies: Residency[];
}

export class FsTree {
  readonly inodes = new Map<number, Inode>();
  readonly rootId: number;
  private nextId = 1;

  constructor(startTs: number) {
    this.rootId = this.newInode('dir', '', startTs).id;
  }

  /** A file or directory that was there before the trace began: durable as it is. */
  addDurable(rel: string, kind: 'file' | 'dir', size: number, ts: number): void {
    const parent = this.lookupDir(parentOf(rel));
    if (!parent) return;
    const node = this.newInode(kind, rel, ts);
    node.size = node.synced = size;
    node.syncedAt = ts;
    parent.entries.set(path.posix.basename(rel), node.id);
    parent.durable.set(path.posix.basename(rel), node.id);
  }

  lookup(rel: string | null): Inode | null {
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

  lookupDir(rel: string): Inode | null {
    const n = this.lookup(rel);
    return n?.kind === 'dir' ? n : null;
  }

  /** A new file or directory at rel (replacing what was there); null when its parent is unknown. */
  create(ts: number, rel: string | null, kind: 'file' | 'dir'): Inode | null {
    if (rel === null || rel === '') return null;
    const parent = this.lookupDir(parentOf(rel));
    if (!parent) return null;
    const node = this.newInode(kind, rel, ts);
    this.replaceEntry(parent, path.posix.basename(rel), node.id, ts);
    return node;
  }

  /** Moves a name; from or to null = outside the tree. True when the tree changed. */
  rename(ts: number, from: string | null, to: string | null): boolean {
    if (from === null && to === null) return false;
    const node = from === null ? null : this.lookup(from);
    if (from !== null) {
      const src = this.lookupDir(parentOf(from));
      src?.entries.delete(path.posix.basename(from));
      if (node) endResidency(node, from, ts);
    }
    if (to === null || !node) return true; // moved out of the tree: gone from it
    const dst = this.lookupDir(parentOf(to));
    if (!dst) return true;
    this.replaceEntry(dst, path.posix.basename(to), node.id, ts);
    node.residencies.push({ rel: to, from: ts, to: null });
    if (node.kind === 'dir') this.moveChildren(node, from ?? to, to, ts);
    return true;
  }

  unlink(ts: number, rel: string | null): boolean {
    if (rel === null) return false;
    const parent = this.lookupDir(parentOf(rel));
    const name = path.posix.basename(rel);
    const id = parent?.entries.get(name);
    if (!parent || id === undefined) return false;
    parent.entries.delete(name);
    const node = this.inodes.get(id);
    if (node) endResidency(node, rel, ts);
    return true;
  }

  link(from: string | null, to: string | null): boolean {
    const node = this.lookup(from);
    if (!node || to === null) return false;
    const dst = this.lookupDir(parentOf(to));
    if (!dst) return false;
    dst.entries.set(path.posix.basename(to), node.id);
    return true;
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
      syncedAt: null,
      unsynced: new Extents(),
      unmodelled: 0,
      entries: new Map(),
      durable: new Map(),
      residencies: [{ rel, from: ts, to: null }],
    };
    this.inodes.set(node.id, node);
    return node;
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

  private replaceEntry(dir: Inode, name: string, id: number, ts: number): void {
    const old = dir.entries.get(name);
    if (old !== undefined && old !== id) {
      const prev = this.inodes.get(old);
      const live = dir.residencies.find((x) => x.to === null);
      if (prev && live) endResidency(prev, live.rel ? `${live.rel}/${name}` : name, ts);
    }
    dir.entries.set(name, id);
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
