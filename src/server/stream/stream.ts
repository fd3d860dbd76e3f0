import type { ConsumerGroup } from './consumer-group.js';
import { lpIntElementSize, lpStrElementSize } from './listpack-encoding.js';
import { idWords, u64String, U64_MAX, wordsId } from './stream-id.js';

/**
 * A Redis stream kept out of the garbage collector's way: a handful of typed arrays and one
 * Buffer however many entries it holds.
 *
 * Entries ("slots") are in ID order: IDs as four uint32 words in `ids`, a flags byte, and a
 * record in `data` at `offs[slot]` (varint-length latin1 strings). Slots are grouped into
 * nodes exactly where redis-server 7.0 would start a new listpack (stream-node-max-bytes,
 * stream-node-max-entries, counted in real listpack bytes), and a node keeps its deleted
 * entries until all of them are deleted — so approximate trimming (`~`), XINFO's node count
 * and the RDB's listpacks come out as redis-server's. A node's first record carries the
 * node's "master" field names; an entry with the same field names stores only its values.
 *
 * Appends are amortized O(1) (arrays double); lookups are a binary search over the IDs;
 * nodes removed from the head or the middle leave dead slots that a compaction reclaims
 * once they outnumber the live ones.
 */

export const FLAG_DELETED = 1;
export const FLAG_SAMEFIELDS = 2;
/** First slot of a node: its record starts with the master field names. */
export const FLAG_NODE_START = 4;
/** Slot of a removed node, waiting for compaction. */
const FLAG_DEAD = 8;

/** stream-node-max-bytes / stream-node-max-entries (CONFIG SET changes them). */
export const STREAM_LIMITS = { nodeMaxBytes: 4096, nodeMaxEntries: 100 };
const LISTPACK_MAX = 1 << 30;

export type TrimStrategy = 'maxlen' | 'minid';
export interface TrimArgs {
  strategy: TrimStrategy;
  maxlen: number;
  minid: bigint;
  approx: boolean;
  /** 0: no limit. */
  limit: number;
}

/** One node as the RDB writer sees it: its slot range and counters. */
export interface NodeView {
  start: number;
  end: number;
  live: number;
  deleted: number;
}

export class Stream {
  private ids: Uint32Array = new Uint32Array(64);
  private offs: Uint32Array = new Uint32Array(16);
  private flags: Uint8Array = new Uint8Array(16);
  private data = Buffer.allocUnsafe(256);
  private dataEnd = 0;
  private head = 0;
  private tail = 0;
  private nStart: Uint32Array = new Uint32Array(4);
  private nLive: Uint32Array = new Uint32Array(4);
  private nDel: Uint32Array = new Uint32Array(4);
  private nodeHead = 0;
  private nodeTail = 0;
  /** Listpack bytes of the tail node, its two counters left out. */
  private tailBase = 0;
  private tailMaster: string[] | null = null;
  private slotsInNodes = 0;
  /** Last master fields decoded (sequential reads stay in one node). */
  private cacheStart = -1;
  private cacheFields: string[] = [];

  length = 0;
  lastId = 0n;
  firstId = 0n;
  maxDeletedId = 0n;
  entriesAdded = 0;
  groups: Map<string, ConsumerGroup> | null = null;

  /** Radix tree keys (listpack nodes) as XINFO reports them. */
  get nodeCount(): number {
    return this.nodeTail - this.nodeHead;
  }

  // ---- reading ----

  slotId(slot: number): bigint {
    return wordsId(this.ids, slot * 4);
  }

  slotIdString(slot: number): string {
    const w = this.ids;
    const a = slot * 4;
    return u64String(w[a]!, w[a + 1]!) + '-' + u64String(w[a + 2]!, w[a + 3]!);
  }

  slotFlags(slot: number): number {
    return this.flags[slot]!;
  }

