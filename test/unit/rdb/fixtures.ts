/** Shared test data for the RDB tests: a keyspace exercising every type and encoding. */
import { Keyspace, List, ZSet, type Value } from '../../../src/server/keyspace.js';
import { Rng } from '../../../src/shared/prng.js';

/** Deterministic float source (the project's seeded PRNG). */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** n random bytes as a latin1 string. */
export function randomBytes(n: number, rand: () => number): string {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (rand() * 256) | 0;
  return b.toString('latin1');
}

/** Every byte value once, as a latin1 string. */
export const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1');

/** Strings at the edges of the integer encodings (and near misses that must stay strings). */
export const INTEGER_EDGE_STRINGS = [
  '0', '1', '-1', '127', '128', '-128', '-129', '255', '256', '32767', '32768', '-32768', '-32769',
  '65535', '2147483647', '2147483648', '-2147483648', '-2147483649', '4294967295', '12345678901',
  '-1234567890', '9223372036854775807', '-9223372036854775808', '18446744073709551616',
  '007', '-0', '+1', ' 1', '1 ', '1.5', '1e3', '0x10', '-', '', '00',
];

export type Plain =
  | string
  | { list: string[] }
  | { hash: [string, string][] }
  | { set: string[] }
  | { zset: [string, number][] };

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A value in a form toEqual can compare (collections sorted where order is not data). */
export function plain(v: Value): Plain {
  if (typeof v === 'string') return v;
  if (v instanceof List) return { list: [...v.items] };
  if (v instanceof Map) return { hash: [...v.entries()].sort((a, b) => cmp(a[0], b[0])) };
  if (v instanceof Set) return { set: [...v].sort(cmp) };
  return { zset: [...v.scores.entries()].sort((a, b) => cmp(a[0], b[0])) };
}

export type PlainEntry = [key: string, value: Plain, expireAt: number | undefined];

/** key → (value, expireAt), sorted by key. */
export function plainEntries(entries: Iterable<[string, Value, number | undefined]>): PlainEntry[] {
  return [...entries].map(([k, v, e]): PlainEntry => [k, plain(v), e]).sort((a, b) => cmp(a[0], b[0]));
}

export function keyspaceEntries(ks: Keyspace): PlainEntry[] {
  return plainEntries([...ks.data].map(([k, v]): [string, Value, number | undefined] => [k, v, ks.getExpire(k)]));
}

export interface SampleOptions {
  /** Include values larger than an encoder chunk (1 MB). */
  large?: boolean;
  /** Include a key whose TTL has already passed. */
  expired?: boolean;
}

/** A keyspace with every type, TTLs, binary data, integer-like strings and long strings. */
export function sampleKeyspace(now = Date.now(), options: SampleOptions = {}): Keyspace {
  const rand = rng(7);
  const ks = new Keyspace();
  ks.load('greeting', 'hello world');
  ks.load('empty', '');
  INTEGER_EDGE_STRINGS.forEach((s, i) => ks.load(`int:${i}`, s));
  INTEGER_EDGE_STRINGS.forEach((s) => {
    if (s !== '') ks.load(s, `key is ${JSON.stringify(s)}`); // integer-encoded keys
  });
  ks.load(`bin:${ALL_BYTES}`, ALL_BYTES);
  ks.load('\x00', '\xff');
  for (const n of [20, 21, 63, 64, 100, 16383, 16384, 70000]) {
    ks.load(`random:${n}`, randomBytes(n, rand));
    ks.load(`repeat:${n}`, 'abcd'.repeat(Math.ceil(n / 4)).slice(0, n));
  }
  ks.load('compressible', 'The quick brown fox jumps over the lazy dog. '.repeat(50));
  ks.load('list', new List(['a', '', '1', '-5', ALL_BYTES, 'x'.repeat(1000)]));
  ks.load('list:long', new List(Array.from({ length: 2000 }, (_, i) => `item-${i}`)));
  ks.load('list:ints', new List(Array.from({ length: 300 }, (_, i) => String(i * 1000 - 150000))));
  ks.load('hash', new Map([['field', 'value'], ['', 'empty field'], ['n', '42'], ['bin', ALL_BYTES]]));
  ks.load('hash:big', new Map(Array.from({ length: 500 }, (_, i): [string, string] => [`f${i}`, `v${i}`.repeat(i % 7)])));
  ks.load('set', new Set(['a', 'b', 'c', '']));
  ks.load('set:ints', new Set(['1', '2', '3', '-4', '2147483648']));
  ks.load('set:big', new Set(Array.from({ length: 700 }, (_, i) => `m${i}`)));
  const z = new ZSet();
  z.add('one', 1);
  z.add('half', 0.5);
  z.add('neg', -2.25);
  z.add('inf', Infinity);
  z.add('ninf', -Infinity);
  z.add('tiny', 5e-324);
  z.add('big', 1.7976931348623157e308);
  z.add('pi', Math.PI);
  z.add(ALL_BYTES, 3);
  ks.load('zset', z);
  const zb = new ZSet();
  for (let i = 0; i < 400; i++) zb.add(`member-${i}`, (i % 17) / 3);
  ks.load('zset:big', zb);
  ks.load('ttl:string', 'expires later', now + 3_600_000);
  ks.load('ttl:list', new List(['x']), now + 7_200_000);
  ks.load('ttl:far', 'far future', 4102444800000);
  if (options.expired) ks.load('ttl:past', 'already gone', now - 1000);
  if (options.large) {
    ks.load('large:random', randomBytes(1_200_000, rand));
    ks.load('large:repeat', 'large value '.repeat(150_000));
  }
  return ks;
}
