/**
 * What the main thread (thread-encoder.ts) and the RDB encoding thread (encode-thread.ts) say
 * to each other. Apart from the thread's module, so that the server does not load the thread's
 * code, or node:worker_threads, at start-up (inside every recovery time measured).
 */
import type { TableMemory } from '../../store/table-view.js';

/** The main thread's messages. */
export type ToEncodeThread =
  | { id: number; kind: 'begin'; compress: boolean; checksum: boolean; chunkSize: number }
  | { id: number; kind: 'data'; batches: Uint8Array[] }
  /** The snapshot of a table begins (snapshot.ts TableReader.attach): entries below `end` whose claim is OPEN. */
  | { id: number; kind: 'table'; memory: TableMemory; end: number; claims: Uint8Array }
  /**
   * Encode the table's string entries numbered in [from, to) but those skipped. `spare`:
   * written chunks back for the thread's pool, so that a save circulates one set of buffers
   * instead of the thread allocating every chunk and the main thread leaving each to its GC.
   */
  | { id: number; kind: 'range'; from: number; to: number; spare: Uint8Array[] }
  | { id: number; kind: 'end' }
  | { id: number; kind: 'abort' };

/**
 * The thread's replies: encoded chunks in file order, input bytes taken in since the last
 * reply, ranges finished and the keys they held; `done` after the footer.
 */
export type FromEncodeThread =
  | { id: number; out: Uint8Array[]; consumed: number; ranges: number; keys: number; done: boolean }
  | { id: number; error: string };

/** The thread's first message: it has started and compiled its code (id 0: no save's). */
export interface EncodeThreadReady {
  id: 0;
  ready: true;
}

/** What workerData says to a thread started by thread-encoder.ts (so that importing encode-thread.ts elsewhere starts nothing). */
export const ENCODE_THREAD_MARK = 'durabench-rdb-encode-thread';
