import { describe, expect, it } from 'vitest';
import { fmtBytes, fmtDuration, fmtNum, fmtWithUnit, visibleWidth } from '../../../src/report/format.js';
import { paint, shouldColor } from '../../../src/report/color.js';

describe('format', () => {
  it('numbers: three significant digits with SI suffixes', () => {
    expect(fmtNum(0)).toBe('0');
    expect(fmtNum(7)).toBe('7');
    expect(fmtNum(41.23)).toBe('41.2');
    expect(fmtNum(0.0523)).toBe('0.0523');
    expect(fmtNum(1234)).toBe('1.23k');
    expect(fmtNum(1200)).toBe('1.2k');
    expect(fmtNum(999.6)).toBe('1k');
    expect(fmtNum(999_999)).toBe('1M');
    expect(fmtNum(35_212_345)).toBe('35.2M');
    expect(fmtNum(-1234)).toBe('-1.23k');
  });

  it('bytes and durations', () => {
    expect(fmtBytes(512)).toBe('512 B');
    expect(fmtBytes(35_212_345)).toBe('35.2 MB');
    expect(fmtBytes(999_999)).toBe('1 MB');
    expect(fmtDuration(4.1)).toBe('4.1 ms');
    expect(fmtDuration(0.85)).toBe('850 µs');
    expect(fmtDuration(0.0000867)).toBe('86.7 ns');
    expect(fmtDuration(1230)).toBe('1.23 s');
    expect(fmtDuration(150_000)).toBe('2.5 min');
    expect(fmtWithUnit(1200, 'ops/s')).toBe('1.2k ops/s');
    expect(fmtWithUnit(4100, 'us')).toBe('4.1 ms');
  });

  it('colour only on a TTY outside CI, never with NO_COLOR', () => {
    expect(shouldColor(true, {})).toBe(true);
    expect(shouldColor(false, {})).toBe(false);
    expect(shouldColor(undefined, {})).toBe(false);
    expect(shouldColor(true, { CI: 'true' })).toBe(false);
    expect(shouldColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(paint('x', 'red', false)).toBe('x');
    expect(visibleWidth(paint('abc', ['red', 'bold'], true))).toBe(3);
  });
});
