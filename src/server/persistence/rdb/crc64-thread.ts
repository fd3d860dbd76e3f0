/**
 * The CRC-64 of a large RDB file on a worker thread, while the main thread parses it: the
 * checksum was a fifth of loading 1M keys of random values (~0.5 s of 2.4 s on the 2-core
 * VM), and redis-server's load is the bar. The file must be in a SharedArrayBuffer
 * (readShared), so the worker reads the same bytes without a copy. The worker runs the
 * source of crcTables/crcUpdate (self-contained functions), so this works the same from
 * the compiled modules and from the server bundle.
 */
import fs from 'node:fs';
import { crcTables, crcUpdate } from './crc64.js';

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const crcTables = ${crcTables.toString()};
const crcUpdate = ${crcUpdate.toString()};
const [tLo, tHi] = crcTables();
const state = new Uint32Array(2);
crcUpdate(state, new Uint8Array(workerData.buffer, workerData.offset, workerData.length), 0, workerData.length, tLo, tHi);
parentPort.postMessage([state[0], state[1]]);
`;

/** Below this a thread's start costs more than the checksum it takes off the main thread. */
export const THREAD_CRC_MIN_BYTES = 8 << 20;

/** A running checksum of buf[0, length); `result` resolves to its 64-bit value. */
export interface ThreadCrc {
  readonly length: number;
  readonly result: Promise<bigint>;
  /** Stops the thread (the load failed or no longer needs it). */
  cancel(): void;
}

/** Starts the CRC-64 of buf[0, length) on a thread; null when buf is not shared memory. */
export function crc64InThread(buf: Buffer, length: number): ThreadCrc | null {
  if (!(buf.buffer instanceof SharedArrayBuffer)) return null;
  // Loaded here, not at start-up (~1 ms of it): most starts have no large file to check.
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const worker = new Worker(SOURCE, { eval: true, workerData: { buffer: buf.buffer, offset: buf.byteOffset, length } });
  const result = new Promise<bigint>((resolve, reject) => {
    worker.once('message', ([lo, hi]: [number, number]) => resolve((BigInt(hi) << 32n) | BigInt(lo)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`checksum thread exited (${code})`)));
  });
  result.catch(() => {}).finally(() => void worker.terminate());
  return { length, result, cancel: () => void worker.terminate() };
}

/** A whole file in shared memory (for crc64InThread), or in an ordinary Buffer when small. */
export function readShared(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size < THREAD_CRC_MIN_BYTES) return fs.readFileSync(fd);
    const buf = Buffer.from(new SharedArrayBuffer(size));
    let n = 0;
    while (n < size) {
      const got = fs.readSync(fd, buf, n, size - n, n);
      if (got === 0) break;
      n += got;
    }
    return n === size ? buf : buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}
