import { describe, expect, it } from 'vitest';
import { TransactionReplay } from '../../../../src/server/persistence/aof/transaction-replay.js';

describe('TransactionReplay', () => {
  it('applies commands outside a transaction at once, and a transaction only at its EXEC', () => {
    const ran: string[][] = [];
    const t = new TransactionReplay((a) => ran.push(a));
    expect(t.command(['SET', 'a', '1'], 0)).toBeUndefined();
    expect(ran).toHaveLength(1);
    t.command(['multi'], 30);
    t.command(['SET', 'b', '1'], 45);
    t.command(['INCR', 'n'], 70);
    expect(t.open).toBe(true);
    expect(t.validBeforeMulti).toBe(30);
    expect(ran).toHaveLength(1); // held
    t.command(['Exec'], 90);
    expect(t.open).toBe(false);
    expect(ran).toEqual([['SET', 'a', '1'], ['SET', 'b', '1'], ['INCR', 'n']]);
  });

  it('an open transaction at the end is never applied', () => {
    const ran: string[][] = [];
    const t = new TransactionReplay((a) => ran.push(a));
    t.command(['MULTI'], 0);
    t.command(['SET', 'b', '1'], 15);
    expect(ran).toEqual([]);
    expect(t.open).toBe(true);
  });

  it('names a nested MULTI and a lone EXEC', () => {
    const t = new TransactionReplay(() => {});
    expect(t.command(['EXEC'], 0)).toBe('Unexpected EXEC');
    t.command(['MULTI'], 0);
    expect(t.command(['MULTI'], 15)).toBe('Unexpected MULTI');
  });
});
