/**
 * A list as redis-server 7.0 saves it (rdbSaveObject, RDB_TYPE_LIST_QUICKLIST_2): the node
 * count, then per node its container and bytes — a PACKED listpack, or a PLAIN node holding
 * one element of at least the packed threshold (1 GB unless DEBUG QUICKLIST-PACKED-THRESHOLD
 * says otherwise). Nodes are split as pushing the elements at the tail one by one splits them
 * (quicklistPushTail / _quicklistNodeAllowInsert, by list-max-listpack-size), which is also
 * what redis-server builds when it loads a plain list or replays RPUSHes; the nodes farther
 * than list-compress-depth from both ends are written LZF-compressed when redis-server would
 * hold them so (__quicklistCompressNode: 48 bytes or more, and 8 bytes saved).
 */
import type { ListpackBuilder } from '../../stream/listpack-encoding.js';
import { lpStrElementSize } from '../../stream/listpack-encoding.js';
import { QUICKLIST_NODE_CONTAINER_PACKED, QUICKLIST_NODE_CONTAINER_PLAIN } from './constants.js';
import type { RdbWriter } from './writer.js';

/** Node byte limits for fill -1 .. -5 (optimization_level). */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
/** A count-limited node stops growing past this many bytes (SIZE_SAFETY_LIMIT). */
const SIZE_SAFETY_LIMIT = 8192;
/** _quicklistNodeAllowInsert's estimate of an element's overhead. */
const SIZE_ESTIMATE_OVERHEAD = 8;
/** An empty listpack: header and end marker. */
const LP_EMPTY = 7;
const MIN_COMPRESS_BYTES = 48;
const MIN_COMPRESS_IMPROVE = 8;
/** quicklistSetFill's range. */
const FILL_MIN = -5;
const FILL_MAX = 32767;

/** _quicklistNodeAllowInsert: may an element of `len` bytes join a node of `sz` bytes and `count` elements? */
function allowInsert(sz: number, count: number, fill: number, len: number): boolean {
  const newSz = sz + len + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) return newSz <= OPTIMIZATION_LEVEL[-fill - 1]!;
  return newSz <= SIZE_SAFETY_LIMIT && count < fill;
}

/**
 * Where each node of `items` ends (exclusive indexes, in `ends`, which is cleared first).
 * A node of one element at least `threshold` long is a PLAIN node.
 */
export function quicklistNodes(items: readonly string[], fill: number, threshold: number, ends: number[]): void {
  ends.length = 0;
  const f = Math.min(FILL_MAX, Math.max(FILL_MIN, fill));
  let sz = -1; // bytes of the tail node's listpack; -1: no node, or the tail is PLAIN
  let count = 0;
  for (let i = 0; i < items.length; i++) {
    const s = items[i]!;
    const len = s.length;
    if (len >= threshold) {
      if (i > 0) ends.push(i);
      sz = -1;
      continue;
    }
    if (sz >= 0 && allowInsert(sz, count, f, len)) {
      sz += lpStrElementSize(s);
      count++;
      continue;
    }
    if (i > 0) ends.push(i);
    sz = LP_EMPTY + lpStrElementSize(s);
    count = 1;
  }
  if (items.length > 0) ends.push(items.length);
}

/**
 * The list's value (the type byte is the caller's). `lp` and `ends` are the caller's scratch,
 * reused from one list to the next.
 */
export function writeQuicklist(
  w: RdbWriter,
  items: readonly string[],
  options: { fill: number; depth: number; threshold: number },
  lp: ListpackBuilder,
  ends: number[],
): void {
  quicklistNodes(items, options.fill, options.threshold, ends);
  const nodes = ends.length;
  const depth = options.depth;
  w.len(nodes);
  let start = 0;
  for (let k = 0; k < nodes; k++) {
    const end = ends[k]!;
    let blob: Buffer;
    if (end - start === 1 && items[start]!.length >= options.threshold) {
      w.len(QUICKLIST_NODE_CONTAINER_PLAIN);
      blob = Buffer.from(items[start]!, 'latin1'); // rare: elements this big
    } else {
      w.len(QUICKLIST_NODE_CONTAINER_PACKED);
      lp.reset();
      for (let i = start; i < end; i++) lp.str(items[i]!);
      blob = lp.finish();
    }
    const n = blob.length;
    // Inner nodes (depth or more from both ends) are held compressed when LZF pays.
    const inner = depth > 0 && k >= depth && k < nodes - depth;
    if (!(inner && n >= MIN_COMPRESS_BYTES && w.lzfBlob(blob, 0, n, n, n - MIN_COMPRESS_IMPROVE - 1))) w.stringBytes(blob, 0, n);
    start = end;
  }
}
