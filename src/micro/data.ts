import { Keyspace } from '../server/keyspace.js';

/** A small deterministic PRNG (mulberry32) so every run benchmarks the same bytes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A latin1 value of `size` printable bytes. */
export function value(rand: () => number, size: number): string {
  let s = '';
  for (let i = 0; i < size; i++) s += String.fromCharCode(33 + Math.floor(rand() * 94));
  return s;
}

/** Text-like bytes that LZF can compress (words from a small vocabulary). */
export function compressibleText(rand: () => number, size: number): Buffer {
  const words = ['redis', 'append', 'only', 'file', 'fsync', 'snapshot', 'key', 'value', 'durable', 'lost'];
  let s = '';
  while (s.length < size) s += words[Math.floor(rand() * words.length)]! + ' ';
  return Buffer.from(s.slice(0, size), 'latin1');
}

/** `n` keys "key:<i>" with `valueSize`-byte random values, as the workloads write them. */
export function keyspaceOf(n: number, valueSize: number, seed = 1): Keyspace {
  const rand = prng(seed);
  const ks = new Keyspace();
  for (let i = 0; i < n; i++) ks.load(`key:${i}`, value(rand, valueSize));
  return ks;
}
