/**
 * A snapshot's byte per entry (CowSnapshot's `claims`), shared with the thread that reads the
 * table (encode-thread.ts): who gives entry e's value at the snapshot instant. The thread
 * claims an entry before it reads it; a write to an entry not yet read claims it first and
 * keeps the old value itself. So a write waits for the thread only on the one entry the
 * thread is reading at that moment (about a microsecond), never for a range to be read: on
 * 2 cores, waiting for a thread of lower priority was itself a stall of 6 ms.
 */
/** To be read from the table. */
export const OPEN = 0;
/** Not to be read from the table: copy-on-write kept it, or the main thread emitted it. */
export const TAKEN = 1;
/** The reading thread holds it: a write waits until READ. */
export const READING = 2;
/** Read by the thread: a write may change it. */
export const READ = 3;
