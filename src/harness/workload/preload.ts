/**
 * Fills `count` keys (`p:<i>`) before the measured phase, pipelined in batches with a few
 * batches in flight. Returns the logical bytes written (keys + values). Values are the
 * harness's random ones (incompressible, the default) or one repeated byte (`repetitive`:
 * what redis-benchmark sends; LZF shrinks it, so it flatters RDB size and load time).
 */
import { RunError } from '../../shared/errors.js';
import { keyName } from './generators.js';
import { infoNumber, parseInfo } from '../measure/info.js';
import { replyText, type RespConnection } from './resp-connection.js';
import { RespError } from './resp-reader.js';
import type { CommandWriter } from './resp-writer.js';
import { ValueCodec } from './values.js';

const BATCH = 1000;
const WINDOW = 4;

/**
 * Kinds of value: `random` the harness's seeded incompressible values (ValueCodec, as every trial
 * writes them), `repetitive` one repeated byte (what redis-benchmark sends: LZF shrinks it to
 * almost nothing).
 */
export type ValueKind = 'random' | 'repetitive';
/** Random first: the main row of a side-by-side bench (realistic data); repetitive second, for redis-benchmark's figures. */
export const VALUE_KINDS: readonly ValueKind[] = ['random', 'repetitive'];

export async function preload(conn: RespConnection, count: number, valueSize: number, seed: number, values: ValueKind = 'random'): Promise<number> {
  const codec = new ValueCodec(seed ^ 0x7f4a7c15, valueSize);
  const same = Buffer.alloc(valueSize, 'x');
  let bytes = 0;
  await fillKeys(conn, count, (w, i) => {
    if (values === 'random') codec.write(w, i);
    else w.argParts('', same, 0, valueSize);
    bytes += keyName.preload(i).length + (values === 'random' ? codec.length(i) : valueSize);
  });
  return bytes;
}

/** SETs p:0..count-1, each value's bytes from `writeValue`: batches of BATCH, WINDOW of them in flight. */
export async function fillKeys(conn: RespConnection, count: number, writeValue: (w: CommandWriter, i: number) => void): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const from = next;
      const to = Math.min(count, from + BATCH);
      next = to;
      const r = await conn.batch(to - from, (w) => {
        for (let i = from; i < to; i++) {
          w.begin(3);
          w.arg('SET');
          w.argNum('p:', i);
          writeValue(w, i);
        }
      });
      if (r.errors > 0) throw new RunError(`preload: the server refused ${r.errors} SETs: ${r.firstError}`);
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, worker));
}

/**
 * `BGSAVE` (a snapshot on disk holds the whole preload) or `BGREWRITEAOF` (the AOF's base
 * does), and wait until it and anything scheduled behind it finished. A save point or an
 * automatic AOF rewrite may already have started one in the middle of the preload: it holds
 * only part of the preload, so wait for it to end and start ours after. Without ours, the
 * AOF rewrite the preload set off ran into the measured writes, one more right after it
 * (the first base held half the preload, so the AOF had doubled again): 1M keys at 20k
 * writes/s, the built-in server's p99 went to 564 ms with the second rewrite in the window.
 */
export async function snapshotAndWait(conn: RespConnection, command: 'BGSAVE' | 'BGREWRITEAOF', timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const idle = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const info = parseInfo(replyText(await conn.call('INFO', 'persistence')));
      if (infoNumber(info, 'rdb_bgsave_in_progress') === 0 && infoNumber(info, 'aof_rewrite_in_progress') !== 1 && infoNumber(info, 'aof_rewrite_scheduled') !== 1) return;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new RunError(`the ${command} after the preload did not finish in time`);
  };
  for (;;) {
    const r = await conn.send([command]);
    if (!(r instanceof RespError)) break;
    // "already in progress" (a save point's, an automatic rewrite's) or the other kind running
    // ("Another child process is active"): wait and ask again
    if (!/in progress|another child process is active/i.test(r.message)) throw new RunError(`${command} after the preload refused: ${r.message}`);
    await idle();
  }
  await idle();
  const info = parseInfo(replyText(await conn.call('INFO', 'persistence')));
  const field = command === 'BGSAVE' ? 'rdb_last_bgsave_status' : 'aof_last_bgrewrite_status';
  const status = info[field];
  if (status !== undefined && status !== 'ok') throw new RunError(`the ${command} after the preload failed (${field}:${status})`);
}
