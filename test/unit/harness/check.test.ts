/**
 * The checker against known answers: crafted ledgers and read-backs whose correct counts
 * are worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { checkCounter } from '../../../src/harness/check/check-counter.js';
import { checkListAppend, longestIncreasing } from '../../../src/harness/check/check-list-append.js';
import { checkOverwrite } from '../../../src/harness/check/check-overwrite.js';
import { checkUniqueSet } from '../../../src/harness/check/check-unique-set.js';
import { Ledger } from '../../../src/harness/workload/ledger.js';
import { MALFORMED, MISSING } from '../../../src/harness/workload/values.js';

type Op = { key?: number; send: number; ack?: number; fail?: boolean; reply?: number };

function ledgerOf(ops: Op[], opts = { keys: true, replies: true }): Ledger {
  const l = new Ledger({ ...opts, initialCapacity: 2 }); // tiny: exercises growth
  for (const o of ops) {
    const i = l.add(o.key ?? 0, o.send);
    if (o.fail) l.fail(i, o.ack ?? o.send);
    else if (o.ack !== undefined) l.ack(i, o.ack, o.reply ?? 0);
  }
  return l;
}

describe('unique-set checker', () => {
  it('counts lost / recovered / unexpected and the loss window', () => {
    // ops 0-5 acked at 10..15, 6-7 in flight, 8 failed, 9 acked at 19
    const ops: Op[] = [0, 1, 2, 3, 4, 5].map((i) => ({ send: i, ack: 10 + i }));
    ops.push({ send: 6 }, { send: 7 }, { send: 8, ack: 18, fail: true }, { send: 9, ack: 19 });
    const l = ledgerOf(ops, { keys: false, replies: false });
    // present: 0,1,2,5 (own values); 3 missing; 4 holds garbage; 6 present; 7 missing;
    // 8 present although refused; 9 missing
    const found = Int32Array.from([0, 1, 2, MISSING, MALFORMED, 5, 6, MISSING, 8, MISSING]);
    const c = checkUniqueSet(l, found, 2, 100);
    expect(c).toEqual({
      attempted: 10,
      acked: 7,
      failed: 1,
      inFlight: 2,
      lost: 3, // 3, 4, 9
      recovered: 1, // 6
      unexpected: 4, // 4's garbage, 8 (refused yet present), 2 keys nobody wrote
      duplicated: 0,
      reordered: 0,
      lossPct: 42.8571, // 3 / 7
      lossWindowMs: 87, // oldest lost ack: op 3 at 13; kill at 100
    });
  });

  it('a value found under another op\'s key is lost and unexpected', () => {
    const l = ledgerOf([{ send: 0, ack: 1 }, { send: 0, ack: 1 }], { keys: false, replies: false });
    const c = checkUniqueSet(l, Int32Array.from([1, 1]), 0, 5);
    expect(c.lost).toBe(1);
    expect(c.unexpected).toBe(1);
  });

  it('nothing lost when everything is there', () => {
    const l = ledgerOf([{ send: 0, ack: 1 }, { send: 1, ack: 2 }], { keys: false, replies: false });
    const c = checkUniqueSet(l, Int32Array.from([0, 1]), 0, 5);
    expect([c.lost, c.lossPct, c.lossWindowMs, c.unexpected]).toEqual([0, 0, 0, 0]);
  });
});

describe('overwrite checker (last acknowledged value must win)', () => {
  it('judges order by real time', () => {
    const l = ledgerOf([
      { key: 0, send: 0, ack: 1 }, // op0
      { key: 0, send: 2, ack: 3 }, // op1 — survives on key 0
      { key: 0, send: 2.5, ack: 4 }, // op2 — concurrent with op1: may precede it, not lost
      { key: 0, send: 5, ack: 6 }, // op3 — sent after op1's ack: surely later → lost
      { key: 1, send: 1, ack: 2 }, // op4 — key 1 missing → lost
      { key: 2, send: 1, ack: 2 }, // op5 — superseded by in-flight op6: not lost
      { key: 2, send: 3 }, // op6 — in flight, survives → recovered
    ]);
    // key 3 holds op0's value, which was written to key 0 → unexpected
    const c = checkOverwrite(l, Int32Array.from([1, MISSING, 6, 0]), 0, 10);
    expect([c.lost, c.recovered, c.unexpected]).toEqual([2, 1, 1]);
    expect(c.lossWindowMs).toBe(8); // oldest lost ack: op4 at 2
    expect(c.acked).toBe(6);
  });

  it('a malformed value loses every acknowledged write to the key', () => {
    const l = ledgerOf([
      { key: 0, send: 0, ack: 1 },
      { key: 0, send: 2, ack: 3 },
    ]);
    const c = checkOverwrite(l, Int32Array.from([MALFORMED]), 0, 10);
    expect([c.lost, c.unexpected]).toEqual([2, 1]);
  });
});

describe('counter checker (lost increments)', () => {
  it('uses INCR replies as positions', () => {
    const l = ledgerOf([
      // key 0: acked 1..4, two in flight; read 3 → the 4th is lost
      { key: 0, send: 0, ack: 1, reply: 1 },
      { key: 0, send: 0, ack: 2, reply: 2 },
      { key: 0, send: 0, ack: 3, reply: 3 },
      { key: 0, send: 0, ack: 4, reply: 4 },
      { key: 0, send: 5 },
      { key: 0, send: 5 },
      // key 1: acked 1..2, one in flight; read 4 → 1 recovered, 1 nobody sent
      { key: 1, send: 0, ack: 1, reply: 1 },
      { key: 1, send: 0, ack: 2, reply: 2 },
      { key: 1, send: 3 },
      // key 2: acked 1; read garbage → lost, unexpected
      { key: 2, send: 0, ack: 7, reply: 1 },
    ]);
    const c = checkCounter(l, Float64Array.from([3, 4, MALFORMED]), 0, 10);
    expect([c.lost, c.recovered, c.unexpected]).toEqual([2, 1, 2]);
    expect(c.lossWindowMs).toBe(6); // oldest lost ack: key 0's 4th INCR at 4; kill at 10
  });

  it('a missing counter loses every acknowledged increment', () => {
    const l = ledgerOf([
      { key: 0, send: 0, ack: 1, reply: 1 },
      { key: 0, send: 0, ack: 2, reply: 2 },
    ]);
    const c = checkCounter(l, Float64Array.from([MISSING]), 0, 10);
    expect([c.lost, c.recovered, c.unexpected, c.lossPct]).toEqual([2, 0, 0, 100]);
  });
});

describe('list-append checker (lost, duplicated, reordered)', () => {
  it('classifies a crafted read-back exactly', () => {
    const ops: Op[] = [0, 1, 2, 3, 4, 5].map((i) => ({ key: 0, send: i, ack: 10 + i, reply: i + 1 })); // ops 0-5 → list 0, positions 1-6
    ops.push({ key: 1, send: 6 }); // op6 → list 1, in flight
    ops.push({ key: 1, send: 7, ack: 17, reply: 1 }); // op7 → list 1
    ops.push({ key: 0, send: 8, ack: 18, reply: 7 }); // op8 → list 0
    const l = ledgerOf(ops);
    const lists = [
      // 0,1 fine; 3 before 2 (reordered: 1); 2 again (duplicated: 1); 4 missing (lost); 99 never sent (unexpected)
      Int32Array.from([0, 1, 3, 2, 2, 5, 99, 8]),
      // op6 recovered; op8 belongs to list 0 (unexpected here); op7 fine
      Int32Array.from([6, 7, 8]),
    ];
    const c = checkListAppend(l, lists, 0, 30);
    expect(c).toMatchObject({ lost: 1, duplicated: 1, reordered: 1, recovered: 1, unexpected: 2, acked: 8, inFlight: 1 });
    expect(c.lossWindowMs).toBe(16); // op4 acked at 14
  });

  it('a list of the wrong type reads as malformed: everything in it lost', () => {
    const l = ledgerOf([{ key: 0, send: 0, ack: 1, reply: 1 }]);
    const c = checkListAppend(l, [Int32Array.of(MALFORMED)], 0, 10);
    expect([c.lost, c.unexpected]).toEqual([1, 1]);
  });

  it('longestIncreasing', () => {
    expect(longestIncreasing([])).toBe(0);
    expect(longestIncreasing([1, 2, 3])).toBe(3);
    expect(longestIncreasing([3, 2, 1])).toBe(1);
    expect(longestIncreasing([1, 2, 4, 3, 6])).toBe(4);
    expect(longestIncreasing([5, 1, 6, 2, 7, 3, 8])).toBe(4);
  });
});
