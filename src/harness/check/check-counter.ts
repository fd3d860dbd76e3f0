/**
 * counter: INCR on a keyspace. The server applies increments in order, so an INCR that was
 * acknowledged with reply r was the r-th; after recovery a value V keeps the first V. Every
 * acknowledged INCR with r > V is lost. Of the V that survived, those not acknowledged
 * (r <= V) came from in-flight INCRs (recovered) — beyond the in-flight count they are
 * increments nobody sent (unexpected).
 */
import { ACKED, IN_FLIGHT, type Ledger } from '../workload/ledger.js';
import { MALFORMED, MISSING } from '../workload/values.js';
import { Tally, type CheckCounts } from './counts.js';

export function checkCounter(ledger: Ledger, values: Float64Array, extraKeys: number, killedAt: number): CheckCounts {
  const t = new Tally();
  const { state, ackAt } = ledger;
  const reply = ledger.reply!;
  const keys = values.length;
  const ackedKept = new Float64Array(keys);
  const inFlight = new Float64Array(keys);
  const value = (k: number): number => {
    const v = values[k]!;
    return v === MISSING || v === MALFORMED ? 0 : v;
  };
  for (let k = 0; k < keys; k++) if (values[k] === MALFORMED) t.unexpected++;
  for (let op = 0; op < ledger.size; op++) {
    const k = ledger.keyOf(op);
    if (state[op] === ACKED) {
      if (reply[op]! > value(k)) t.lose(ackAt[op]!);
      else ackedKept[k]!++;
    } else if (state[op] === IN_FLIGHT) inFlight[k]!++;
  }
  for (let k = 0; k < keys; k++) {
    const extra = value(k) - ackedKept[k]!;
    if (extra <= 0) continue;
    const rec = Math.min(extra, inFlight[k]!);
    t.recovered += rec;
    t.unexpected += extra - rec;
  }
  t.unexpected += extraKeys;
  return t.finish(ledger.counts(), killedAt);
}
