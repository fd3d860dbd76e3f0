import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lzfCompress, lzfCompressInto, lzfDecompress, mayRepeat } from '../../../src/server/persistence/rdb/lzf.js';

/** Buffers made of repeated random pieces: what LZF finds back references in. */
const repetitive = fc
  .array(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 60 })), {
    minLength: 1,
    maxLength: 12,
  })
  .map((parts) => Buffer.concat(parts.flatMap(([p, n]) => Array.from({ length: n }, () => Buffer.from(p)))));

function roundTrips(input: Buffer): boolean {
  const c = lzfCompress(input);
  if (c === null) return true;
  return c.length < input.length && lzfDecompress(c, input.length).equals(input);
}

describe('lzf', () => {
  it('round-trips random buffers', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => roundTrips(Buffer.from(b))), { numRuns: 300 });
  });

  it('round-trips and shrinks repetitive buffers', () => {
    fc.assert(
      fc.property(repetitive, (b) => {
        expect(roundTrips(b)).toBe(true);
        if (b.length > 200) expect(lzfCompress(b)).not.toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('handles long runs, maximal back references and far offsets', () => {
    const cases = [
      Buffer.alloc(100_000, 0x78),
      Buffer.from('abc'.repeat(50_000)),
      Buffer.concat([Buffer.from(Array.from({ length: 9000 }, (_, i) => (i * 7919) & 0xff)), Buffer.from(Array.from({ length: 9000 }, (_, i) => (i * 7919) & 0xff))]),
    ];
    for (const c of cases) {
      const z = lzfCompress(c);
      expect(z).not.toBeNull();
      expect(lzfDecompress(z!, c.length).equals(c)).toBe(true);
    }
  });

  it('returns null when the output would not be smaller (like lzf_compress returning 0)', () => {
    expect(lzfCompress(Buffer.alloc(0))).toBeNull();
    expect(lzfCompress(Buffer.from('a'))).toBeNull();
    const random = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 151 + 13) & 0xff));
    expect(lzfCompress(random)).toBeNull();
    // A custom limit: Redis asks for at least 4 bytes of saving.
    const s = Buffer.from('aaaaaaaaaaaaaaaaaaaaaa');
    const z = lzfCompress(s, s.length - 4);
    expect(z).not.toBeNull();
    expect(lzfCompress(s, z!.length - 1)).toBeNull();
  });

  it('never writes past the output limit', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)), repetitive), fc.nat(400), (b, limit) => {
        const out = Buffer.alloc(limit + 16, 0xee);
        const n = lzfCompressInto(b, 0, b.length, out, 8, limit);
        expect(out.subarray(0, 8).every((x) => x === 0xee)).toBe(true);
        expect(out.subarray(8 + limit).every((x) => x === 0xee)).toBe(true);
        if (n > 0) {
          expect(n).toBeLessThanOrEqual(limit);
          expect(lzfDecompress(out.subarray(8, 8 + n), b.length).equals(b)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('produces what liblzf produces (bytes seen in a redis-server 7.0 dump)', () => {
    // SET k "aaa...ab123..." (80 bytes) saved by redis-server 7.0.15: this 23-byte LZF body.
    const s = Buffer.from('a'.repeat(60) + 'b1234567890123456789');
    const z = lzfCompress(s, s.length - 4)!;
    expect(z.toString('hex')).toBe('016161e031000a6231323334353637383930a009013839');
  });

  it('throws on corrupt input instead of returning garbage', () => {
    const good = lzfCompress(Buffer.from('hello hello hello hello hello'))!;
    expect(() => lzfDecompress(good, 29)).not.toThrow();
    expect(() => lzfDecompress(good, 28)).toThrow(/more bytes|expected/);
    expect(() => lzfDecompress(good, 30)).toThrow(/expected 30/);
    expect(() => lzfDecompress(good.subarray(0, good.length - 1), 29)).toThrow();
    expect(() => lzfDecompress(Buffer.from([0x20, 0x05]), 10)).toThrow(/before the start/);
    expect(() => lzfDecompress(Buffer.from([0x05, 0x41]), 6)).toThrow(/truncated/);
    expect(() => lzfDecompress(Buffer.from([0xe0]), 10)).toThrow(/truncated/);
  });

  it('never crashes on arbitrary input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(500), (b, n) => {
        try {
          const out = lzfDecompress(Buffer.from(b), n);
          expect(out.length).toBe(n);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('skips LZF only where it must fail: the repeat filter never misses a repeated 3-byte sequence', () => {
    const repeats = (b: Uint8Array, from: number, to: number): boolean => {
      const seen = new Set<number>();
      for (let p = from; p + 2 < to; p++) {
        const t = (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
        if (seen.has(t)) return true;
        seen.add(t);
      }
      return false;
    };
    // Short alphabets make repeats likely; long random values make hash collisions likely.
    const input = fc.oneof(
      fc.uint8Array({ minLength: 3, maxLength: 400 }),
      fc.array(fc.constantFrom(0x61, 0x62, 0x63, 0x64), { minLength: 3, maxLength: 60 }).map((a) => Uint8Array.from(a)),
      repetitive.map((b) => new Uint8Array(b)),
    );
    fc.assert(
      fc.property(input, fc.nat(20), (b, cut) => {
        const from = Math.min(cut, b.length - 3);
        if (repeats(b, from, b.length)) expect(mayRepeat(b, from, b.length)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    // And it earns its keep: most 100-byte random alphanumeric values skip LZF.
    let skipped = 0;
    for (let i = 0; i < 1000; i++) {
      const v = Buffer.from(Array.from({ length: 100 }, (_, k) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.charCodeAt((Math.imul(i * 131 + k, 0x9e3779b1) >>> 7) % 62)));
      if (!mayRepeat(v, 0, v.length)) skipped++;
    }
    expect(skipped).toBeGreaterThan(850);
  });

  it('skips only inputs that liblzf leaves as literals, which never fit the limits a save gives', () => {
    // With room for literals the filter stays out of the way, so this is liblzf's own pass.
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 21, maxLength: 300 }).map((b) => Buffer.from(b)), repetitive), (b) => {
        if (mayRepeat(b, 0, b.length)) return;
        const literals = b.length + Math.ceil(b.length / 32);
        const wide = Buffer.alloc(literals + 16);
        expect(lzfCompressInto(b, 0, b.length, wide, 0, wide.length)).toBe(literals);
        expect(lzfCompressInto(b, 0, b.length, Buffer.alloc(b.length), 0, b.length - 4)).toBe(0);
        expect(lzfCompressInto(b, 0, b.length, Buffer.alloc(b.length), 0, b.length)).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});
