import type { TrialResult } from '../../shared/result.js';

/** What a checker returns: Jepsen set-checker counts over the ledger (fields as in TrialResult). */
export type CheckCounts = Pick<
  TrialResult,
  'attempted' | 'acked' | 'failed' | 'inFlight' | 'lost' | 'recovered' | 'unexpected' | 'duplicated' | 'reordered' | 'lossPct' | 'lossWindowMs'
>;

/** Accumulates counts; finish() derives loss % and the loss window. */
export class Tally {
  lost = 0;
  recovered = 0;
  unexpected = 0;
  duplicated = 0;
  reordered = 0;
  oldestLostAck = Infinity;

  lose(ackAt: number): void {
    this.lost++;
    if (ackAt < this.oldestLostAck) this.oldestLostAck = ackAt;
  }

  finish(c: { attempted: number; acked: number; failed: number; inFlight: number }, killedAt: number): CheckCounts {
    const lossPct = c.acked > 0 ? Math.round((this.lost / c.acked) * 1e6) / 1e4 : 0;
    const lossWindowMs = this.lost > 0 && Number.isFinite(this.oldestLostAck) ? Math.max(0, Math.round((killedAt - this.oldestLostAck) * 1000) / 1000) : 0;
    return {
      ...c,
      lost: this.lost,
      recovered: this.recovered,
      unexpected: this.unexpected,
      duplicated: this.duplicated,
      reordered: this.reordered,
      lossPct,
      lossWindowMs,
    };
  }
}
