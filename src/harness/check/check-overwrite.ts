/**
 * overwrite / mixed: a hot keyspace of SETs; after recovery each key must hold the last
 * acknowledged value, or something at least as new.
 *
 * found[k] is the op whose value key k holds. Server order is unknown for concurrent writes,
 * so it is judged from real time: an acknowledged write X to k is lost when the value found
 * was written by W and X was sent after W's acknowledgement (X surely came after W, yet W's
 * value is what survived). A missing key loses every acknowledged write to it; a value that
 * no write to k produced is unexpected, and loses them too. A surviving in-flight W is
 * "recovered" and loses nothing (it may well be the last write).
 */
import { ACKED, FAILED, IN_FLIGHT, type Ledger } from '../workload/ledger.js';
import { MISSING } from '../workload/values.js';
import { Tally, type CheckCounts } from './counts.js';

export function checkOverwrite(ledger: Ledger, found: Int32Array, extraKeys: number, killedAt: number): CheckCounts {
  const t = new Tally();
  const { state, sendAt, ackAt } = ledger;
  const n = ledger.size;
  // per key: the surviving op's ack time (Infinity if it was in flight), -1 = everything lost
  const survivorAck = new Float64Array(found.length);
  for (let k = 0; k < found.length; k++) {
    const w = found[k]!;
    if (w === MISSING) {
      survivorAck[k] = -1;
      continue;
    }
    const valid = w >= 0 && w < n && ledger.keyOf(w) === k && state[w] !== FAILED;
    if (!valid) {
      t.unexpected++;
      survivorAck[k] = -1;
      continue;
    }
    if (state[w] === IN_FLIGHT) {
      t.recovered++;
      survivorAck[k] = Infinity;
    } else survivorAck[k] = ackAt[w]!;
  }
  for (let op = 0; op < n; op++) {
    if (state[op] !== ACKED) continue;
    const k = ledger.keyOf(op);
    const a = survivorAck[k] ?? -1;
    if (a < 0 || sendAt[op]! > a) t.lose(ackAt[op]!);
  }
  t.unexpected += extraKeys;
  return t.finish(ledger.counts(), killedAt);
}
