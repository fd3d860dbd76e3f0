import { blockBuffer, blockOffset, type ArenaMemory } from './arena.js';
import { FIELDS, KLEN, REF, SEG_BITS, SEG_MASK, VLEN } from './entry-layout.js';

/** A KeyTable's memory (KeyTable.memory()): every array on a SharedArrayBuffer, so it can be posted to a thread without a copy. */
export interface TableMemory {
  meta: Int32Array[];
  exp: Float64Array[];
  arena: ArenaMemory;
}

/**
 * Read-only byte access to a KeyTable's string entries from another thread (the RDB
 * encoding thread reads a snapshot's keys where they are, as a forked child reads its
 * parent's pages). Only what the table held when memory() was taken is visible, which is
 * what a snapshot reads: entries numbered below its start's high-water mark, whose bytes
 * the main thread does not change until the snapshot has read them or kept a copy.
 */
export class TableView {
  private readonly meta: Int32Array[];
  private readonly exp: Float64Array[];
  private readonly pages: Buffer[];
  private readonly bigs: (Buffer | null)[];

  constructor(m: TableMemory) {
    this.meta = m.meta;
    this.exp = m.exp;
    this.pages = m.arena.pages.map((p) => Buffer.from(p));
    this.bigs = m.arena.bigs.map((b) => (b === null ? null : Buffer.from(b)));
  }

  /** Key bytes of entry `e`, or -1 when the entry is free. */
  keyLength(e: number): number {
    return this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + KLEN]!;
  }

  /** String value bytes of entry `e`, or -1 for a collection. */
  valueLength(e: number): number {
    return this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + VLEN]!;
  }

  /** The buffer holding entry `e`'s key at keyOffset(e), its string value right after. */
  buffer(e: number): Buffer {
    return blockBuffer(this.pages, this.bigs, this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + REF]!);
  }

  keyOffset(e: number): number {
    return blockOffset(this.meta[e >>> SEG_BITS]![(e & SEG_MASK) * FIELDS + REF]!);
  }

  /** Expiry time (unix ms) of entry `e`, or undefined. */
  expireAt(e: number): number | undefined {
    const t = this.exp[e >>> SEG_BITS]![e & SEG_MASK]!;
    return t === t ? t : undefined;
  }
}
