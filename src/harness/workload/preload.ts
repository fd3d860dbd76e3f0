/**
 * Fills `count` keys (`p:<i>`) before the measured phase, pipelined in batches with a few
 * batches in flight. Returns the logical bytes written (keys + values).
 */
import { RunError } from '../../shared/errors.js';
import { keyName } from './generators.js';
import { infoNumber, parseInfo } from '../measure/info.js';
import { replyText, type RespConnection } from './resp-connection.js';
import { ValueCodec } from './values.js';

const BATCH = 1000;
const WINDOW = 4;

export async function preload(conn: RespConnection, count: number, valueSize: number, seed: number): Promise<number> {
  const codec = new ValueCodec(seed ^ 0x7f4a7c15, valueSize);
  let next = 0;
  let bytes = 0;
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
          codec.write(w, i);
          bytes += keyName.preload(i).length + codec.length(i);
        }
      });
      if (r.errors > 0) throw new RunError(`preload: the server refused ${r.errors} SETs: ${r.firstError}`);
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, worker));
  return bytes;
}

/** BGSAVE and wait until it finished, so the snapshot on disk holds the preload. */
export async function snapshotAndWait(conn: RespConnection, timeoutMs: number): Promise<void> {
  await conn.send(['BGSAVE']);
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const info = parseInfo(replyText(await conn.call('INFO', 'persistence')));
    if (infoNumber(info, 'rdb_bgsave_in_progress') === 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new RunError('the BGSAVE after the preload did not finish in time');
}
