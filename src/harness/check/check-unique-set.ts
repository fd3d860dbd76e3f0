/**
 * unique-set: every write is a new key `u:<op>`, so every loss is countable.
 * found[op] is the op whose value the key holds after recovery (MISSING, MALFORMED).
 */
import { ACKED, FAILED, IN_FLIGHT, type Ledger } from '../workload/ledger.js';
import { MISSING } from '../workload/values.js';
import { Tally, type CheckCounts } from './counts.js';

export function checkUniqueSet(ledger: Ledger, found: Int32Array, extraKeys: number, killedAt: number): CheckCounts {
  const t = new Tally();
  const { state, ackAt } = ledger;
  for (let op = 0; op < ledger.size; op++) {
    const f = found[op] ?? MISSING;
    const s = state[op];
    if (f === op) {
      if (s === IN_FLIGHT) t.recovered++;
      else if (s === FAILED) t.unexpected++; // the server said no, yet it is there
      continue;
    }
    if (f !== MISSING) t.unexpected++; // a value this key never had
    if (s === ACKED) t.lose(ackAt[op]!);
  }
  t.unexpected += extraKeys;
  return t.finish(ledger.counts(), killedAt);
}
