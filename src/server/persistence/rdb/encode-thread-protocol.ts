/**
 * What the main thread (thread-encoder.ts) and the RDB encoding thread (encode-thread.ts) say
 * to each other. Apart from the thread's module, so that the server does not load the thread's
 * code, or node:worker_threads, at start-up (inside every recovery time measured).
 */
/** The main thread's messages. */
export type ToEncodeThread =
  | { id: number; kind: 'begin'; compress: boolean; checksum: boolean; chunkSize: number }
  | { id: number; kind: 'data'; batches: Uint8Array[] }
  | { id: number; kind: 'end' }
  | { id: number; kind: 'abort' };

/** The thread's replies: encoded chunks in file order, input bytes taken in since the last reply; `done` after the footer. */
export type FromEncodeThread = { id: number; out: Uint8Array[]; consumed: number; done: boolean } | { id: number; error: string };

/** What workerData says to a thread started by thread-encoder.ts (so that importing encode-thread.ts elsewhere starts nothing). */
export const ENCODE_THREAD_MARK = 'durabench-rdb-encode-thread';
