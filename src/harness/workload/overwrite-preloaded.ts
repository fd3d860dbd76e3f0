/**
 * A load for latency windows: SETs over random keys of a preloaded dataset (`p:0..keys-1`),
 * so the dataset keeps its size while latency is measured. Nothing is read back: it measures
 * latency, not loss.
 */
import { Rng } from '../../shared/prng.js';
import type { ValueKind } from './preload.js';
import { type CommandWriter, commandHead } from './resp-writer.js';
import { ValueCodec } from './values.js';
import type { Workload } from './workload.js';

const SET = commandHead(3, 'SET');

/** SETs over random keys of `p:0..keys-1`; `writeValue` writes the value argument of operation `op`. */
export function overwriteKeys(keys: number, seed: number, writeValue: (w: CommandWriter, op: number) => void): Workload {
  const rng = new Rng(seed);
  return {
    kind: 'overwrite',
    ledgerOptions: {},
    readShare: 0,
    next(w, ledger, sendAt) {
      const op = ledger.add(0, sendAt);
      w.raw(SET);
      w.argNum('p:', rng.int(keys));
      writeValue(w, op);
      return op;
    },
    logicalBytes: () => 0,
    readBack: () => Promise.reject(new Error('internal: a latency window reads nothing back')),
  };
}

/** Values as the preload wrote them (random or repetitive). */
export function overwritePreloaded(keys: number, valueSize: number, values: ValueKind, seed: number): Workload {
  if (values !== 'random') {
    const same = Buffer.alloc(valueSize, 'x');
    return overwriteKeys(keys, seed, (w) => w.argParts('', same, 0, valueSize));
  }
  const codec = new ValueCodec(seed, valueSize);
  return overwriteKeys(keys, seed, (w, op) => codec.write(w, op));
}
