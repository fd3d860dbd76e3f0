/**
 * The key hash of the keyspace's index: SipHash-1-2 under a random per-process key, as
 * Redis hashes its dict keys (siphash.c: "We use SipHash 1-2"), so that keys colliding in
 * the index cannot be chosen from outside (hash flooding). Over latin1 strings (one char
 * per byte) and over bytes with the same result, so a key is found whether it comes from
 * a command (a JS string) or from a file being loaded (bytes).
 */
import fs from 'node:fs';
import { sipHash } from './siphash.js';

const KEY = randomKey();
const out = new Uint32Array(2);
/** Strings are copied here first: one hash function for both kinds of key. */
let scratch = Buffer.allocUnsafe(256);

/**
 * 128 random bits from the kernel. Read from /dev/urandom rather than with node:crypto, which
 * took ~2 ms of the server's start-up to load (every recovery time measured includes it);
 * where there is no /dev/urandom, Web Crypto.
 */
function randomKey(): Uint32Array {
  const key = new Uint32Array(4);
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

/** hashBytes of the latin1 bytes of `s`. */
export function hashKey(s: string): number {
  const n = s.length;
  if (n <= 64) {
    for (let i = 0; i < n; i++) scratch[i] = s.charCodeAt(i);
  } else {
    if (scratch.length < n) scratch = Buffer.allocUnsafe(Math.max(n, 2 * scratch.length));
    scratch.latin1Write(s, 0, n);
  }
  sipHash(scratch, 0, n, KEY, 1, 2, out);
  return out[0]! | 0;
}

/** The low 32 bits of SipHash-1-2 of buf[off, off + len). */
export function hashBytes(buf: Uint8Array, off: number, len: number): number {
  sipHash(buf, off, len, KEY, 1, 2, out);
  return out[0]! | 0;
}