  /** First slot whose ID is >= id (tombstones and dead slots included), or `tail`. */
  lowerBound(id: bigint): number {
    const w0 = Number((id >> 96n) & 0xffffffffn);
    const w1 = Number((id >> 64n) & 0xffffffffn);
    const w2 = Number((id >> 32n) & 0xffffffffn);
    const w3 = Number(id & 0xffffffffn);
    const w = this.ids;
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const a = mid * 4;
      const less =
        w[a]! !== w0 ? w[a]! < w0 : w[a + 1]! !== w1 ? w[a + 1]! < w1 : w[a + 2]! !== w2 ? w[a + 2]! < w2 : w[a + 3]! < w3;
      if (less) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private live(slot: number): boolean {
    return (this.flags[slot]! & (FLAG_DELETED | FLAG_DEAD)) === 0;
  }

  /**
   * Calls visit(slot) for the live entries with start <= ID <= end, ascending or (rev)
   * descending, until it returns false.
   */
  range(start: bigint, end: bigint, rev: boolean, visit: (slot: number) => boolean): void {
    if (start > end || this.length === 0) return;
    if (!rev) {
      for (let s = this.lowerBound(start); s < this.tail; s++) {
        if (!this.live(s)) continue;
        if (this.slotId(s) > end) return;
        if (!visit(s)) return;
      }
    } else {
      let s = this.lowerBound(end);
      if (s >= this.tail || this.slotId(s) > end) s--;
      for (; s >= this.head; s--) {
        if (!this.live(s)) continue;
        if (this.slotId(s) < start) return;
        if (!visit(s)) return;
      }
    }
  }

  /** The live slot holding exactly `id`, or -1. */
  find(id: bigint): number {
    const s = this.lowerBound(id);
    return s < this.tail && this.live(s) && this.slotId(s) === id ? s : -1;
  }

  /** First / last live entry's ID (streamGetEdgeID skipping tombstones), or null. */
  edgeId(first: boolean): bigint | null {
    if (first) {
      for (let s = this.head; s < this.tail; s++) if (this.live(s)) return this.slotId(s);
    } else {
      for (let s = this.tail - 1; s >= this.head; s--) if (this.live(s)) return this.slotId(s);
    }
    return null;
  }

  /** The first entry's ID, tombstones included (streamGetEdgeID(s, 1, 0)), or null. */
  firstSlotId(): bigint | null {
    return this.nodeHead < this.nodeTail ? this.slotId(this.nStart[this.nodeHead]!) : null;
  }

  /** Field/value pairs of a slot, flat: [f1, v1, f2, v2, ...]. */
  fields(slot: number): string[] {
    const d = this.data;
    let p = this.offs[slot]!;
    const fl = this.flags[slot]!;
    let master: string[] | null = null;
    if (fl & FLAG_NODE_START) {
      const [nm, q] = readVarint(d, p);
      p = q;
      master = new Array<string>(nm);
      for (let i = 0; i < nm; i++) {
        const [len, r] = readVarint(d, p);
        master[i] = d.latin1Slice(r, r + len);
        p = r + len;
      }
      this.cacheStart = slot;
      this.cacheFields = master;
    }
    let names: string[];
    if (fl & FLAG_SAMEFIELDS) names = master ?? this.masterOf(slot);
    else {
      const [nf, q] = readVarint(d, p);
      p = q;
      names = new Array<string>(nf);
      for (let i = 0; i < nf; i++) {
        const [len, r] = readVarint(d, p);
        names[i] = d.latin1Slice(r, r + len);
        p = r + len;
      }
    }
    const out = new Array<string>(names.length * 2);
    for (let i = 0; i < names.length; i++) {
      const [len, r] = readVarint(d, p);
      out[2 * i] = names[i]!;
      out[2 * i + 1] = d.latin1Slice(r, r + len);
      p = r + len;
    }
    return out;
  }

  /** The master field names of the node holding `slot`. */
  masterOf(slot: number): string[] {
    const start = this.nStart[this.nodeOf(slot)]!;
    if (start === this.cacheStart) return this.cacheFields;
    const d = this.data;
    let p = this.offs[start]!;
    const [nm, q] = readVarint(d, p);
    p = q;
    const master = new Array<string>(nm);
    for (let i = 0; i < nm; i++) {
      const [len, r] = readVarint(d, p);
      master[i] = d.latin1Slice(r, r + len);
      p = r + len;
    }
    this.cacheStart = start;
    this.cacheFields = master;
    return master;
  }

  /** Index (in the node arrays) of the node holding `slot`. */
  private nodeOf(slot: number): number {
    let lo = this.nodeHead;
    let hi = this.nodeTail - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.nStart[mid]! <= slot) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The nodes, head to tail (for the RDB writer). */
  *nodes(): Generator<NodeView> {
    for (let k = this.nodeHead; k < this.nodeTail; k++) {
      const start = this.nStart[k]!;
      const live = this.nLive[k]!;
      const deleted = this.nDel[k]!;
      yield { start, end: start + live + deleted, live, deleted };
    }
  }

  /**
   * A slot's own field names (null when it shares the master's) and values, for the RDB
   * writer, which encodes the entry as the listpack would hold it.
   */
  record(slot: number): { own: string[] | null; values: string[] } {
    const fl = this.flags[slot]!;
    const all = this.fields(slot);
    const values = all.filter((_, i) => i % 2 === 1);
    return { own: fl & FLAG_SAMEFIELDS ? null : all.filter((_, i) => i % 2 === 0), values };
  }

  // ---- writing ----

  /**
   * streamAppendItem after the ID checks: adds the entry with the field/value pairs
   * argv[from..], starting a node where redis-server would.
   */
  append(id: bigint, argv: readonly string[], from: number): void {
    const n = (argv.length - from) >> 1;
    let totelelen = 0;
    for (let i = from; i < argv.length; i++) totelelen += argv[i]!.length;
    let flags = 0;
    let master: string[] | null = this.tailMaster;
    if (master === null || this.nodeFull(totelelen)) {
      master = new Array<string>(n);
      for (let i = 0; i < n; i++) master[i] = argv[from + 2 * i]!;
      this.openNode(master);
      flags = FLAG_NODE_START | FLAG_SAMEFIELDS;
    } else if (master.length === n) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = master[i] === argv[from + 2 * i];
      if (same) flags = FLAG_SAMEFIELDS;
    }
    // The record.
    let size = 0;
    if (flags & FLAG_NODE_START) size += varintSize(n) + stringsSize(argv, from, 2);
    if (!(flags & FLAG_SAMEFIELDS)) size += varintSize(n) + stringsSize(argv, from, 2);
    size += stringsSize(argv, from + 1, 2);
    const slot = this.newSlot(id, flags, size);
    let p = this.offs[slot]!;
    const d = this.data;
    if (flags & FLAG_NODE_START) {
      p = writeVarint(d, p, n);
      for (let i = from; i < argv.length; i += 2) p = writeString(d, p, argv[i]!);
    }
    if (!(flags & FLAG_SAMEFIELDS)) {
      p = writeVarint(d, p, n);
      for (let i = from; i < argv.length; i += 2) p = writeString(d, p, argv[i]!);
    }
    for (let i = from + 1; i < argv.length; i += 2) p = writeString(d, p, argv[i]!);
    this.dataEnd = p;
    // The node's listpack bytes, as streamAppendItem grows them.
    const k = this.nodeTail - 1;
    this.nLive[k]!++;
    this.slotsInNodes++;
    const masterSlot = this.nStart[k]!;
    const w = this.ids;
    let lpBytes = 2 + this.diffSize(w, slot * 4, masterSlot * 4) + this.diffSize(w, slot * 4 + 2, masterSlot * 4 + 2);
    if (!(flags & FLAG_SAMEFIELDS)) {
      lpBytes += lpIntElementSize(n);
      for (let i = from; i < argv.length; i += 2) lpBytes += lpStrElementSize(argv[i]!);
    }
    for (let i = from + 1; i < argv.length; i += 2) lpBytes += lpStrElementSize(argv[i]!);
    lpBytes += lpIntElementSize(flags & FLAG_SAMEFIELDS ? n + 3 : 2 * n + 4);
    this.tailBase += lpBytes;
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  /** Size of the int64 element (a - b) over a uint64 held in two words at a and b. */
  private diffSize(w: Uint32Array, a: number, b: number): number {
    if (w[a] === w[b]) {
      const d = w[a + 1]! - w[b + 1]!;
      return lpIntElementSize(d);
    }
    const x = (BigInt(w[a]!) << 32n) | BigInt(w[a + 1]!);
    const y = (BigInt(w[b]!) << 32n) | BigInt(w[b + 1]!);
    return lpIntElementSize(Number(BigInt.asIntN(64, (x - y) & U64_MAX)));
  }

  /** Whether the tail node takes no more entries (streamAppendItem's new_node test). */
  private nodeFull(totelelen: number): boolean {
    const k = this.nodeTail - 1;
    let max = STREAM_LIMITS.nodeMaxBytes;
    if (max === 0 || max > LISTPACK_MAX) max = LISTPACK_MAX;
    const live = this.nLive[k]!;
    const del = this.nDel[k]!;
    const lpBytes = this.tailBase + lpIntElementSize(live) + lpIntElementSize(del);
    if (lpBytes + totelelen >= max) return true;
    return STREAM_LIMITS.nodeMaxEntries > 0 && live + del >= STREAM_LIMITS.nodeMaxEntries;
  }

  private openNode(master: string[]): void {
    if (this.nodeTail === this.nStart.length) this.growNodes();
    const k = this.nodeTail++;
    this.nStart[k] = this.tail;
    this.nLive[k] = 0;
    this.nDel[k] = 0;
    this.tailMaster = master;
    // header 6 + end 1 + num-fields + fields + the zero terminator
    let base = 7 + lpIntElementSize(master.length) + 2;
    for (const f of master) base += lpStrElementSize(f);
    this.tailBase = base;
  }

  private growNodes(): void {
    const cap = this.nStart.length * 2;
    const grow = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(cap);
      b.set(a.subarray(0, this.nodeTail));
      return b;
    };
    this.nStart = grow(this.nStart);
    this.nLive = grow(this.nLive);
    this.nDel = grow(this.nDel);
  }

