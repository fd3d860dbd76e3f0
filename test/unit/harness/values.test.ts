import { describe, expect, it } from 'vitest';
import { decodeInteger, MALFORMED, ValueCodec } from '../../../src/harness/workload/values.js';

describe('ValueCodec', () => {
  it('round-trips op numbers at the requested size', () => {
    const c = new ValueCodec(1, 100);
    for (const op of [0, 1, 9, 10, 12345, 9_999_999]) {
      const v = c.encode(op);
      expect(v.length).toBe(100);
      expect(c.length(op)).toBe(100);
      expect(c.decode(v)).toBe(op);
    }
  });

  it('values longer than the size when the op number does not fit', () => {
    const c = new ValueCodec(1, 3);
    expect(c.encode(12345).toString()).toBe('12345:');
    expect(c.decode(Buffer.from('12345:'))).toBe(12345);
    // op numbers past Int32 are nobody's (they would wrap to a real op in the typed arrays)
    expect(new ValueCodec(1, 4).decode(Buffer.from('4294967296:'))).toBe(MALFORMED);
  });

  it('tells a torn or foreign value apart', () => {
    const c = new ValueCodec(1, 50);
    const v = c.encode(77);
    const flipped = Buffer.from(v);
    flipped[30] = flipped[30] === 65 ? 66 : 65;
    expect(c.decode(flipped)).toBe(MALFORMED);
    expect(c.decode(v.subarray(0, 49))).toBe(MALFORMED);
    expect(c.decode(Buffer.concat([v, Buffer.from('x')]))).toBe(MALFORMED);
    expect(c.decode(new ValueCodec(2, 50).encode(77))).toBe(MALFORMED); // another seed's filler
    expect(c.decode(Buffer.from('hello'))).toBe(MALFORMED);
    expect(c.decode(Buffer.from(''))).toBe(MALFORMED);
    expect(c.decode(Buffer.from('077:' + v.subarray(3).toString()))).toBe(MALFORMED);
  });

  it('decodeInteger', () => {
    expect(decodeInteger(Buffer.from('123'))).toBe(123);
    expect(decodeInteger('0')).toBe(0);
    expect(decodeInteger('-1')).toBe(MALFORMED);
    expect(decodeInteger('01')).toBe(MALFORMED);
    expect(decodeInteger('1x')).toBe(MALFORMED);
  });
});
