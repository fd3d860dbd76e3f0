/**
 * transaction: op i wrote the keys xa:i, xb:i, xc:i (values naming i) and INCR xn:k, in one
 * MULTI … EXEC. After recovery each transaction must be whole or absent:
 *  - whole: all its keys hold op i's value. An in-flight one is recovered; a failed one
 *    (EXECABORT, a refused command) that is there anyway is unexpected.
 *  - absent: none of them. An acknowledged one is lost.
 *  - partial: some but not all. An atomicity violation, counted whatever its state (an
 *    acknowledged one is lost too).
 * Across keys, the counters: xn:k must equal the number of whole transactions that chose k.
 * A counter below that means whole transactions without their INCR; above it, INCRs that
 * survived without their keys (beyond the partial ones of k, which may explain them): both
 * are partial transactions too.
 */
import { ACKED, FAILED, IN_FLIGHT, type Ledger } from '../workload/ledger.js';
import { MALFORMED, MISSING } from '../workload/values.js';
import { Tally, type CheckCounts } from './counts.js';

/** keys each transaction writes besides its counter (generators.ts TX_KEYS) */
export const TX_WIDTH = 3;

export function checkTransaction(
  ledger: Ledger,
  found: Int32Array,
  counters: Float64Array,
  extraKeys: number,
  killedAt: number,
): CheckCounts & { partialTx: number } {
  const t = new Tally();
  const { state, ackAt } = ledger;
  const whole = new Float64Array(counters.length);
  const partialByKeys = new Float64Array(counters.length);
  for (let op = 0; op < ledger.size; op++) {
    let here = 0;
    for (let j = 0; j < TX_WIDTH; j++) {
      const f = found[op * TX_WIDTH + j] ?? MISSING;
      if (f === op) here++;
      else if (f !== MISSING) t.unexpected++; // a value this key never had
    }
    const k = ledger.keyOf(op);
    const s = state[op];
    if (here === TX_WIDTH) {
      whole[k]!++;
      if (s === IN_FLIGHT) t.recovered++;
      else if (s === FAILED) t.unexpected++; // the server said no, yet it is there
      continue;
    }
    if (here > 0) partialByKeys[k]!++;
    if (s === ACKED) t.lose(ackAt[op]!);
  }
  let partial = 0;
  for (let k = 0; k < counters.length; k++) {
    partial += partialByKeys[k]!;
    const v = counters[k]!;
    if (v === MALFORMED) {
      t.unexpected++;
      continue;
    }
    const surplus = (v === MISSING ? 0 : v) - whole[k]!;
    if (surplus < 0) partial += -surplus;
    else if (surplus > partialByKeys[k]!) partial += surplus - partialByKeys[k]!;
  }
  t.unexpected += extraKeys;
  return { ...t.finish(ledger.counts(), killedAt), partialTx: partial };
}
