/**
 * A load for latency windows: SETs over random keys of a preloaded dataset (`p:0..keys-1`),
 * so the dataset keeps its size while latency is measured. Values as the preload wrote them
 * (random or repetitive). Nothing is read back: it measures latency, not loss.
 */
import { Rng } from '../../shared/prng.js';
import type { ValueKind } from './preload.js';
import { commandHead } from './resp-writer.js';
import { ValueCodec } from './values.js';
import type { Workload } from './workload.js';

const SET = commandHead(3, 'SET');

export function overwritePreloaded(keys: number, valueSize: number, values: ValueKind, seed: number): Workload {
  const rng = new Rng(seed);
  const codec = new ValueCodec(seed, valueSize);
  const same = Buffer.alloc(valueSize, 'x');
  return {
    kind: 'overwrite',
    ledgerOptions: {},
    readShare: 0,
    next(w, ledger, sendAt) {
      const op = ledger.add(0, sendAt);
      w.raw(SET);
      w.argNum('p:', rng.int(keys));
      if (values === 'random') codec.write(w, op);
      else w.argParts('', same, 0, valueSize);
      return op;
    },
    logicalBytes: () => 0,
    readBack: () => Promise.reject(new Error('internal: a latency window reads nothing back')),
  };
}
