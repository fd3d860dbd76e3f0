import { hashKey } from '../server/store/key-hash.js';
import { sipHash } from '../server/store/siphash.js';
import { sink, type MicroSuite } from './types.js';

/**
 * The keyspace's key hash, HalfSipHash-1-3 under a per-process key, against Redis's
 * SipHash-1-2 (which it replaced: 64-bit words in 32-bit halves) and the seeded FNV-1a
 * before that (no key: what hash-flooding resistance costs per lookup). One hash per
 * command that names a key; a SET or GET costs the server 4–25 µs of CPU on the 2-core
 * VM, so compare the ns below with that. Each hashes the key's latin1 bytes, as hashKey does.
 */
const FNV_SEED = 0x2545f491;
const SIP_KEY = new Uint32Array([0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c]);
const sipOut = new Uint32Array(2);
const scratch = Buffer.alloc(256);

/** Redis's key hash (SipHash-1-2), over the key's latin1 bytes. */
function sipHash12(s: string): number {
  for (let i = 0; i < s.length; i++) scratch[i] = s.charCodeAt(i);
  sipHash(scratch, 0, s.length, SIP_KEY, 1, 2, sipOut);
  return sipOut[0]! | 0;
}

/** 32-bit FNV-1a over the latin1 chars of s, seeded (the old key hash). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5 ^ FNV_SEED;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

export const keyHashSuite: MicroSuite = {
  name: 'key-hash',
  description: 'key hash: HalfSipHash-1-3 (used) vs SipHash-1-2 (Redis) vs seeded FNV-1a, 16- and 40-byte keys',
  register(bench) {
    const short = Array.from({ length: 1024 }, (_, i) => `key:${String(i * 7919).padStart(12, '0')}`);
    const long = short.map((k) => `user:session:${k}:profile:2026`);
    // 1024 hashes a task: one hash is near the timer's own cost
    const all = (f: (k: string) => number, keys: string[]) => () => {
      let h = 0;
      for (let i = 0; i < keys.length; i++) h ^= f(keys[i]!);
      sink.n += h;
    };
    bench
      .add('key-hash/halfsiphash-1-3 16 B ×1024', all(hashKey, short), { async: false })
      .add('key-hash/siphash-1-2 16 B ×1024', all(sipHash12, short), { async: false })
      .add('key-hash/fnv-1a 16 B ×1024', all(fnv1a, short), { async: false })
      .add('key-hash/halfsiphash-1-3 40 B ×1024', all(hashKey, long), { async: false })
      .add('key-hash/siphash-1-2 40 B ×1024', all(sipHash12, long), { async: false })
      .add('key-hash/fnv-1a 40 B ×1024', all(fnv1a, long), { async: false });
  },
};
