import { describe, expect, it } from 'vitest';
import { ChunkPool } from '../../../src/server/persistence/chunk-pool.js';

describe('ChunkPool', () => {
  it('hands back the memory of written batches, whole or as a view from their start', () => {
    const pool = new ChunkPool(1024, 4);
    const a = pool.take();
    const b = pool.take();
    expect(a.buffer).not.toBe(b.buffer);
    pool.give(a.subarray(0, 100)); // a batch emitted part-full
    pool.give(b);
    const again = [pool.take(), pool.take()].map((x) => x.buffer);
    expect(again).toContain(a.buffer);
    expect(again).toContain(b.buffer);
    expect(pool.take().length).toBe(1024);
  });

  it('keeps only its own size of buffer, from its start, and at most `keep` of them', () => {
    const pool = new ChunkPool(1024, 1);
    const mine = pool.take();
    pool.give(mine.subarray(10)); // not from the start: another chunk may still use the front
    pool.give(Buffer.alloc(2048)); // a big record's own buffer
    expect(pool.take().buffer).not.toBe(mine.buffer);
    const x = pool.take();
    const y = pool.take();
    pool.give(x);
    pool.give(y); // over `keep`: dropped
    expect(pool.take().buffer).toBe(x.buffer);
    expect(pool.take().buffer).not.toBe(y.buffer);
  });

  it('keeps its first `keep` free buffers and gives up the rest', () => {
    const pool = new ChunkPool(1024, 8);
    const bufs = [pool.take(), pool.take(), pool.take(), pool.take()];
    for (const b of bufs) pool.give(b);
    expect(pool.surplus(4)).toEqual([]);
    const out = pool.surplus(1);
    expect(out.map((b) => b.buffer)).toEqual(bufs.slice(1).map((b) => b.buffer));
    expect(pool.take().buffer).toBe(bufs[0]!.buffer);
    expect(pool.take().buffer).not.toBe(bufs[0]!.buffer); // empty now: a new one
  });
});
