/**
 * list-append: RPUSH of op numbers onto a few lists. After recovery, per list:
 *  - unexpected: an element that is not an op pushed onto this list (or one that failed);
 *  - duplicated: every extra copy of an element;
 *  - lost: an acknowledged op whose element is absent;
 *  - recovered: an in-flight op whose element is present;
 *  - reordered: acknowledged elements out of their server order. RPUSH replied with the list
 *    length, i.e. the element's position in server order; the read-back positions must rise.
 *    reordered = present acknowledged elements − longest increasing run of their positions
 *    (the fewest elements to remove to make the order right).
 */
import { ACKED, FAILED, IN_FLIGHT, type Ledger } from '../workload/ledger.js';
import { Tally, type CheckCounts } from './counts.js';

/** Length of the longest strictly increasing subsequence (patience sorting, O(n log n)). */
export function longestIncreasing(seq: ArrayLike<number>): number {
  const tails: number[] = [];
  for (let i = 0; i < seq.length; i++) {
    const x = seq[i]!;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = x;
  }
  return tails.length;
}

export function checkListAppend(ledger: Ledger, lists: readonly Int32Array[], extraKeys: number, killedAt: number): CheckCounts {
  const t = new Tally();
  const { state, ackAt } = ledger;
  const reply = ledger.reply!;
  const n = ledger.size;
  const seen = new Uint8Array(n);
  lists.forEach((elems, k) => {
    const positions: number[] = [];
    for (let i = 0; i < elems.length; i++) {
      const op = elems[i]!;
      if (op < 0 || op >= n || ledger.keyOf(op) !== k || state[op] === FAILED) {
        t.unexpected++;
        continue;
      }
      if (seen[op]) {
        t.duplicated++;
        continue;
      }
      seen[op] = 1;
      if (state[op] === IN_FLIGHT) t.recovered++;
      else if (state[op] === ACKED) positions.push(reply[op]!);
    }
    t.reordered += positions.length - longestIncreasing(positions);
  });
  for (let op = 0; op < n; op++) if (state[op] === ACKED && !seen[op]) t.lose(ackAt[op]!);
  t.unexpected += extraKeys;
  return t.finish(ledger.counts(), killedAt);
}
