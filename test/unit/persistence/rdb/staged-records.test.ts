import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkPool } from '../../../../src/server/persistence/chunk-pool.js';
import { readRecords, RecordStager } from '../../../../src/server/persistence/rdb/staged-records.js';

type Rec = { raw: number[] } | { key: number[]; value: number[]; expireAt?: number };

/** Stages `recs` through batch buffers of `size` bytes and reads every batch back, in order. */
function roundTrip(recs: Rec[], size: number): { back: Rec[]; batches: Buffer[] } {
  const batches: Buffer[] = [];
  const s = new RecordStager(new ChunkPool(size, 4), (b) => batches.push(b));
  for (const r of recs) {
    if ('raw' in r) s.raw(Buffer.from([7, ...r.raw, 7]), 1, r.raw.length);
    else {
      const kv = Buffer.from([9, 9, ...r.key, ...r.value]);
      s.pair(kv, 2, r.key.length, r.value.length, r.expireAt);
    }
  }
  s.flush();
  const back: Rec[] = [];
  for (const b of batches)
    readRecords(b, {
      raw: (buf, off, n) => back.push({ raw: [...buf.subarray(off, off + n)] }),
      pair: (buf, off, klen, vlen, expireAt) => {
        const r: Rec = { key: [...buf.subarray(off, off + klen)], value: [...buf.subarray(off + klen, off + klen + vlen)] };
        if (expireAt !== undefined) r.expireAt = expireAt;
        back.push(r);
      },
    });
  return { back, batches };
}

const bytes = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 });
const record: fc.Arbitrary<Rec> = fc.oneof(
  fc.record({ raw: bytes }),
  fc.record({ key: bytes, value: bytes }),
  fc.record({ key: bytes, value: bytes, expireAt: fc.integer({ min: 0, max: 2 ** 50 }) }),
);

describe('RecordStager / readRecords', () => {
  it('gives back every record in order, whatever the batch size, records bigger than a batch included', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), fc.constantFrom(64, 256, 4096), (recs, size) => {
        expect(roundTrip(recs, size).back).toEqual(recs);
      }),
    );
  });

  it('hands over whole ArrayBuffers of its own (they are transferred to the thread), a record never split', () => {
    const recs: Rec[] = [{ raw: [1, 2, 3] }, { key: [1], value: new Array(500).fill(5) }, { key: [2], value: [3], expireAt: 1e12 }];
    const { back, batches } = roundTrip(recs, 64);
    expect(back).toEqual(recs);
    expect(batches.length).toBe(3); // the 500-byte pair alone in a buffer of its own
    for (const b of batches) expect(b.byteOffset).toBe(0);
    expect(batches[1]!.buffer.byteLength).toBe(1 + 8 + 1 + 500);
  });

  it('names a damaged batch instead of reading garbage', () => {
    expect(() => readRecords(Buffer.from([42, 0, 0]), { raw: () => {}, pair: () => {} })).toThrow(/unknown tag 42 at byte 0/);
  });
});
