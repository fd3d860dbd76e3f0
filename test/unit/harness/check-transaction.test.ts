/**
 * The transaction checker against hand-worked answers, and above all: it must fail when a
 * transaction survived in part.
 */
import { describe, expect, it } from 'vitest';
import { checkTransaction, TX_WIDTH } from '../../../src/harness/check/check-transaction.js';
import { Ledger } from '../../../src/harness/workload/ledger.js';
import { MALFORMED, MISSING } from '../../../src/harness/workload/values.js';

type Op = { counter: number; send: number; ack?: number; fail?: boolean };

function ledgerOf(ops: Op[]): Ledger {
  const l = new Ledger({ keys: true, replies: true, initialCapacity: 2 });
  for (const o of ops) {
    const i = l.add(o.counter, o.send);
    if (o.fail) l.fail(i, o.ack ?? o.send);
    else if (o.ack !== undefined) l.ack(i, o.ack, 0);
  }
  return l;
}

/** found[] from, per op, how many of its keys are there (the first n of its three). */
function foundOf(present: number[]): Int32Array {
  const f = new Int32Array(present.length * TX_WIDTH).fill(MISSING);
  present.forEach((n, op) => {
    for (let j = 0; j < n; j++) f[op * TX_WIDTH + j] = op;
  });
  return f;
}

describe('transaction checker', () => {
  it('whole or absent: acked and lost, in-flight recovered, no partial', () => {
    // ops 0-3 acked at 10..13 on counter 0; 4 in flight on counter 1; 5 failed (EXECABORT)
    const l = ledgerOf([
      { counter: 0, send: 0, ack: 10 }, { counter: 0, send: 1, ack: 11 }, { counter: 0, send: 2, ack: 12 },
      { counter: 0, send: 3, ack: 13 }, { counter: 1, send: 4 }, { counter: 1, send: 5, ack: 15, fail: true },
    ]);
    // 0, 1 and the in-flight 4 whole; 2, 3 and the failed 5 absent; counters agree (2 and 1)
    const c = checkTransaction(l, foundOf([3, 3, 0, 0, 3, 0]), Float64Array.of(2, 1), 0, 20);
    expect(c).toMatchObject({ attempted: 6, acked: 4, failed: 1, inFlight: 1, lost: 2, recovered: 1, unexpected: 0, partialTx: 0 });
    expect(c.lossWindowMs).toBe(8); // oldest lost ack at 12, kill at 20
  });

  it('FAILS on a half-applied transaction: some keys there, others not', () => {
    const l = ledgerOf([{ counter: 0, send: 0, ack: 10 }, { counter: 0, send: 1, ack: 11 }, { counter: 0, send: 2 }]);
    // op 1 kept one key of three (acked: lost too); op 2 (in flight) kept two, and its INCR
    const c = checkTransaction(l, foundOf([3, 1, 2]), Float64Array.of(2), 0, 20);
    expect(c.partialTx).toBe(2);
    expect(c.lost).toBe(1);
    expect(c.recovered).toBe(0);
  });

  it('FAILS when the counter disagrees with the whole transactions (the INCR without its keys, or the reverse)', () => {
    const l = ledgerOf([{ counter: 0, send: 0, ack: 10 }, { counter: 0, send: 1, ack: 11 }, { counter: 1, send: 2, ack: 12 }]);
    // counter 0 says 2 though only op 0 is there (op 1's INCR survived alone): one partial
    expect(checkTransaction(l, foundOf([3, 0, 3]), Float64Array.of(2, 1), 0, 20).partialTx).toBe(1);
    // counter 1 missing though op 2 is whole (its keys survived without the INCR): one partial
    expect(checkTransaction(l, foundOf([3, 3, 3]), Float64Array.of(2, MISSING), 0, 20).partialTx).toBe(1);
    // a partial op whose INCR survived is counted once, not twice
    expect(checkTransaction(l, foundOf([3, 2, 3]), Float64Array.of(2, 1), 0, 20).partialTx).toBe(1);
  });

  it('values nobody wrote, a garbage counter and extra keys are unexpected', () => {
    const l = ledgerOf([{ counter: 0, send: 0, ack: 10 }, { counter: 0, send: 1, ack: 11, fail: true }]);
    const found = foundOf([3, 3]); // op 1 there though refused
    const c = checkTransaction(l, found, Float64Array.of(MALFORMED), 4, 20);
    expect(c.unexpected).toBe(1 + 1 + 4);
    found[1] = MALFORMED; // op 0's second key holds something else
    const d = checkTransaction(l, found, Float64Array.of(2), 0, 20);
    expect(d.unexpected).toBe(2); // the malformed value, the refused op present
    expect(d.partialTx).toBe(1); // op 0 is no longer whole
  });
});
