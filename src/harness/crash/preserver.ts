/**
 * Keeps the bytes of every file that appears in a directory tree, so a power cut can bring
 * back a file that a rename replaced or an unlink removed (when that name change was never
 * made durable). Each file is hard-linked into a shadow directory by inode number as soon as
 * it is seen (inotify events, plus a short poll for what events miss); the link keeps its
 * blocks alive after the server replaces it. Where each inode was seen, and when, lets the
 * crash model's files (known only by path and time) be matched to their preserved copies.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Sighting {
  ino: number;
  /** epoch seconds (the trace's clock), first and last time seen at this path */
  first: number;
  last: number;
}

const POLL_MS = 5;

const epochSeconds = (): number => (performance.timeOrigin + performance.now()) / 1000;

export class Preserver {
  /** rel path → inodes seen there, in order */
  readonly sightings = new Map<string, Sighting[]>();
  private readonly linked = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private watchers: fs.FSWatcher[] = [];
  private readonly watched = new Set<string>();

  constructor(
    readonly root: string,
    readonly shadow: string,
  ) {}

  start(): void {
    fs.mkdirSync(this.shadow, { recursive: true });
    this.timer = setInterval(() => this.scan(), POLL_MS);
    this.scan();
  }

  /** One last look (the dead server's final files), then stop watching. */
  stop(): void {
    if (this.timer === null) return; // stopped already (afterExit, then dispose)
    clearInterval(this.timer);
    this.timer = null;
    for (const w of this.watchers) w.close();
    this.watchers = [];
    this.scan();
  }

  /** The preserved copy of whatever lived at rel during [from, to), or null. */
  find(rel: string, from: number, to: number | null): string | null {
    const seen = this.sightings.get(rel) ?? [];
    const end = to ?? Infinity;
    let best: Sighting | null = null;
    let bestOverlap = -Infinity;
    for (const s of seen) {
      const overlap = Math.min(end, s.last) - Math.max(from, s.first);
      if (overlap > bestOverlap && s.last >= from - 0.002 && s.first <= end + 0.002) {
        best = s;
        bestOverlap = overlap;
      }
    }
    return best ? path.join(this.shadow, String(best.ino)) : null;
  }

  private scan(dir = this.root, prefix = ''): void {
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    this.watch(dir);
    const now = epochSeconds();
    for (const e of names) {
      const abs = path.join(dir, e.name);
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) {
        this.scan(abs, rel);
        continue;
      }
      if (!e.isFile()) continue;
      let ino: number;
      try {
        ino = fs.statSync(abs).ino;
      } catch {
        continue;
      }
      this.see(rel, ino, now);
      if (this.linked.has(ino)) continue;
      try {
        fs.linkSync(abs, path.join(this.shadow, String(ino)));
        this.linked.add(ino);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') this.linked.add(ino);
        // ENOENT: gone between readdir and link; a later sighting (renamed) will link it
      }
    }
  }

  private see(rel: string, ino: number, now: number): void {
    const list = this.sightings.get(rel);
    const last = list?.[list.length - 1];
    if (last && last.ino === ino) last.last = now;
    else if (list) list.push({ ino, first: now, last: now });
    else this.sightings.set(rel, [{ ino, first: now, last: now }]);
  }

  private watch(dir: string): void {
    if (this.watched.has(dir) || this.timer === null) return;
    this.watched.add(dir);
    try {
      // 'rename' is a name appearing or going; 'change' (every AOF append) needs no look
      const w = fs.watch(dir, { persistent: false }, (event) => {
        if (event === 'rename') this.scan();
      });
      w.on('error', () => undefined);
      this.watchers.push(w);
    } catch {
      /* the poll covers it */
    }
  }
}