  /** Reserves a slot and `size` record bytes at the tail. */
  private newSlot(id: bigint, flags: number, size: number): number {
    if (this.tail === this.flags.length) this.growSlots();
    if (this.dataEnd + size > this.data.length) this.growData(size);
    const slot = this.tail++;
    idWords(id, this.ids, slot * 4);
    this.flags[slot] = flags;
    this.offs[slot] = this.dataEnd;
    return slot;
  }

  private growSlots(): void {
    if (this.head + (this.tail - this.head - this.slotsInNodes) > this.slotsInNodes && this.head > 0) {
      this.compact();
      if (this.tail < this.flags.length) return;
    }
    const cap = this.flags.length * 2;
    const ids = new Uint32Array(cap * 4);
    ids.set(this.ids);
    this.ids = ids;
    const offs = new Uint32Array(cap);
    offs.set(this.offs);
    this.offs = offs;
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    this.flags = flags;
  }

  private growData(need: number): void {
    let cap = this.data.length * 2;
    while (cap < this.dataEnd + need) cap *= 2;
    if (cap > 0xffffffff) throw new RangeError('stream data beyond 4 GB');
    const d = Buffer.allocUnsafe(cap);
    this.data.copy(d, 0, 0, this.dataEnd);
    this.data = d;
  }

