/**
 * The key hash of the keyspace's index, over latin1 strings (one char per byte) and over
 * bytes with the same result, so a key is found whether it comes from a command (a JS
 * string) or from a file being loaded (bytes).
 */

/** A per-process seed, so that colliding keys are hard to choose in advance (hash flooding). */
const SEED = (Math.random() * 0x100000000) | 0;

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** FNV-1a over the key's char codes (latin1: one per byte) with a murmur3 finaliser. */
export function hashKey(s: string): number {
  let h = 0x811c9dc5 ^ SEED;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return finish(h);
}

/** hashKey of the latin1 string buf[off, off + len) without making it. */
export function hashBytes(buf: Uint8Array, off: number, len: number): number {
  let h = 0x811c9dc5 ^ SEED;
  for (let i = off; i < off + len; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return finish(h);
}
