/**
 * SipHash over bytes, in 32-bit halves (JS has no fast 64-bit integers), as Redis hashes
 * its dict keys (siphash.c) so that colliding keys cannot be chosen without the per-process
 * key. sipHash(…, 1, 2) is Redis's SipHash-1-2, sipHash(…, 2, 4) the original SipHash-2-4.
 * The keyspace hashes with HalfSipHash now (key-hash.ts); this stays as the yardstick
 * `durabench micro --filter key-hash` measures that choice against.
 *
 * One function, its state in locals kept as int32 (the carry test compares them unsigned),
 * the round written out twice: module variables or a round() helper made V8 box the
 * halves as heap numbers, 40× slower.
 */
export function sipHash(buf: Uint8Array, off: number, len: number, k: Uint32Array, c: number, d: number, out: Uint32Array): void {
  const k0l = k[0]! | 0;
  const k0h = k[1]! | 0;
  const k1l = k[2]! | 0;
  const k1h = k[3]! | 0;
  // "somepseudorandomlygeneratedbytes"
  let v0h = 0x736f6d65 ^ k0h;
  let v0l = 0x70736575 ^ k0l;
  let v1h = 0x646f7261 ^ k1h;
  let v1l = 0x6e646f6d ^ k1l;
  let v2h = 0x6c796765 ^ k0h;
  let v2l = 0x6e657261 ^ k0l;
  let v3h = 0x74656462 ^ k1h;
  let v3l = 0x79746573 ^ k1l;
  let lo = 0;
  let t = 0;
  const full = off + len - (len & 7);
  let i = off;
  // Every 8-byte block, then one last block: the remaining bytes and the length's low byte.
  for (let last = false; !last; ) {
    let ml: number;
    let mh: number;
    if (i < full) {
      ml = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
      mh = buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24);
      i += 8;
    } else {
      last = true;
      ml = 0;
      mh = (len & 0xff) << 24;
      const rest = len & 7;
      for (let j = 0; j < rest; j++) {
        if (j < 4) ml |= buf[i + j]! << (8 * j);
        else mh |= buf[i + j]! << (8 * (j - 4));
      }
    }
    v3h ^= mh;
    v3l ^= ml;
    for (let r = 0; r < c; r++) {
      lo = (v0l + v1l) | 0;
      v0h = (v0h + v1h + ((lo >>> 0) < (v0l >>> 0) ? 1 : 0)) | 0;
      v0l = lo;
      t = v1h;
      v1h = (v1h << 13) | (v1l >>> 19);
      v1l = (v1l << 13) | (t >>> 19);
      v1h ^= v0h;
      v1l ^= v0l;
      t = v0h;
      v0h = v0l;
      v0l = t;
      lo = (v2l + v3l) | 0;
      v2h = (v2h + v3h + ((lo >>> 0) < (v2l >>> 0) ? 1 : 0)) | 0;
      v2l = lo;
      t = v3h;
      v3h = (v3h << 16) | (v3l >>> 16);
      v3l = (v3l << 16) | (t >>> 16);
      v3h ^= v2h;
      v3l ^= v2l;
      lo = (v0l + v3l) | 0;
      v0h = (v0h + v3h + ((lo >>> 0) < (v0l >>> 0) ? 1 : 0)) | 0;
      v0l = lo;
      t = v3h;
      v3h = (v3h << 21) | (v3l >>> 11);
      v3l = (v3l << 21) | (t >>> 11);
      v3h ^= v0h;
      v3l ^= v0l;
      lo = (v2l + v1l) | 0;
      v2h = (v2h + v1h + ((lo >>> 0) < (v2l >>> 0) ? 1 : 0)) | 0;
      v2l = lo;
      t = v1h;
      v1h = (v1h << 17) | (v1l >>> 15);
      v1l = (v1l << 17) | (t >>> 15);
      v1h ^= v2h;
      v1l ^= v2l;
      t = v2h;
      v2h = v2l;
      v2l = t;
    }
    v0h ^= mh;
    v0l ^= ml;
  }
  v2l ^= 0xff;
  for (let r = 0; r < d; r++) {
    lo = (v0l + v1l) | 0;
    v0h = (v0h + v1h + ((lo >>> 0) < (v0l >>> 0) ? 1 : 0)) | 0;
    v0l = lo;
    t = v1h;
    v1h = (v1h << 13) | (v1l >>> 19);
    v1l = (v1l << 13) | (t >>> 19);
    v1h ^= v0h;
    v1l ^= v0l;
    t = v0h;
    v0h = v0l;
    v0l = t;
    lo = (v2l + v3l) | 0;
    v2h = (v2h + v3h + ((lo >>> 0) < (v2l >>> 0) ? 1 : 0)) | 0;
    v2l = lo;
    t = v3h;
    v3h = (v3h << 16) | (v3l >>> 16);
    v3l = (v3l << 16) | (t >>> 16);
    v3h ^= v2h;
    v3l ^= v2l;
    lo = (v0l + v3l) | 0;
    v0h = (v0h + v3h + ((lo >>> 0) < (v0l >>> 0) ? 1 : 0)) | 0;
    v0l = lo;
    t = v3h;
    v3h = (v3h << 21) | (v3l >>> 11);
    v3l = (v3l << 21) | (t >>> 11);
    v3h ^= v0h;
    v3l ^= v0l;
    lo = (v2l + v1l) | 0;
    v2h = (v2h + v1h + ((lo >>> 0) < (v2l >>> 0) ? 1 : 0)) | 0;
    v2l = lo;
    t = v1h;
    v1h = (v1h << 17) | (v1l >>> 15);
    v1l = (v1l << 17) | (t >>> 15);
    v1h ^= v2h;
    v1l ^= v2l;
    t = v2h;
    v2h = v2l;
    v2l = t;
  }
  out[0] = v0l ^ v1l ^ v2l ^ v3l;
  out[1] = v0h ^ v1h ^ v2h ^ v3h;
}
