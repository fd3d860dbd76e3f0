/** Merging load workers' ledger slices: indexed by op, clocks moved, reads appended, a bad cover refused. */
import { describe, expect, it } from 'vitest';
import { ACKED, FAILED, IN_FLIGHT, Ledger } from '../../../src/harness/workload/ledger.js';
import { mergeLedgers, sliceOf } from '../../../src/harness/workload/ledger-merge.js';
import { readIndex } from '../../../src/harness/workload/read-log.js';

/** Two workers' ledgers drawing from one counter, interleaved as threads would. */
function twoSlices(opts: { keys?: boolean; replies?: boolean; reads?: boolean } = {}) {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const a = new Ledger({ ...opts, opSource: counter });
  const b = new Ledger({ ...opts, opSource: counter });
  const ops: number[] = [];
  ops.push(a.add(10, 1)); // op 0, slot a0
  ops.push(b.add(11, 2)); // op 1, slot b0
  ops.push(b.add(12, 3)); // op 2, slot b1
  ops.push(a.add(13, 4)); // op 3, slot a1
  a.ack(0, 5, 100);
  b.fail(0, 6);
  b.ack(1, 7, 200);
  // a1 stays in flight
  return { a, b, ops, counter };
}

describe('worker ledger slices', () => {
  it('add() hands out the shared counter\'s op numbers, slot by slot', () => {
    const { a, b, ops } = twoSlices();
    expect(ops).toEqual([0, 1, 2, 3]);
    expect([...a.ops!.subarray(0, a.size)]).toEqual([0, 3]);
    expect([...b.ops!.subarray(0, b.size)]).toEqual([1, 2]);
  });

  it('merge puts every slot at its op, times on the main clock, keys and replies kept', () => {
    const { a, b, counter } = twoSlices({ keys: true, replies: true });
    const into = new Ledger({ keys: true, replies: true });
    mergeLedgers(into, [sliceOf(a, 1000), sliceOf(b, 2000)], counter[0]!);
    expect(into.size).toBe(4);
    expect([...into.state.subarray(0, 4)]).toEqual([ACKED, FAILED, ACKED, IN_FLIGHT]);
    expect([...into.sendAt.subarray(0, 4)]).toEqual([1001, 2002, 2003, 1004]);
    expect([...into.ackAt.subarray(0, 4)]).toEqual([1005, 2006, 2007, 0]); // unanswered stays 0
    expect([...into.key!.subarray(0, 4)]).toEqual([10, 11, 12, 13]);
    expect(into.reply![0]).toBe(100);
    expect(into.reply![2]).toBe(200);
    expect(into.counts()).toEqual({ attempted: 4, acked: 2, failed: 1, inFlight: 1 });
  });

  it('appends to a ledger that already holds writes (op numbers continue it)', () => {
    const into = new Ledger();
    into.ack(into.add(0, 0), 1, 0);
    const counter = new Int32Array(new SharedArrayBuffer(4));
    counter[0] = into.size;
    const a = new Ledger({ opSource: counter });
    expect(a.add(0, 5)).toBe(1);
    a.ack(0, 6, 0);
    mergeLedgers(into, [sliceOf(a, 0)], counter[0]!);
    expect(into.counts()).toEqual({ attempted: 2, acked: 2, failed: 0, inFlight: 0 });
    expect(into.sendAt[1]).toBe(5);
  });

  it('appends the reads of every slice, on the main clock', () => {
    const { a, b, counter } = twoSlices({ keys: true, reads: true });
    const r = readIndex(a.reads!.add(7, 10));
    a.reads!.ack(r, 12, 0);
    b.reads!.add(8, 20); // never answered
    const into = new Ledger({ keys: true, reads: true });
    mergeLedgers(into, [sliceOf(a, 100), sliceOf(b, 100)], counter[0]!);
    const log = into.reads!;
    expect(log.size).toBe(2);
    expect([log.key[0], log.sendAt[0], log.ackAt[0], log.found[0]]).toEqual([7, 110, 112, 0]);
    expect([log.key[1], log.sendAt[1], log.ackAt[1]]).toEqual([8, 120, 0]);
  });

  it('refuses a duplicate op, an op out of range, and a count that does not match the counter', () => {
    const { a, b, counter } = twoSlices();
    const sa = sliceOf(a, 0);
    const sb = sliceOf(b, 0);
    const dup = { ...sb, ops: Int32Array.from([1, 0]) };
    expect(() => mergeLedgers(new Ledger(), [sa, dup], counter[0]!)).toThrow(/op 0 recorded twice/);
    const out = { ...sb, ops: Int32Array.from([1, 9]) };
    expect(() => mergeLedgers(new Ledger(), [sa, out], counter[0]!)).toThrow(/op 9 out of range/);
    expect(() => mergeLedgers(new Ledger(), [sa], counter[0]!)).toThrow(/recorded 2 writes but drew 4/);
  });
});
