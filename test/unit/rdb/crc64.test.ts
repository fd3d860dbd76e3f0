import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Crc64, crc64 } from '../../../src/server/persistence/rdb/crc64.js';

/** Bit-by-bit reference: reflected Jones polynomial (0xad93d23594c935a9 reversed). */
function reference(buf: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n;
  let crc = 0n;
  for (const b of buf) {
    crc ^= BigInt(b);
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc;
}

describe('crc64 (Redis Jones)', () => {
  it('has the check value of "123456789"', () => {
    expect(crc64(Buffer.from('123456789'))).toBe(0xe9c6d914c4b8d9can);
  });

  it('is 0 for no input and matches the reference on short inputs', () => {
    expect(crc64(new Uint8Array(0))).toBe(0n);
    for (let n = 1; n < 40; n++) {
      const b = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff));
      expect(crc64(b)).toBe(reference(b));
    }
  });

  it('matches the bitwise reference on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => crc64(b) === reference(b)),
      { numRuns: 200 },
    );
  });

  it('gives the same digest however the input is split', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 6 }), (b, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
        const c = new Crc64();
        let prev = 0;
        for (const p of [...points, b.length]) {
          c.update(b.subarray(prev, p));
          prev = p;
        }
        return c.digest() === crc64(b);
      }),
    );
  });

  it('stores the digest little-endian, as at the end of an RDB file', () => {
    const c = new Crc64();
    c.update(Buffer.from('123456789'));
    expect(c.digestBytes().toString('hex')).toBe('cad9b8c414d9c6e9');
    expect(c.matches(c.digestBytes(), 0)).toBe(true);
  });

  it('is fast (slice-by-8): 32 MB well under a second', () => {
    const big = Buffer.alloc(32 << 20, 0xa5);
    const t = performance.now();
    crc64(big);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
