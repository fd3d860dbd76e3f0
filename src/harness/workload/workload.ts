import type { WorkloadKind } from '../../shared/types.js';
import type { Ledger, LedgerOptions } from './ledger.js';
import type { RespConnection } from './resp-connection.js';
import type { CommandWriter } from './resp-writer.js';

/** What read-back found, per workload; the checker turns it into counts. */
export type ReadBack =
  /** found[op] = the op whose value the key `u:<op>` holds, MISSING or MALFORMED */
  | { kind: 'unique-set'; found: Int32Array; extraKeys: number; dbsize: number }
  /** found[key] = the op whose value the key holds, MISSING or MALFORMED */
  | { kind: 'overwrite' | 'mixed'; found: Int32Array; extraKeys: number; dbsize: number }
  /** values[key] = the counter (MISSING when absent, MALFORMED when not an integer) */
  | { kind: 'counter'; values: Float64Array; extraKeys: number; dbsize: number }
  /** lists[key] = the elements in order (MALFORMED for anything not a number) */
  | { kind: 'list-append'; lists: Int32Array[]; extraKeys: number; dbsize: number }
  /**
   * found[3·op + j] = the op whose value the transaction's j-th key holds (MISSING, MALFORMED);
   * counters[k] = the counter (MISSING when absent, MALFORMED when not an integer)
   */
  | { kind: 'transaction'; found: Int32Array; counters: Float64Array; extraKeys: number; dbsize: number };

export interface WorkloadParams {
  seed: number;
  keys: number;
  valueSize: number;
  /** keys `p:<i>` written before the measured phase */
  preload: number;
  /**
   * Which key stream this generator draws (0 = the seed's own): each load worker runs its own
   * generator, with its own stream, so workers do not all pick the same keys in step. Values
   * depend on the seed only, so any generator of the run reads any worker's values back.
   */
  stream?: number;
}

/** A seeded generator of operations plus how to read its results back. */
export interface Workload {
  kind: WorkloadKind;
  /**
   * What it was made from (generators.ts): a load worker makes its own generator from these.
   * Absent for a hand-made workload (latency windows), which runs on one thread only.
   */
  params?: WorkloadParams;
  ledgerOptions: LedgerOptions;
  /** fraction of operations that are reads (0 for the write-only workloads) */
  readShare: number;
  /**
   * Replies the server sends per operation: 1, or a transaction's MULTI + commands + EXEC,
   * folded into one by the load client (fold-replies.ts). Absent = 1.
   */
  repliesPerOp?: number;
  /**
   * Encodes the next operation into w. A write is recorded in the ledger (sendAt) and its
   * op index returned; a read returns a negative op (readOp: its ledger.reads index, if logged).
   */
  next(w: CommandWriter, ledger: Ledger, sendAt: number): number;
  /** mixed: the op whose value a GET reply carries (MISSING for nil, MALFORMED otherwise). */
  decodeRead?(v: Buffer | null): number;
  /** Keys + values of the acknowledged writes, bytes (the logical data size). */
  logicalBytes(ledger: Ledger): number;
  /** Reads everything the ledger could have written from a recovered server. */
  readBack(conn: RespConnection, ledger: Ledger): Promise<ReadBack>;
}
