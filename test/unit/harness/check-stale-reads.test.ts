/** The stale-read checker on crafted histories, each verdict worked out by hand. */
import { describe, expect, it } from 'vitest';
import { checkStaleReads } from '../../../src/harness/check/check-stale-reads.js';
import { Ledger } from '../../../src/harness/workload/ledger.js';
import { readIndex } from '../../../src/harness/workload/read-log.js';
import { MALFORMED, MISSING } from '../../../src/harness/workload/values.js';

type W = { key: number; send: number; ack?: number; fail?: boolean };
type R = { key: number; send: number; ack?: number; found: number };

function history(writes: W[], reads: R[]): Ledger {
  const l = new Ledger({ keys: true, reads: true, initialCapacity: 2 });
  for (const w of writes) {
    const i = l.add(w.key, w.send);
    if (w.fail) l.fail(i, w.ack ?? w.send);
    else if (w.ack !== undefined) l.ack(i, w.ack, 0);
  }
  for (const r of reads) {
    const op = l.reads!.add(r.key, r.send);
    if (r.ack !== undefined) l.reads!.ack(readIndex(op), r.ack, r.found);
  }
  return l;
}

describe('stale-read checker', () => {
  // writes to key 0: op 0 sent 0 acked 10; op 1 sent 20 acked 30; op 2 sent 25, never acked
  const writes: W[] = [
    { key: 0, send: 0, ack: 10 },
    { key: 0, send: 20, ack: 30 },
    { key: 0, send: 25 },
    { key: 1, send: 5, ack: 6, fail: true },
  ];

  it('accepts what a register may return', () => {
    const ok: R[] = [
      { key: 0, send: 5, ack: 7, found: MISSING }, // nothing acknowledged before it was sent
      { key: 0, send: 5, ack: 12, found: 0 }, // op 0, concurrent
      { key: 0, send: 15, ack: 16, found: 0 }, // op 0 was the latest done
      { key: 0, send: 22, ack: 28, found: 0 }, // op 1 concurrent: either value
      { key: 0, send: 26, ack: 27, found: 2 }, // op 2 in flight: may already be visible
      { key: 0, send: 40, ack: 41, found: 2 }, // op 2 (sent 25) overlaps op 1 (acked 30): either may be last
      { key: 0, send: 50, found: 0 }, // unanswered: not judged
      { key: 1, send: 7, ack: 8, found: MISSING }, // the only write to key 1 failed
    ];
    const l = history(writes, ok);
    expect(checkStaleReads(l, l.reads!)).toBe(0);
  });

  it('counts reads that are certainly stale, impossible or foreign', () => {
    const bad: R[] = [
      { key: 0, send: 15, ack: 16, found: MISSING }, // op 0 was acknowledged at 10
      { key: 0, send: 35, ack: 36, found: 0 }, // op 1 (sent 20, after op 0's ack at 10) done at 30
      { key: 0, send: 12, ack: 14, found: 2 }, // op 2 was sent at 25, after this reply
      { key: 0, send: 40, ack: 41, found: MALFORMED }, // nobody wrote that
      { key: 1, send: 40, ack: 41, found: 0 }, // op 0 wrote key 0, not key 1
      { key: 1, send: 40, ack: 41, found: 3 }, // op 3 was refused
    ];
    const l = history(writes, bad);
    expect(checkStaleReads(l, l.reads!)).toBe(6);
  });
});

describe('stale-read checker, nothing to judge', () => {
  it('is null when no read was answered, so a vacuous 0 is never reported', () => {
    const l = history([{ key: 0, send: 0, ack: 1 }], [{ key: 0, send: 2, found: MISSING }]);
    expect(checkStaleReads(l, l.reads!)).toBeNull();
  });
});
