/**
 * HalfSipHash (Aumasson's 32-bit-word SipHash, github.com/veorq/SipHash halfsiphash.c) with
 * its 32-bit output. SipHash's words are 64-bit, which JS can only emulate in 32-bit halves
 * with carries; HalfSipHash's are 32-bit, which V8 computes in single instructions.
 * halfSipHash(…, 1, 3) is the Linux kernel's hsiphash on 32-bit machines: a keyed hash for
 * hash tables, where what it must resist is keys chosen to collide.
 *
 * Over bytes, or over a latin1 string's chars (each taken as its low byte) with the same
 * result: a key from a command is hashed where it is, without a copy into bytes first (a
 * SET's hash 68 → 42 ns). The state lives in locals and the round inline, as in siphash.ts:
 * a round() helper or module variables made V8 box the words as heap numbers.
 */
export function halfSipHash(src: Uint8Array | string, off: number, len: number, k0: number, k1: number, c: number, d: number): number {
  const str = typeof src === 'string';
  let v0 = k0 | 0;
  let v1 = k1 | 0;
  let v2 = 0x6c796765 ^ k0;
  let v3 = 0x74656462 ^ k1;
  const full = off + len - (len & 3);
  let i = off;
  // Every 4-byte word (c rounds each), one last word with the remaining bytes and the length's
  // low byte (c rounds), then the finalization (d rounds): one loop, so the round is written once.
  for (let phase = 0; phase < 3; ) {
    let m = 0;
    let rounds = c;
    if (phase === 2) {
      v2 ^= 0xff;
      rounds = d;
    } else if (i < full) {
      m = str
        ? (src.charCodeAt(i) & 0xff) | ((src.charCodeAt(i + 1) & 0xff) << 8) | ((src.charCodeAt(i + 2) & 0xff) << 16) | (src.charCodeAt(i + 3) << 24)
        : src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24);
      i += 4;
    } else {
      phase = 1;
      m = (len & 0xff) << 24;
      for (let j = 0; j < (len & 3); j++) m |= (str ? src.charCodeAt(i + j) & 0xff : src[i + j]!) << (8 * j);
    }
    v3 ^= m;
    for (let r = 0; r < rounds; r++) {
      v0 = (v0 + v1) | 0;
      v1 = (v1 << 5) | (v1 >>> 27);
      v1 ^= v0;
      v0 = (v0 << 16) | (v0 >>> 16);
      v2 = (v2 + v3) | 0;
      v3 = (v3 << 8) | (v3 >>> 24);
      v3 ^= v2;
      v0 = (v0 + v3) | 0;
      v3 = (v3 << 7) | (v3 >>> 25);
      v3 ^= v0;
      v2 = (v2 + v1) | 0;
      v1 = (v1 << 13) | (v1 >>> 19);
      v1 ^= v2;
      v2 = (v2 << 16) | (v2 >>> 16);
    }
    v0 ^= m;
    if (phase > 0) phase++;
  }
  return v1 ^ v3;
}
