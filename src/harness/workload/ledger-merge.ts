/**
 * Merging the load workers' ledger slices into the run's one ledger, in one place. Each slice
 * holds its slots in local order with the op number each drew from the shared counter; the
 * merged ledger is indexed by op, so checkers, timelines and read-back see exactly what a
 * single-threaded driver would have left. Worker clocks are moved onto the main thread's
 * (each slice carries its offset). The merge refuses anything but a perfect cover of the op
 * numbers drawn: a duplicate or missing op number would make the checker's verdict wrong.
 */
import { RunError } from '../../shared/errors.js';
import type { Ledger } from './ledger.js';
import { readIndex } from './read-log.js';

/** What a worker hands back: its ledger's arrays cut to size, times on its own clock. */
export interface LedgerSlice {
  size: number;
  state: Uint8Array;
  sendAt: Float64Array;
  ackAt: Float64Array;
  key: Uint32Array | null;
  reply: Float64Array | null;
  /** op number of each slot */
  ops: Int32Array;
  reads: { size: number; key: Uint32Array; sendAt: Float64Array; ackAt: Float64Array; found: Int32Array } | null;
  /** main clock = this worker's performance.now() + offsetMs */
  offsetMs: number;
}

/** The arrays of a worker's ledger, cut to its size (the worker transfers their buffers). */
export function sliceOf(l: Ledger, offsetMs: number): LedgerSlice {
  const n = l.size;
  if (l.ops === null) throw new RunError('internal: a load worker ledger without op numbers');
  const r = l.reads;
  return {
    size: n,
    state: l.state.slice(0, n),
    sendAt: l.sendAt.slice(0, n),
    ackAt: l.ackAt.slice(0, n),
    key: l.key ? l.key.slice(0, n) : null,
    reply: l.reply ? l.reply.slice(0, n) : null,
    ops: l.ops.slice(0, n),
    reads: r
      ? { size: r.size, key: r.key.slice(0, r.size), sendAt: r.sendAt.slice(0, r.size), ackAt: r.ackAt.slice(0, r.size), found: r.found.slice(0, r.size) }
      : null,
    offsetMs,
  };
}

/** The buffers a slice can hand over without copying. */
export function sliceBuffers(s: LedgerSlice): ArrayBuffer[] {
  const arrays = [s.state, s.sendAt, s.ackAt, s.key, s.reply, s.ops, s.reads?.key, s.reads?.sendAt, s.reads?.ackAt, s.reads?.found];
  return arrays.filter((a) => a != null).map((a) => a.buffer as ArrayBuffer);
}

/**
 * Appends the slices to `into` (of the workload's options). The workers drew op numbers from
 * a counter that started at into.size and ended at `end`: every op in between must come from
 * exactly one slice.
 */
export function mergeLedgers(into: Ledger, slices: readonly LedgerSlice[], end: number): void {
  const base = into.size;
  let total = 0;
  for (const s of slices) total += s.size;
  if (base + total !== end) throw new RunError(`internal: load workers recorded ${total} writes but drew ${end - base} op numbers`);
  into.reserve(end);
  const seen = new Uint8Array(total);
  for (const s of slices) {
    const off = s.offsetMs;
    for (let i = 0; i < s.size; i++) {
      const op = s.ops[i]!;
      const k = op - base;
      if (k < 0 || k >= total || seen[k]) throw new RunError(`internal: op ${op} ${k < 0 || k >= total ? 'out of range' : 'recorded twice'} in the load workers' ledgers`);
      seen[k] = 1;
      into.state[op] = s.state[i]!;
      into.sendAt[op] = s.sendAt[i]! + off;
      // 0 = never answered; kept 0 so it stays recognisable
      into.ackAt[op] = s.ackAt[i]! === 0 ? 0 : s.ackAt[i]! + off;
      if (into.key) into.key[op] = s.key![i]!;
      if (into.reply) into.reply[op] = s.reply![i]!;
    }
  }
  into.size = end;
  const log = into.reads;
  if (log === null) return;
  // reads are not identities: their log is the slices' logs one after the other
  for (const s of slices) {
    const r = s.reads;
    if (r === null) continue;
    log.reserve(log.size + r.size);
    for (let i = 0; i < r.size; i++) {
      const j = readIndex(log.add(r.key[i]!, r.sendAt[i]! + s.offsetMs));
      if (r.ackAt[i]! > 0) log.ack(j, r.ackAt[i]! + s.offsetMs, r.found[i]!);
      else log.found[j] = r.found[i]!;
    }
  }
}