  /** Marks the live entry `id` deleted (streamDeleteItem); a node left empty is removed. */
  delete(id: bigint): boolean {
    const s = this.find(id);
    if (s < 0) return false;
    const k = this.nodeOf(s);
    this.flags[s]! |= FLAG_DELETED;
    this.length--;
    if (this.nLive[k] === 1) this.removeNode(k);
    else {
      this.nLive[k]!--;
      this.nDel[k]!++;
    }
    return true;
  }

  /** Drops node k and its slots. */
  private removeNode(k: number): void {
    const start = this.nStart[k]!;
    const size = this.nLive[k]! + this.nDel[k]!;
    this.slotsInNodes -= size;
    if (k === this.nodeTail - 1) this.tailMaster = null;
    if (k === this.nodeHead) {
      this.nodeHead++;
      this.head = this.nodeHead < this.nodeTail ? this.nStart[this.nodeHead]! : this.tail;
    } else {
      for (let s = start; s < start + size; s++) this.flags[s]! |= FLAG_DEAD;
      this.nStart.copyWithin(k, k + 1, this.nodeTail);
      this.nLive.copyWithin(k, k + 1, this.nodeTail);
      this.nDel.copyWithin(k, k + 1, this.nodeTail);
      this.nodeTail--;
    }
    if (this.nodeHead === this.nodeTail) {
      this.nodeHead = this.nodeTail = 0;
      this.head = this.tail = 0;
      this.dataEnd = 0;
      this.cacheStart = -1;
      return;
    }
    const dead = this.head + (this.tail - this.head - this.slotsInNodes);
    if (dead > 1024 && dead > this.slotsInNodes) this.compact();
  }

