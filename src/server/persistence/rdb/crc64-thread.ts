/**
 * The CRC-64 of a large RDB file on a worker thread, while the main thread parses it: the
 * checksum was a fifth of loading 1M keys of random values (~0.5 s of 2.4 s on the 2-core
 * VM), and redis-server's load is the bar. The worker reads the file itself, through the
 * loader's fd with positioned reads (pread: no shared file offset), into a buffer of its own.
 * It runs the source of crcTables/crcUpdate (self-contained functions), so this works the
 * same from the compiled modules and from the server bundle.
 */
import { crcTables, crcUpdate, PRIME_CALLS } from './crc64.js';

const SOURCE = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const crcTables = ${crcTables.toString()};
const crcUpdate = ${crcUpdate.toString()};
const [tLo, tHi] = crcTables();
// primeCrcUpdate's loop (crc64.ts), written out: a function that calls another is not self-contained once bundled
for (let i = 0; i < ${PRIME_CALLS}; i++) crcUpdate(new Uint32Array(2), Buffer.alloc(15), 0, 15, tLo, tHi);
const state = new Uint32Array(2);
const { fd, length } = workerData;
const buf = Buffer.allocUnsafe(1 << 20);
for (let at = 0; at < length; ) {
  const got = fs.readSync(fd, buf, 0, Math.min(buf.length, length - at), at);
  if (got === 0) throw new Error('the file shrank while being read');
  crcUpdate(state, buf, 0, got, tLo, tHi);
  at += got;
}
parentPort.postMessage([state[0], state[1]]);
`;

/** Below this a thread's start costs more than the checksum it takes off the main thread. */
export const THREAD_CRC_MIN_BYTES = 8 << 20;

/** A running checksum of a file's first `length` bytes; `result` resolves to its 64-bit value. */
export interface ThreadCrc {
  readonly length: number;
  readonly result: Promise<bigint>;
  /** Stops the thread (the load failed or no longer needs it); resolves once it has stopped reading. */
  cancel(): Promise<void>;
}

/** Starts the CRC-64 of the first `length` bytes of the file open as `fd` on a thread. */
export function crc64InThread(fd: number, length: number): ThreadCrc {
  // Loaded here, not at start-up (~1 ms of it): most starts have no large file to check.
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const worker = new Worker(SOURCE, { eval: true, workerData: { fd, length } });
  const result = new Promise<bigint>((resolve, reject) => {
    worker.once('message', ([lo, hi]: [number, number]) => resolve((BigInt(hi) << 32n) | BigInt(lo)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`checksum thread exited (${code})`)));
  });
  result.catch(() => {});
  return { length, result, cancel: () => worker.terminate().then(() => undefined) };
}
