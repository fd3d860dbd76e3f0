/**
 * mixed: reads of the live server, judged by real time as Jepsen judges a register. A read
 * R of key k is stale when some write X to k was acknowledged before R was sent, yet R
 * returned nothing, or the value of a write W acknowledged before X was even sent (so W
 * surely came before X). Concurrent writes may be seen in any order, so only certain
 * staleness counts. A value no write to k produced, or one not yet sent when the read was
 * answered, is counted too (it cannot be right).
 * Unanswered and failed reads are not judged.
 */
import { ACKED, FAILED, type Ledger } from '../workload/ledger.js';
import type { ReadLog } from '../workload/read-log.js';
import { MISSING } from '../workload/values.js';

/** The number of stale reads, or null when no read was answered (nothing to judge). */
export function checkStaleReads(ledger: Ledger, reads: ReadLog): number | null {
  const n = ledger.size;
  const { state, sendAt, ackAt } = ledger;
  // Writes in acknowledgement order, reads in send order: one sweep keeps, per key, the
  // latest send time among writes acknowledged so far.
  const writes: number[] = [];
  for (let op = 0; op < n; op++) if (state[op] === ACKED) writes.push(op);
  writes.sort((a, b) => ackAt[a]! - ackAt[b]!);
  const judged: number[] = [];
  for (let i = 0; i < reads.size; i++) if (reads.ackAt[i]! > 0) judged.push(i);
  if (judged.length === 0) return null;
  judged.sort((a, b) => reads.sendAt[a]! - reads.sendAt[b]!);
  const latestSend = new Map<number, number>();
  let stale = 0;
  let w = 0;
  for (const r of judged) {
    const sentAt = reads.sendAt[r]!;
    for (; w < writes.length && ackAt[writes[w]!]! < sentAt; w++) {
      const op = writes[w]!;
      const k = ledger.keyOf(op);
      latestSend.set(k, Math.max(latestSend.get(k) ?? -Infinity, sendAt[op]!));
    }
    const k = reads.key[r]!;
    const before = latestSend.get(k); // send time of the newest write surely done before R
    const got = reads.found[r]!;
    if (got === MISSING) {
      if (before !== undefined) stale++;
      continue;
    }
    const valid = got >= 0 && got < n && ledger.keyOf(got) === k && state[got] !== FAILED;
    // (a value written only after the read's reply came back is impossible: invalid too)
    if (!valid || sendAt[got]! > reads.ackAt[r]!) stale++;
    else if (before !== undefined && state[got] === ACKED && ackAt[got]! < before) stale++;
  }
  return stale;
}
