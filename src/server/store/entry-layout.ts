/**
 * Where a KeyTable keeps an entry's numbers: segments of SEG entries, FIELDS int32s each
 * (key-table.ts), plus a parallel Float64Array of expiry times per segment. Shared by the
 * table and by table-view.ts, which reads the same memory from the RDB encoding thread.
 */
export const SEG_BITS = 16;
export const SEG = 1 << SEG_BITS;
export const SEG_MASK = SEG - 1;
/** Int32 fields per entry in a meta segment. */
export const HASH = 0;
export const STAMP = 1; // ENC bits | (LRU clock, or SHARED | a shared integer)
export const REF = 2; // the entry's arena block: key bytes, then a string value's bytes
export const KLEN = 3; // -1: a free entry
export const VLEN = 4; // -1: a collection (a JS object, only the main thread has it)
export const FIELDS = 5;
