import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Keyspace, List, ZSet, type Value } from '../../../src/server/keyspace.js';
import { loadRdb, type RdbSource } from '../../../src/server/persistence/rdb/decoder.js';
import { encodeKeyspace } from '../../../src/server/persistence/rdb/index.js';
import type { LoadRdbOptions } from '../../../src/server/persistence/rdb/load-types.js';

// A file is read through a window (RdbLoader with an RdbSource): records cut by the window's
// edge are read again once it has moved, records larger than it make it grow. Whatever the
// window, the load must be the one of the whole file in memory: the same keys, the same
// stats, the same error at the same byte.

/** The file as a source, reading at most `piece` bytes per call (short reads, as a pipe gives). */
function sourceOf(buf: Buffer, piece = Infinity): RdbSource {
  return { size: buf.length, read: (into, off, len, pos) => buf.copy(into, off, pos, pos + Math.min(len, piece, buf.length - pos)) };
}

/** Everything a load reports: entries (byte records as strings) in order, then its stats, or its error. */
function outcome(input: Buffer | RdbSource, opts: LoadRdbOptions = {}, bytes = false): unknown {
  const seen: unknown[] = [];
  try {
    const stats = loadRdb(input, (k, v, at) => seen.push([k, v, at]), {
      ...opts,
      onStringBytes: bytes ? (kb, ko, kl, vb, vo, vl, at) => seen.push([kb.latin1Slice(ko, ko + kl), vb.latin1Slice(vo, vo + vl), at]) : undefined,
    });
    return { seen, stats };
  } catch (e) {
    return { seen: seen.length, error: (e as Error).message };
  }
}

const str = fc.oneof(
  fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.integer().map(String),
  fc.constantFrom('', 'x'.repeat(300), 'ab'.repeat(200)),
);
const value: fc.Arbitrary<Value> = fc.oneof(
  str,
  fc.array(str, { minLength: 1, maxLength: 12 }).map((a) => new List(a)),
  fc.uniqueArray(str, { minLength: 1, maxLength: 12 }).map((a) => new Set(a)),
  fc.array(fc.tuple(str, str), { minLength: 1, maxLength: 12 }).map((a) => new Map(a)),
  fc.array(fc.tuple(str, fc.double({ noNaN: true })), { minLength: 1, maxLength: 12 }).map((a) => {
    const z = new ZSet();
    for (const [m, s] of a) z.add(m, s);
    return z;
  }),
);
const file = fc
  .array(fc.tuple(str, value, fc.option(fc.integer({ min: 0, max: 2 ** 45 }), { nil: undefined })), { maxLength: 25 })
  .chain((entries) => fc.boolean().map((compress) => ({ entries, compress })))
  .map(({ entries, compress }) => {
    const ks = new Keyspace();
    for (const [k, v, at] of entries) ks.load(k, v, at);
    return encodeKeyspace(ks, { 'redis-ver': '7.0.15', note: 'y'.repeat(40) }, { compress });
  });

describe('the windowed RDB loader', () => {
  it('loads what the whole file loads, with any window and short reads', () => {
    fc.assert(
      fc.property(file, fc.integer({ min: 9, max: 200 }), fc.integer({ min: 1, max: 64 }), fc.boolean(), (buf, windowBytes, piece, bytes) => {
        expect(outcome(sourceOf(buf, piece), { windowBytes }, bytes)).toEqual(outcome(buf, {}, bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('fails as the whole file fails, at the same byte: truncated at any byte, or a byte flipped', () => {
    fc.assert(
      fc.property(file, fc.integer({ min: 9, max: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (buf, windowBytes, at, mask) => {
        const cut = buf.subarray(0, at % (buf.length + 1));
        expect(outcome(sourceOf(cut), { windowBytes })).toEqual(outcome(cut));
        const bad = Buffer.from(buf);
        bad[at % buf.length]! ^= mask;
        expect(outcome(sourceOf(bad), { windowBytes })).toEqual(outcome(bad));
      }),
      { numRuns: 300 },
    );
  });

  it('grows the window for a record larger than it', () => {
    const ks = new Keyspace();
    ks.load('big', Buffer.alloc(100_000, 7).toString('latin1'));
    ks.load('after', 'small');
    const buf = encodeKeyspace(ks, undefined, { compress: false });
    const got = outcome(sourceOf(buf), { windowBytes: 16 }) as { stats: { keys: number; checksumVerified: boolean } };
    expect(got).toEqual(outcome(buf));
    expect(got.stats).toMatchObject({ keys: 2, checksumVerified: true });
  });
});
