/**
 * A slab allocator over big off-heap pages, for the keyspace's bytes (a key and its string
 * value share one block). Why: as JS strings, 1M keys are 2M heap objects that every major
 * GC marks (a 69 ms Mark-Compact at 630k keys); in a few hundred 1 MB ArrayBuffers they are
 * a few hundred objects, whatever the dataset size.
 *
 * Blocks come in size classes (8-byte steps to 128, then four per doubling to 16 KB, as
 * jemalloc's), carved from the current page or reused from the class's free list, whose
 * links live in the freed blocks themselves. Larger blocks get a Buffer of their own. A
 * reference is one int32: >= 0 is page << 17 | offset / 8 (16 GB addressable), < 0 is
 * -(big index + 1). Freed pages are not returned to the OS (as with malloc, RSS stays at
 * its high-water mark) except by clear().
 */
import { untrackedBytes } from './untracked.js';

const PAGE_BITS = 20;
export const PAGE_SIZE = 1 << PAGE_BITS;
const UNIT_BITS = 3;
const OFF_BITS = PAGE_BITS - UNIT_BITS;
const OFF_MASK = (1 << OFF_BITS) - 1;
/** Blocks larger than this get their own Buffer. */
export const MAX_SMALL = 16384;
const MAX_PAGES = 1 << (31 - OFF_BITS);

/** Class sizes: 8..128 by 8, then 4 steps per power of two up to MAX_SMALL. */
const CLASS_SIZE: number[] = [];
for (let s = 8; s <= 128; s += 8) CLASS_SIZE.push(s);
for (let base = 128; base < MAX_SMALL; base *= 2) for (let q = 1; q <= 4; q++) CLASS_SIZE.push(base + (base / 4) * q);
/** Class index for every block size 0..MAX_SMALL: one fill per class (a loop per size took
 * ~3 ms of the server's start-up in the interpreter). */
const CLASS_OF = new Uint8Array(MAX_SMALL + 1);
for (let c = 0, from = 0; c < CLASS_SIZE.length; from = CLASS_SIZE[c++]! + 1) CLASS_OF.fill(c, from, CLASS_SIZE[c]! + 1);

/** The bytes a block of `n` bytes really takes (its class size; n itself for big blocks). */
export function blockSize(n: number): number {
  return n <= MAX_SMALL ? CLASS_SIZE[CLASS_OF[n]!]! : n;
}

/** An arena's memory by reference number: pages[ref >>> 17] for ref >= 0, bigs[-ref - 1] below. */
export interface ArenaMemory {
  pages: SharedArrayBuffer[];
  bigs: (SharedArrayBuffer | null)[];
}

/** Where block `ref` starts in its page (0 in a big block's own buffer). */
export function blockOffset(ref: number): number {
  return ref >= 0 ? (ref & OFF_MASK) << UNIT_BITS : 0;
}

/** Block `ref`'s buffer among `pages` and `bigs` (an ArenaMemory's, as Buffers). */
export function blockBuffer(pages: Buffer[], bigs: (Buffer | null | undefined)[], ref: number): Buffer {
  return ref >= 0 ? pages[ref >>> OFF_BITS]! : bigs[-ref - 1]!;
}

function sharedOf(b: Buffer): SharedArrayBuffer {
  return b.buffer as SharedArrayBuffer;
}

export class Arena {
  private pages: Buffer[] = [];
  /** Pages kept by reset() for newPage to take first. */
  private spare: Buffer[] = [];
  /** Where the next fresh block of the last page starts. */
  private top = PAGE_SIZE;
  /** Per class: first free block's ref, or -1. */
  private readonly freeHead = new Int32Array(CLASS_SIZE.length).fill(-1);
  private bigs: (Buffer | undefined)[] = [];
  private freeBigs: number[] = [];
  /** Bytes in live blocks, counted at their class size. */
  usedBytes = 0;

  /** Bytes held: pages plus big blocks. */
  get reservedBytes(): number {
    let n = (this.pages.length + this.spare.length) * PAGE_SIZE;
    for (const b of this.bigs) if (b !== undefined) n += b.length;
    return n;
  }

