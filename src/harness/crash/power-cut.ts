/**
 * Turns a data directory into what a power cut would have left of it: the page-cache state
 * (what the dead server's files hold now) moves aside, and a new directory is built from the
 * crash model's durable tree, each file cut to what its syncs covered. With `torn`, a seeded
 * part of each file's unsynced tail survives too, cut at a random byte inside one of its
 * writes (a disk writes back pages in its own order and may stop in the middle of one):
 * a uniform choice of write and byte, so anything from none to nearly all of the tail stays.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Rng } from '../../shared/prng.js';
import type { CrashModel, Inode } from './crash-model.js';
import type { Preserver } from './preserver.js';

export interface CutStats {
  /** bytes in the files as the process left them, and in the files after the cut */
  beforeBytes: number;
  keptBytes: number;
  /** power-loss-torn: unsynced bytes that survived the cut */
  tornBytesKept: number;
  /** name changes the cut undid (creates, renames, unlinks never made durable) */
  namesUndone: number;
  /** files the cut brings back whose bytes were never seen (empty in the result) */
  unknownContent: number;
  /** durable bytes overwritten or truncated without a sync: kept at their new content */
  unmodelledBytes: number;
  /**
   * Each file that lost bytes, and when its last completed sync began (trace seconds; its
   * creation if it was never synced). Nothing written to it before then was lost: a check of
   * the client's loss window on the server's own clock.
   */
  dropped: { rel: string; since: number }[];
}

export function applyPowerCut(model: CrashModel, preserver: Preserver | null, dataDir: string, aside: string, torn: Rng | null, startTs = 0): CutStats {
  fs.renameSync(dataDir, aside);
  fs.mkdirSync(dataDir);
  const stats: CutStats = {
    beforeBytes: treeBytes(aside),
    keptBytes: 0,
    tornBytesKept: 0,
    namesUndone: model.namesUndone(),
    unknownContent: 0,
    unmodelledBytes: 0,
    dropped: [],
  };
  for (const { rel, inode } of model.durableTree()) {
    const dst = path.join(dataDir, rel);
    if (inode.kind === 'dir') {
      fs.mkdirSync(dst, { recursive: true });
      continue;
    }
    const src = sourceOf(inode, aside, preserver);
    stats.unmodelledBytes += inode.unmodelled;
    if (src === null) {
      stats.unknownContent++;
      fs.writeFileSync(dst, '');
      continue;
    }
    const have = fs.statSync(src).size;
    let keep = Math.min(inode.synced, have);
    if (torn && inode.unsynced.length > 0) {
      const w = inode.unsynced.at(torn.int(inode.unsynced.length));
      const cut = Math.min(have, Math.max(keep, w.off + torn.int(Math.max(1, w.len))));
      stats.tornBytesKept += cut - keep;
      keep = cut;
    }
    copyPrefix(src, dst, keep);
    stats.keptBytes += keep;
    if (keep < have) stats.dropped.push({ rel, since: inode.syncedAt ?? inode.residencies[0]?.from ?? startTs });
  }
  return stats;
}

/** Where an inode's bytes are now: under its current name, else its preserved copy. */
function sourceOf(inode: Inode, aside: string, preserver: Preserver | null): string | null {
  const live = inode.residencies.find((r) => r.to === null);
  if (live) {
    const p = path.join(aside, live.rel);
    if (fs.existsSync(p)) return p;
  }
  for (const r of [...inode.residencies].reverse()) {
    const p = preserver?.find(r.rel, r.from, r.to) ?? null;
    if (p && fs.existsSync(p)) return p;
  }
  return null;
}

function copyPrefix(src: string, dst: string, bytes: number): void {
  fs.copyFileSync(src, dst);
  fs.truncateSync(dst, bytes);
}

function treeBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += treeBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}
