/**
 * The key hash of the keyspace's index: a keyed hash under a random per-process key, as
 * Redis hashes its dict keys with SipHash-1-2 (siphash.c), so that keys colliding in the
 * index cannot be chosen from outside (hash flooding). Here HalfSipHash-1-3, the Linux
 * kernel's hsiphash for hash tables on 32-bit machines: the index keeps 32 bits of the hash
 * either way, and SipHash's 64-bit words cost JS two 32-bit halves and a carry per addition
 * (see `durabench micro --filter key-hash`). Over latin1 strings (one char per byte) and
 * over bytes with the same result, so a key is found whether it comes from a command (a JS
 * string) or from a file being loaded (bytes).
 */
import fs from 'node:fs';
import { halfSipHash } from './half-siphash.js';

const KEY = randomKey();
const K0 = KEY[0]! | 0;
const K1 = KEY[1]! | 0;

/**
 * 64 random bits from the kernel (HalfSipHash's key). Read from /dev/urandom rather than
 * with node:crypto, which took ~2 ms of the server's start-up to load (every recovery time
 * measured includes it); where there is no /dev/urandom, Web Crypto.
 */
function randomKey(): Uint32Array {
  const key = new Uint32Array(2);
  try {
    const fd = fs.openSync('/dev/urandom', 'r');
    try {
      if (fs.readSync(fd, key) === key.byteLength) return key;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // not a Unix: below
  }
  return globalThis.crypto.getRandomValues(key);
}

/** hashBytes of the latin1 bytes of `s` (hashed from the string: no copy). */
export function hashKey(s: string): number {
  return halfSipHash(s, 0, s.length, K0, K1, 1, 3);
}

/** HalfSipHash-1-3 of buf[off, off + len). */
export function hashBytes(buf: Uint8Array, off: number, len: number): number {
  return halfSipHash(buf, off, len, K0, K1, 1, 3);
}
