import { Keyspace, List, ZSet } from '../server/keyspace.js';
import { Rng } from '../shared/prng.js';

/** A deterministic float source (the harness's seeded PRNG) so every run benchmarks the same bytes. */
export function prng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
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

/**
 * `n` each of small hashes, integer sets, sorted sets and lists (10 elements, some integers,
 * some fractional scores): the compact encodings an RDB save writes as listpacks and intsets.
 */
export function collectionsOf(n: number, seed = 1): Keyspace {
  const rand = prng(seed);
  const ks = new Keyspace();
  for (let i = 0; i < n; i++) {
    const h = new Map<string, string>();
    const s = new Set<string>();
    const z = new ZSet();
    const items: string[] = [];
    for (let j = 0; j < 10; j++) {
      h.set(`field:${j}`, j % 3 === 0 ? String(Math.floor(rand() * 1e6)) : value(rand, 12));
      s.add(String(Math.floor(rand() * 1e6) - 500_000));
      z.add(value(rand, 8), j % 2 === 0 ? j : rand());
      items.push(value(rand, 10));
    }
    ks.load(`hash:${i}`, h);
    ks.load(`set:${i}`, s);
    ks.load(`zset:${i}`, z);
    ks.load(`list:${i}`, new List(items));
  }
  return ks;
}
