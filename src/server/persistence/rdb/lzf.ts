/**
 * LZF, compatible with liblzf 3.6 as Redis vendors it (lzf_c.c with HLOG 16, VERY_FAST;
 * lzf_d.c). Stream format:
 *   000LLLLL                      literal run of L+1 bytes (1..32) follows
 *   LLLooooo oooooooo             back reference: length L+2 (L 1..6), offset o+1
 *   111ooooo LLLLLLLL oooooooo    back reference: length L+9, offset o+1
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/**
 * Shared hash table. Entries are `base + position`; entries written by earlier calls are
 * <= base, which makes them read as "no candidate" without clearing 256 KB every call.
 */
const htab = new Int32Array(HSIZE);
let base = 0;

/** liblzf's IDX() with VERY_FAST, in uint32 arithmetic. */
function idx(h: number): number {
  return (((h ^ (h << 5)) >>> (24 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

/*
 * The repeat filter: LZF saves bytes only with back references, and a back reference needs
 * a 3-byte sequence seen earlier in the input. With none, liblzf emits literals alone,
 * inLen + ceil(inLen / 32) bytes, so whenever that exceeds outMax its answer is 0 and the
 * whole LZF pass is wasted. That is the usual case of a save: Redis tries LZF on every string
 * over 20 bytes, and random values (what users store: hashes, tokens, payloads) never
 * compress; on 100-byte random values the LZF attempt was ~60 % of a save's CPU per key.
 * The filter marks each 3-byte sequence's hash in a 64K-slot stamp table and stops at the
 * first slot seen twice; only then does LZF run. A true repeat always shows as a slot seen
 * twice, so the answer is liblzf's in every case (the filter only skips certain failures).
 */
const FSLOTS = 1 << 16;
const fstamp = new Uint16Array(FSLOTS);
let fgen = 0;

/** False when no 3-byte sequence occurs twice in input[start, end) (true may be a hash collision). */
export function mayRepeat(input: Uint8Array, start: number, end: number): boolean {
  if (++fgen === 0x10000) {
    fstamp.fill(0);
    fgen = 1;
  }
  const g = fgen;
  let t = (input[start]! << 8) | input[start + 1]!;
  for (let p = start + 2; p < end; p++) {
    t = ((t << 8) | input[p]!) & 0xffffff;
    const slot = Math.imul(t, 0x9e3779b1) >>> 16;
    if (fstamp[slot] === g) return true;
    fstamp[slot] = g;
  }
  return false;
}

/**
 * Compresses input[inStart, inEnd) into out[outStart, outStart + outMax). Returns the
 * compressed length, or 0 when the result would not fit in outMax bytes (lzf_compress's
 * contract).
 */
export function lzfCompressInto(
  input: Uint8Array,
  inStart: number,
  inEnd: number,
  out: Uint8Array,
  outStart: number,
  outMax: number,
): number {
  const inLen = inEnd - inStart;
  if (inLen <= 0 || outMax <= 0) return 0;
  // Literals alone would not fit, and without a repeated 3-byte sequence literals are all LZF can emit.
  if (inLen >= 3 && outMax < inLen + ((inLen + 31) >>> 5) && !mayRepeat(input, inStart, inEnd)) return 0;
  if (base + inLen + 1 >= 0x7fffffff) {
    htab.fill(0);
    base = 0;
  }
  const b = base - inStart; // htab value for input position p is p + b
  base += inLen + 1;
  const floor = b + inStart; // entries <= floor are stale or refer to position inStart

  const outEnd = outStart + outMax;
  let ip = inStart;
  let op = outStart;
  let lit = 0;
  op++; // start run

  // hval is liblzf's `unsigned int`: the last four bytes seen (uint32 wrap-around).
  let hval = (input[ip]! << 8) | input[ip + 1]!;
  while (ip < inEnd - 2) {
    hval = (hval << 8) | input[ip + 2]!;
    const slot = idx(hval);
    const entry = htab[slot]!;
    htab[slot] = ip + b;
    const ref = entry - b;
    const off = ip - ref - 1;
    if (
      entry > floor &&
      off < MAX_OFF &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;

      if (op + 3 + 1 >= outEnd) if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return 0;

      out[op - lit - 1] = lit - 1; // stop run
      if (lit === 0) op--; // undo run if length is zero

      // liblzf's loop: sixteen unchecked-against-maxlen steps first when maxlen > 16.
      scan: {
        if (maxlen > 16) {
          for (let k = 0; k < 16; k++) {
            len++;
            if (input[ref + len] !== input[ip + len]) break scan;
          }
        }
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }

      len -= 2; // len is now #octets - 1
      ip++;

      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;

      lit = 0;
      op++; // start run

      ip += len + 1;
      if (ip >= inEnd - 2) break;

      // VERY_FAST: hash the two positions before ip as well.
      ip -= 2;
      hval = (input[ip]! << 8) | input[ip + 1]!;
      hval = (hval << 8) | input[ip + 2]!;
      htab[idx(hval)] = ip + b;
      ip++;
      hval = (hval << 8) | input[ip + 2]!;
      htab[idx(hval)] = ip + b;
      ip++;
    } else {
      if (op >= outEnd) return 0;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }

  if (op + 3 > outEnd) return 0; // at most 3 bytes can be missing here

  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }

  out[op - lit - 1] = lit - 1; // end run
  if (lit === 0) op--;
  return op - outStart;
}

/**
 * Compresses input; null when the result would not be smaller than `maxLen` + 1 bytes
 * (default: not smaller than the input), as lzf_compress returning 0.
 */
export function lzfCompress(input: Buffer, maxLen = input.length - 1): Buffer | null {
  if (maxLen <= 0) return null;
  const out = Buffer.allocUnsafe(maxLen);
  const n = lzfCompressInto(input, 0, input.length, out, 0, maxLen);
  return n === 0 ? null : out.subarray(0, n);
}

/**
 * Decompresses into out[outStart, outStart + outLen); throws unless the input decodes to
 * exactly outLen bytes (Redis rejects any other length as corruption).
 */
export function lzfDecompressInto(
  input: Uint8Array,
  inStart: number,
  inEnd: number,
  out: Uint8Array,
  outStart: number,
  outLen: number,
): void {
  let ip = inStart;
  let op = outStart;
  const outEnd = outStart + outLen;
  while (ip < inEnd) {
    let ctrl = input[ip++]!;
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > outEnd) throw new Error('LZF data decompresses to more bytes than expected');
      if (ip + ctrl > inEnd) throw new Error('LZF data is truncated (literal run past the end)');
      if (ctrl > 8) {
        out.set(input.subarray(ip, ip + ctrl), op);
        ip += ctrl;
        op += ctrl;
      } else {
        while (ctrl-- > 0) out[op++] = input[ip++]!;
      }
    } else {
      let len = ctrl >>> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= inEnd) throw new Error('LZF data is truncated (back reference past the end)');
      if (len === 7) {
        len += input[ip++]!;
        if (ip >= inEnd) throw new Error('LZF data is truncated (back reference past the end)');
      }
      ref -= input[ip++]!;
      len += 2;
      if (op + len > outEnd) throw new Error('LZF data decompresses to more bytes than expected');
      if (ref < outStart) throw new Error('LZF back reference points before the start of the output');
      if (len > 16 && op - ref === 1) {
        out.fill(out[ref]!, op, op + len); // run of one byte
        op += len;
      } else if (len > 32 && op - ref >= len) {
        out.copyWithin(op, ref, ref + len); // no overlap
        op += len;
      } else {
        while (len-- > 0) out[op++] = out[ref++]!;
      }
    }
  }
  if (op !== outEnd) {
    throw new Error(`LZF data decompresses to ${op - outStart} bytes, expected ${outLen}`);
  }
}

/** Decompresses input that must expand to exactly outLen bytes; throws on corrupt input. */
export function lzfDecompress(input: Buffer, outLen: number): Buffer {
  const out = Buffer.allocUnsafe(outLen);
  lzfDecompressInto(input, 0, input.length, out, 0, outLen);
  return out;
}
