/**
 * Stream IDs as one 128-bit bigint, (ms << 64) | seq: comparisons are plain `<`, and +1n / -1n
 * carry between seq and ms exactly as streamIncrID / streamDecrID do. Both halves are full
 * uint64 (Redis's tests use 18446744073709551615-18446744073709551615). Storage keeps IDs in
 * typed arrays as four uint32 words; these helpers convert at the edges.
 */

export const U64_MAX = (1n << 64n) - 1n;
export const MAX_ID = (1n << 128n) - 1n;
export const MIN_ID = 0n;

export function makeId(ms: bigint, seq: bigint): bigint {
  return (ms << 64n) | seq;
}

export function idMs(id: bigint): bigint {
  return id >> 64n;
}

export function idSeq(id: bigint): bigint {
  return id & U64_MAX;
}

/** "ms-seq", as createStreamIDString. */
export function formatId(id: bigint): string {
  return `${id >> 64n}-${id & U64_MAX}`;
}

/** A uint64 given as two uint32 words, in decimal, without a bigint when it fits 53 bits. */
export function u64String(hi: number, lo: number): string {
  if (hi < 0x200000) return String(hi * 0x100000000 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/**
 * string2ull: what strtoull accepts (leading spaces, a sign, leading zeros) within uint64,
 * except a canonical negative int64 (string2ll succeeds with a negative value). A '-' before
 * any other digits negates modulo 2^64, as strtoull does. null when invalid.
 */
export function parseU64(s: string): bigint | null {
  if (/^-?[1-9][0-9]*$/.test(s) && s.startsWith('-') && s.length <= 20) {
    const v = BigInt(s);
    if (v >= -(1n << 63n)) return null;
  }
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(s);
  if (m === null) return null;
  const v = BigInt(m[2]!);
  if (v > U64_MAX) return null;
  return m[1] === '-' ? (v === 0n ? 0n : (1n << 64n) - v) : v;
}

export interface ParsedId {
  id: bigint;
  /** False for the XADD "ms-*" form: the sequence is to be generated. */
  seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply: "-" and "+" (unless strict), "ms", "ms-seq", and with
 * `allowAutoSeq` "ms-*". `missingSeq` fills the seq of a bare "ms". null when invalid.
 */
export function parseId(s: string, missingSeq: bigint, strict: boolean, allowAutoSeq = false): ParsedId | null {
  if (s.length > 127) return null;
  if (s === '-') return strict ? null : { id: MIN_ID, seqGiven: true };
  if (s === '+') return strict ? null : { id: MAX_ID, seqGiven: true };
  const dash = s.indexOf('-');
  const ms = parseU64(dash < 0 ? s : s.slice(0, dash));
  if (ms === null) return null;
  if (dash < 0) return { id: makeId(ms, missingSeq), seqGiven: true };
  const rest = s.slice(dash + 1);
  if (allowAutoSeq && rest === '*') return { id: makeId(ms, 0n), seqGiven: false };
  const seq = parseU64(rest);
  if (seq === null) return null;
  return { id: makeId(ms, seq), seqGiven: true };
}

/** The four big-endian uint32 words of an ID (msHi, msLo, seqHi, seqLo). */
export function idWords(id: bigint, out: Uint32Array, at: number): void {
  out[at] = Number((id >> 96n) & 0xffffffffn);
  out[at + 1] = Number((id >> 64n) & 0xffffffffn);
  out[at + 2] = Number((id >> 32n) & 0xffffffffn);
  out[at + 3] = Number(id & 0xffffffffn);
}

export function wordsId(w: Uint32Array, at: number): bigint {
  return (BigInt(w[at]!) << 96n) | (BigInt(w[at + 1]!) << 64n) | (BigInt(w[at + 2]!) << 32n) | BigInt(w[at + 3]!);
}

/** The 16-byte big-endian form (streamEncodeID): RDB node keys and PEL IDs. */
export function idBytes(id: bigint): Buffer {
  const b = Buffer.allocUnsafe(16);
  b.writeBigUInt64BE(id >> 64n, 0);
  b.writeBigUInt64BE(id & U64_MAX, 8);
  return b;
}

export function bytesId(b: Buffer, off = 0): bigint {
  return (b.readBigUInt64BE(off) << 64n) | b.readBigUInt64BE(off + 8);
}