  /** Moves the live nodes' slots and records down to the start, then shrinks oversized arrays. */
  private compact(): void {
    let to = 0;
    let dataTo = 0;
    const d = this.data;
    for (let k = this.nodeHead; k < this.nodeTail; k++) {
      const start = this.nStart[k]!;
      const size = this.nLive[k]! + this.nDel[k]!;
      this.nStart[k - this.nodeHead] = to;
      this.nLive[k - this.nodeHead] = this.nLive[k]!;
      this.nDel[k - this.nodeHead] = this.nDel[k]!;
      for (let s = start; s < start + size; s++) {
        const from = this.offs[s]!;
        const end = s + 1 < this.tail ? this.offs[s + 1]! : this.dataEnd;
        if (dataTo !== from) d.copyWithin(dataTo, from, end);
        this.offs[to] = dataTo;
        dataTo += end - from;
        this.flags[to] = this.flags[s]!;
        if (to !== s) this.ids.copyWithin(to * 4, s * 4, s * 4 + 4);
        to++;
      }
    }
    this.nodeTail -= this.nodeHead;
    this.nodeHead = 0;
    this.head = 0;
    this.tail = to;
    this.dataEnd = dataTo;
    this.cacheStart = -1;
    const cap = this.flags.length;
    if (cap > 64 && to * 4 < cap) {
      const n = Math.max(16, to * 2);
      this.ids = this.ids.slice(0, n * 4);
      this.offs = this.offs.slice(0, n);
      this.flags = this.flags.slice(0, n);
    }
    if (this.data.length > 4096 && dataTo * 4 < this.data.length) {
      const b = Buffer.allocUnsafe(Math.max(256, dataTo * 2));
      d.copy(b, 0, 0, dataTo);
      this.data = b;
    }
  }

  /** streamTrim: whole nodes from the head, then (exact trimming) entries inside one node. */
  trim(a: TrimArgs): number {
    let deleted = 0;
    while (this.nodeHead < this.nodeTail) {
      if (a.strategy === 'maxlen' && this.length <= a.maxlen) break;
      const k = this.nodeHead;
      const entries = this.nLive[k]!;
      if (a.limit && deleted + entries > a.limit) break;
      const start = this.nStart[k]!;
      const end = start + entries + this.nDel[k]!;
      const remove = a.strategy === 'maxlen' ? this.length - entries >= a.maxlen : this.slotId(end - 1) < a.minid;
      if (remove) {
        this.length -= entries;
        deleted += entries;
        this.removeNode(k);
        continue;
      }
      if (a.approx) break;
      let fromNode = 0;
      for (let s = start; s < end; s++) {
        const stop = a.strategy === 'maxlen' ? this.length <= a.maxlen : this.slotId(s) >= a.minid;
        if (stop) break;
        if (!(this.flags[s]! & FLAG_DELETED)) {
          this.flags[s]! |= FLAG_DELETED;
          fromNode++;
          this.length--;
        }
      }
      this.nLive[k]! -= fromNode;
      this.nDel[k]! += fromNode;
      deleted += fromNode;
      break;
    }
    if (this.length === 0) this.firstId = 0n;
    else if (deleted) this.firstId = this.edgeId(true)!;
    return deleted;
  }

  // ---- loading (RDB) ----

