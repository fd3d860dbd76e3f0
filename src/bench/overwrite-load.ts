/**
 * The load bench:latency and bench:gc put on a server: keys p:0..N-1 preloaded, then SETs
 * overwriting random ones (the dataset keeps its size while it is measured), 100-byte values
 * cut from a pool of random alphanumerics (LZF cannot shrink them) or of one repeated byte.
 */
import type { RespConnection } from '../harness/workload/resp-connection.js';
import { fillKeys, type ValueKind } from '../harness/workload/preload.js';
import type { CommandWriter } from '../harness/workload/resp-writer.js';
import { overwriteKeys } from '../harness/workload/overwrite-preloaded.js';
import type { Workload } from '../harness/workload/workload.js';
import { Rng } from '../shared/prng.js';

export const VALUE_SIZE = 100;

/** Value bytes: a pool of random alphanumerics or one repeated byte. */
export function valuePool(kind: ValueKind, seed: number): Buffer {
  const pool = Buffer.alloc(8192 + VALUE_SIZE, 'x');
  if (kind === 'repetitive') return pool;
  const rng = new Rng(seed);
  const abc = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  for (let i = 0; i < pool.length; i++) pool[i] = abc.charCodeAt(rng.int(abc.length));
  return pool;
}

function writeValue(w: CommandWriter, pool: Buffer, i: number): void {
  const off = (Math.imul(i, 0x9e3779b1) >>> 0) % 8192;
  w.argParts('', pool, off, off + VALUE_SIZE);
}

/** SETs over random preloaded keys, values cut from `pool`. */
export function overwrite(keys: number, pool: Buffer, seed: number): Workload {
  return overwriteKeys(keys, seed, (w, op) => writeValue(w, pool, op));
}

/** Sets p:0..n-1 (the harness's fill: four batches of 1,000 in flight), values cut from `pool`. */
export function preloadKeys(conn: RespConnection, n: number, pool: Buffer): Promise<void> {
  return fillKeys(conn, n, (w, i) => writeValue(w, pool, i));
}
