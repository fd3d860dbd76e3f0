/** The ledger's count of writes a client with a timeout would have given up on. */
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/harness/workload/ledger.js';

describe('Ledger.slowerThan', () => {
  it('counts answers later than the timeout after the due time, and writes still unanswered past it', () => {
    const l = new Ledger();
    l.ack(l.add(0, 0), 500, 0); // answered in 500 ms: in time
    l.ack(l.add(1, 0), 1500, 1); // answered in 1500 ms: too late
    l.fail(l.add(2, 100), 1200); // an error after 1100 ms: too late too
    l.add(3, 900); // unanswered: 1100 ms by t=2000
    l.add(4, 1500); // unanswered: 500 ms by t=2000
    expect(l.slowerThan(1000, 2000)).toBe(3);
    expect(l.slowerThan(1000, 1000)).toBe(2); // answered ones count by their answer; op 3 is not overdue yet
    expect(l.slowerThan(2000, 2000)).toBe(0);
  });
});
