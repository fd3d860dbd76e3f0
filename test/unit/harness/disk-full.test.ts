import { describe, expect, it } from 'vitest';
import { planFillTime, serverState, tmpfsBytes } from '../../../src/harness/faults/disk-full.js';

describe('disk-full, the pure parts', () => {
  it('sizes the tmpfs for the preload three times over (AOF, dump.rdb, a temp file) plus 64 MiB of headroom', () => {
    expect(tmpfsBytes({ preload: 0, valueSize: 100 })).toBe(64 << 20);
    expect(tmpfsBytes({ preload: 1000, valueSize: 100 })).toBe(3 * 1000 * 164 + (64 << 20));
  });

  it('moves the fill earlier so the whole fault fits the write phase, never before it', () => {
    expect(planFillTime(2000, 10_000)).toBe(2000);
    expect(planFillTime(2000, 4000)).toBe(400);
    expect(planFillTime(2000, 1000)).toBe(0);
  });

  it('names the server state: an exit first, then a refusal, then whether acks went on', () => {
    expect(serverState({ exited: true, refused: true, ackedAfterFull: 5 })).toBe('exited');
    expect(serverState({ exited: false, refused: true, ackedAfterFull: 5 })).toBe('refused-writes');
    expect(serverState({ exited: false, refused: false, ackedAfterFull: 5 })).toBe('kept-acking');
    expect(serverState({ exited: false, refused: false, ackedAfterFull: 0 })).toBe('stalled');
  });
});
