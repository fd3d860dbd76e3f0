import { describe, expect, it } from 'vitest';
import { loadStream, writeStream } from '../../../../src/server/persistence/rdb/stream-rdb.js';
import { RdbReader } from '../../../../src/server/persistence/rdb/reader.js';
import { RdbWriter } from '../../../../src/server/persistence/rdb/writer.js';
import { RDB_TYPE_STREAM_LISTPACKS_2 } from '../../../../src/server/persistence/rdb/constants.js';
import { formatId, makeId, MAX_ID, parseId, parseU64 } from '../../../../src/server/stream/stream-id.js';
import { Stream, STREAM_LIMITS } from '../../../../src/server/stream/stream.js';

/** A seeded PRNG (mulberry32), so a failure replays. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ModelEntry {
  id: bigint;
  fv: string[];
}

function entries(s: Stream, rev = false, start = 0n, end = MAX_ID): ModelEntry[] {
  const out: ModelEntry[] = [];
  s.range(start, end, rev, (slot) => (out.push({ id: s.slotId(slot), fv: s.fields(slot) }), true));
  return out;
}

function roundTrip(s: Stream): Stream {
  const chunks: Buffer[] = [];
  const w = new RdbWriter((c) => chunks.push(c));
  writeStream(w, s);
  w.flush();
  return loadStream(new RdbReader(Buffer.concat(chunks)), RDB_TYPE_STREAM_LISTPACKS_2, 'k');
}

describe('stream IDs', () => {
  it('parses as Redis does: strict, "ms", "ms-*", full uint64, strtoull leniency', () => {
    expect(parseId('5', 7n, false)!.id).toBe(makeId(5n, 7n));
    expect(parseId('-', 0n, true)).toBeNull();
    expect(parseId('+', 0n, false)!.id).toBe(MAX_ID);
    expect(parseId('5-*', 0n, true, true)).toEqual({ id: makeId(5n, 0n), seqGiven: false });
    expect(parseId('5-*', 0n, true)).toBeNull();
    expect(parseId('18446744073709551615-18446744073709551615', 0n, true)!.id).toBe(MAX_ID);
    expect(parseId('18446744073709551616-0', 0n, true)).toBeNull();
    expect(parseId('1-2-3', 0n, true)).toBeNull();
    expect(parseU64(' 12')).toBe(12n);
    expect(parseU64('+12')).toBe(12n);
    expect(parseU64('007')).toBe(7n);
    expect(parseU64('-5')).toBeNull();
    expect(parseU64('')).toBeNull();
    expect(formatId(makeId(1n, 2n))).toBe('1-2');
    expect(MAX_ID + 1n).toBe(1n << 128n); // the carry streamIncrID refuses
  });
});

describe('Stream', () => {
  it('matches an array model through appends, deletes, exact and approximate trims, compaction and RDB round trips', () => {
    for (const seed of [1, 2, 3]) {
      const r = rng(seed);
      const s = new Stream();
      let model: ModelEntry[] = [];
      let ms = 1n;
      const fieldSets = [['a'], ['a', 'b'], ['x', 'y', 'z'], ['12', '-7']];
      for (let step = 0; step < 6000; step++) {
        const op = r();
        if (op < 0.7) {
          ms += BigInt(Math.floor(r() * 3));
          const id = s.lastId >= makeId(ms, 0n) ? s.lastId + 1n : makeId(ms, BigInt(Math.floor(r() * 5)));
          const names = fieldSets[Math.floor(r() * fieldSets.length)]!;
          const fv = names.flatMap((n) => [n, 'v'.repeat(Math.floor(r() * (r() < 0.05 ? 2000 : 20)))]);
          s.append(id, ['XADD', 'k', 'id', ...fv], 3);
          model.push({ id, fv });
        } else if (op < 0.9 && model.length > 0) {
          const e = model[Math.floor(r() * model.length)]!;
          expect(s.delete(e.id)).toBe(true);
          expect(s.delete(e.id)).toBe(false);
          model = model.filter((m) => m !== e);
        } else if (op < 0.95) {
          const maxlen = Math.floor(r() * model.length);
          const removed = s.trim({ strategy: 'maxlen', maxlen, minid: 0n, approx: r() < 0.5, limit: 0 });
          model = model.slice(removed);
          expect(s.length).toBe(model.length);
        } else if (model.length > 0) {
          const minid = model[Math.floor(r() * model.length)]!.id;
          const removed = s.trim({ strategy: 'minid', maxlen: 0, minid, approx: r() < 0.5, limit: 0 });
          model = model.slice(removed);
        }
        expect(s.length).toBe(model.length);
        if (step % 500 === 0 || step === 5999) {
          expect(entries(s)).toEqual(model);
          expect(entries(s, true)).toEqual([...model].reverse());
          if (model.length > 2) {
            const a = model[1]!.id;
            const b = model[model.length - 2]!.id;
            expect(entries(s, false, a, b)).toEqual(model.slice(1, -1));
          }
          const back = roundTrip(s);
          expect(entries(back)).toEqual(model);
          expect(back.nodeCount).toBe(s.nodeCount);
          expect(entries(s.clone())).toEqual(model);
        }
      }
    }
  });

  it('splits nodes at stream-node-max-entries and -bytes as redis-server does', () => {
    const s = new Stream();
    for (let i = 1; i <= 250; i++) s.append(makeId(BigInt(i), 0n), ['f', String(i)], 0);
    expect(s.nodeCount).toBe(3); // 100 + 100 + 50
    const w = new Stream();
    for (let i = 1; i <= 10; i++) w.append(makeId(BigInt(i), 0n), ['f', 'x'.repeat(1500)], 0);
    expect(w.nodeCount).toBe(5); // two 1.5 KB values fit under 4096 bytes, a third does not (as redis-server)
    const saved = STREAM_LIMITS.nodeMaxEntries;
    STREAM_LIMITS.nodeMaxEntries = 10;
    try {
      const t = new Stream();
      for (let i = 1; i <= 25; i++) t.append(makeId(BigInt(i), 0n), ['f', 'v'], 0);
      expect(t.nodeCount).toBe(3);
    } finally {
      STREAM_LIMITS.nodeMaxEntries = saved;
    }
  });

  it('keeps a million entries in a handful of heap objects, far below a JS-object layout', () => {
    const s = new Stream();
    const argv = ['temperature', '21.5', 'sensor', 'kitchen'];
    for (let i = 1; i <= 1_000_000; i++) s.append(makeId(BigInt(1_700_000_000_000 + i), 0n), argv, 0);
    expect(s.length).toBe(1_000_000);
    // IDs 16 B, offset 4 B, flags 1 B, values ~13 B per entry (the field names once per node).
    expect(s.bytes() / s.length).toBeLessThan(80);
  });
});
