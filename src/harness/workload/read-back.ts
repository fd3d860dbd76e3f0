/**
 * Reading a recovered server back, in pages (MGET 256 keys, LRANGE 1000 elements) with a few
 * pages in flight, so replies stay small and millions of keys read back in seconds.
 */
import { RespError, type Reply } from './resp-reader.js';
import { replyInt, type RespConnection } from './resp-connection.js';
import { MALFORMED, MISSING } from './values.js';

const PAGE = 256;
const LIST_PAGE = 1000;
const WINDOW = 8;

/** Runs tasks 0..n-1 with at most `window` in flight. */
async function windowed(n: number, window: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(window, n) }, worker));
}

/** MGETs names(0..n-1); onValue(i, value) with value a Buffer or null. */
export async function mgetAll(
  conn: RespConnection,
  n: number,
  name: (i: number) => string,
  onValue: (i: number, v: Buffer | null) => void,
): Promise<void> {
  await windowed(Math.ceil(n / PAGE), WINDOW, async (page) => {
    const from = page * PAGE;
    const to = Math.min(n, from + PAGE);
    const args: string[] = ['MGET'];
    for (let i = from; i < to; i++) args.push(name(i));
    const r = await conn.call(...args);
    if (!Array.isArray(r) || r.length !== to - from) throw new Error(`MGET returned ${Array.isArray(r) ? r.length : typeof r} values for ${to - from} keys`);
    for (let i = from; i < to; i++) {
      const v = r[i - from];
      onValue(i, Buffer.isBuffer(v) ? v : null);
    }
  });
}

/** How many of names(0..n-1) exist. */
export async function countExisting(conn: RespConnection, n: number, name: (i: number) => string): Promise<number> {
  let total = 0;
  await windowed(Math.ceil(n / PAGE), WINDOW, async (page) => {
    const from = page * PAGE;
    const to = Math.min(n, from + PAGE);
    const args: string[] = ['EXISTS'];
    for (let i = from; i < to; i++) args.push(name(i));
    const present = replyInt(await conn.call(...args));
    total += present; // (not `total += await ...`: that reads total before the await)
  });
  return total;
}

export async function dbsize(conn: RespConnection): Promise<number> {
  return replyInt(await conn.call('DBSIZE'));
}

/** Every list's elements, decoded with decode(); a key of the wrong type reads as [MALFORMED]. */
export async function readLists(
  conn: RespConnection,
  n: number,
  name: (i: number) => string,
  decode: (v: Buffer) => number,
): Promise<Int32Array[]> {
  const lists: Int32Array[] = new Array(n);
  await windowed(n, WINDOW, async (i) => {
    const len = await conn.send(['LLEN', name(i)]);
    if (len instanceof RespError || typeof len !== 'number') {
      lists[i] = Int32Array.of(MALFORMED);
      return;
    }
    const out = new Int32Array(len);
    for (let from = 0; from < len; from += LIST_PAGE) {
      const r: Reply = await conn.call('LRANGE', name(i), from, Math.min(len, from + LIST_PAGE) - 1);
      if (!Array.isArray(r)) throw new Error(`LRANGE returned ${typeof r}`);
      for (let j = 0; j < r.length && from + j < len; j++) {
        const v = r[j];
        out[from + j] = Buffer.isBuffer(v) ? decode(v) : MALFORMED;
      }
    }
    lists[i] = out;
  });
  return lists;
}

export { MISSING, MALFORMED };
