/** The checker per workload: pure functions over the ledger and what read-back found. */
import type { WorkloadKind } from '../../shared/types.js';
import type { Ledger } from '../workload/ledger.js';
import type { ReadBack } from '../workload/workload.js';
import { checkCounter } from './check-counter.js';
import { checkListAppend } from './check-list-append.js';
import { checkOverwrite } from './check-overwrite.js';
import { checkStaleReads } from './check-stale-reads.js';
import { checkTransaction } from './check-transaction.js';
import { checkUniqueSet } from './check-unique-set.js';
import type { CheckCounts } from './counts.js';

/** partialTx: transactions found half applied (the transaction workload only) */
type Checker = (ledger: Ledger, rb: ReadBack, killedAt: number) => CheckCounts & { partialTx?: number };

function expect<K extends ReadBack['kind']>(rb: ReadBack, ...kinds: K[]): Extract<ReadBack, { kind: K }> {
  if (!(kinds as string[]).includes(rb.kind)) throw new Error(`checker for ${kinds.join('/')} got a ${rb.kind} read-back`);
  return rb as Extract<ReadBack, { kind: K }>;
}

export const checkers = {
  'unique-set': (l, rb, at) => {
    const r = expect(rb, 'unique-set');
    return checkUniqueSet(l, r.found, r.extraKeys, at);
  },
  overwrite: (l, rb, at) => {
    const r = expect(rb, 'overwrite', 'mixed');
    return checkOverwrite(l, r.found, r.extraKeys, at);
  },
  mixed: (l, rb, at) => {
    const r = expect(rb, 'overwrite', 'mixed');
    return checkOverwrite(l, r.found, r.extraKeys, at);
  },
  counter: (l, rb, at) => {
    const r = expect(rb, 'counter');
    return checkCounter(l, r.values, r.extraKeys, at);
  },
  'list-append': (l, rb, at) => {
    const r = expect(rb, 'list-append');
    return checkListAppend(l, r.lists, r.extraKeys, at);
  },
  transaction: (l, rb, at) => {
    const r = expect(rb, 'transaction');
    return checkTransaction(l, r.found, r.counters, r.extraKeys, at);
  },
} satisfies Record<WorkloadKind, Checker>;

/**
 * The workload's checker over the recovered data, plus the stale-read check when reads were
 * logged; partialTx is null but for transactions.
 */
export function check(
  kind: WorkloadKind,
  ledger: Ledger,
  rb: ReadBack,
  killedAt: number,
): CheckCounts & { staleReads: number | null; partialTx: number | null } {
  const staleReads = ledger.reads === null ? null : checkStaleReads(ledger, ledger.reads);
  const checked: ReturnType<Checker> = checkers[kind](ledger, rb, killedAt);
  const { partialTx, ...counts } = checked;
  return { ...counts, staleReads, partialTx: partialTx ?? null };
}

export type { CheckCounts } from './counts.js';
export { sanityVerdicts } from './sanity.js';