  /**
   * Adds one entry of a loaded listpack node as it was saved: flags (deleted, samefields)
   * kept, `master` given for the node's first entry. Counters are the caller's to set.
   */
  loadEntry(id: bigint, flags: number, master: string[] | null, own: string[] | null, values: string[]): void {
    let size = 0;
    if (master !== null) size += varintSize(master.length) + listSize(master);
    if (own !== null) size += varintSize(own.length) + listSize(own);
    size += listSize(values);
    const fl = (flags & (FLAG_DELETED | FLAG_SAMEFIELDS)) | (master !== null ? FLAG_NODE_START : 0);
    const slot = this.newSlot(id, fl, size);
    let p = this.offs[slot]!;
    const d = this.data;
    if (master !== null) {
      if (this.nodeTail === this.nStart.length) this.growNodes();
      const k = this.nodeTail++;
      this.nStart[k] = slot;
      this.nLive[k] = 0;
      this.nDel[k] = 0;
      this.tailMaster = master;
      p = writeVarint(d, p, master.length);
      for (const f of master) p = writeString(d, p, f);
    }
    if (own !== null) {
      p = writeVarint(d, p, own.length);
      for (const f of own) p = writeString(d, p, f);
    }
    for (const v of values) p = writeString(d, p, v);
    this.dataEnd = p;
    const k = this.nodeTail - 1;
    if (fl & FLAG_DELETED) this.nDel[k]!++;
    else this.nLive[k]!++;
    this.slotsInNodes++;
  }

  /** After a loaded node: its listpack size, so appends split nodes where redis-server would. */
  loadedNode(lpBytes: number): void {
    const k = this.nodeTail - 1;
    this.tailBase = lpBytes - lpIntElementSize(this.nLive[k]!) - lpIntElementSize(this.nDel[k]!);
  }

  // ---- whole-value operations ----

  /** A deep copy (COPY, copy-on-write snapshots): typed arrays and buffer copied once. */
  clone(): Stream {
    const s = new Stream();
    s.ids = this.ids.slice();
    s.offs = this.offs.slice();
    s.flags = this.flags.slice();
    s.data = Buffer.from(this.data.subarray(0, Math.max(this.dataEnd, 1)));
    s.dataEnd = this.dataEnd;
    s.head = this.head;
    s.tail = this.tail;
    s.nStart = this.nStart.slice();
    s.nLive = this.nLive.slice();
    s.nDel = this.nDel.slice();
    s.nodeHead = this.nodeHead;
    s.nodeTail = this.nodeTail;
    s.tailBase = this.tailBase;
    s.tailMaster = this.tailMaster;
    s.slotsInNodes = this.slotsInNodes;
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    if (this.groups !== null) s.groups = new Map([...this.groups].map(([n, g]) => [n, g.clone()]));
    return s;
  }

  /** Approximate payload bytes (rdb_last_cow_size, MEMORY-style accounting). */
  bytes(): number {
    return this.ids.byteLength + this.offs.byteLength + this.flags.byteLength + this.data.length + this.nStart.byteLength * 3;
  }
}

function varintSize(n: number): number {
  let s = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    s++;
  }
  return s;
}

function writeVarint(d: Buffer, p: number, n: number): number {
  while (n >= 0x80) {
    d[p++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  d[p++] = n;
  return p;
}

function readVarint(d: Buffer, p: number): [number, number] {
  let n = 0;
  let mul = 1;
  for (;;) {
    const b = d[p++]!;
    n += (b & 0x7f) * mul;
    if (b < 0x80) return [n, p];
    mul *= 128;
  }
}

function writeString(d: Buffer, p: number, s: string): number {
  p = writeVarint(d, p, s.length);
  return p + d.latin1Write(s, p, s.length);
}

/** Record bytes of argv[from], argv[from + step], ... */
function stringsSize(argv: readonly string[], from: number, step: number): number {
  let n = 0;
  for (let i = from; i < argv.length; i += step) n += varintSize(argv[i]!.length) + argv[i]!.length;
  return n;
}

function listSize(a: readonly string[]): number {
  return stringsSize(a, 0, 1);
}