  /** A block of at least n bytes. Its contents are undefined. */
  alloc(n: number): number {
    if (n > MAX_SMALL) return this.allocBig(n);
    const c = CLASS_OF[n]!;
    const size = CLASS_SIZE[c]!;
    this.usedBytes += size;
    const head = this.freeHead[c]!;
    if (head >= 0) {
      // The link to the next free block is in the block's first 4 bytes.
      this.freeHead[c] = this.pages[head >>> OFF_BITS]!.readInt32LE((head & OFF_MASK) << UNIT_BITS);
      return head;
    }
    if (this.top + size > PAGE_SIZE) this.newPage();
    const ref = ((this.pages.length - 1) << OFF_BITS) | (this.top >>> UNIT_BITS);
    this.top += size;
    return ref;
  }

  /** Returns a block of `n` bytes (the size it was allocated with, or any of the same class). */
  free(ref: number, n: number): void {
    if (ref < 0) {
      const i = -ref - 1;
      this.usedBytes -= this.bigs[i]!.length;
      this.bigs[i] = undefined;
      this.freeBigs.push(i);
      return;
    }
    const c = CLASS_OF[n]!;
    this.usedBytes -= CLASS_SIZE[c]!;
    this.pages[ref >>> OFF_BITS]!.writeInt32LE(this.freeHead[c]!, (ref & OFF_MASK) << UNIT_BITS);
    this.freeHead[c] = ref;
  }

  /** True when a block allocated for `had` bytes can hold `want` bytes in place (without wasting half of a big one). */
  fits(ref: number, had: number, want: number): boolean {
    if (ref < 0) {
      const cap = this.bigs[-ref - 1]!.length;
      return want <= cap && want * 2 > cap;
    }
    return want <= MAX_SMALL && CLASS_OF[want] === CLASS_OF[had];
  }

  /** The Buffer a block lives in (read or write it at offset(ref)). */
  buffer(ref: number): Buffer {
    return blockBuffer(this.pages, this.bigs, ref);
  }

  offset(ref: number): number {
    return blockOffset(ref);
  }

  /** The pages and big blocks as they are now, for another thread to read (table-view.ts). */
  memory(): ArenaMemory {
    return { pages: this.pages.map(sharedOf), bigs: this.bigs.map((b) => (b === undefined ? null : sharedOf(b))) };
  }

  /** Frees every block but keeps the pages, which the next allocations take before any new one. */
  reset(): void {
    // Reversed: newPage pops them, so page numbers come back in their old order.
    this.spare.push(...this.pages.reverse());
    this.pages = [];
    this.top = PAGE_SIZE;
    this.freeHead.fill(-1);
    this.bigs = [];
    this.freeBigs = [];
    this.usedBytes = 0;
  }

  /** Drops every block and page. */
  clear(): void {
    this.reset();
    this.spare = [];
  }

  private newPage(): void {
    if (this.pages.length >= MAX_PAGES) throw new RangeError('arena full (16 GB)');
    // The tail of the old page is left unused: at most one class size per 1 MB page.
    this.pages.push(this.spare.pop() ?? untrackedBytes(PAGE_SIZE));
    this.top = 0;
  }

  private allocBig(n: number): number {
    const b = untrackedBytes(n);
    this.usedBytes += n;
    const i = this.freeBigs.length > 0 ? this.freeBigs.pop()! : this.bigs.length;
    this.bigs[i] = b;
    return -(i + 1);
  }
}

/**
 * dst[at, at + n) = src[from, from + n). A loop for short runs: Buffer.copy's call costs
 * about three times a 16-byte copy (173 against 55 ns on the 2-core VM), and an RDB load
 * copies every key and value into the arena; Buffer.copy from 48 bytes on.
 */
export function copyBytes(src: Buffer, from: number, n: number, dst: Buffer, at: number): void {
  if (n >= 48) {
    src.copy(dst, at, from, from + n);
    return;
  }
  for (let i = 0; i < n; i++) dst[at + i] = src[from + i]!;
}
