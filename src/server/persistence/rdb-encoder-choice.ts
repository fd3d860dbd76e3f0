/**
 * Which RDB encoder a save gets (`snapshot-encoder auto|thread|main`): the factory every
 * BGSAVE, AOF rewrite base and the idle warm-up make their encoder with.
 */
import type { Config } from '../config.js';
import type { EncoderFactory } from './background-save.js';
import { defaultAux, RdbEncoder } from './rdb/index.js';
import { ThreadRdbEncoder } from './rdb/thread-encoder.js';

let coreCount = 0;
/**
 * The machine's cores, asked once: INFO (polled every 10 ms by the harness) reports the
 * encoder's choice. node:os is loaded at first use, not at start-up (inside every recovery time).
 */
function cores(): number {
  if (coreCount === 0) coreCount = process.getBuiltinModule('node:os').availableParallelism();
  return coreCount;
}

/**
 * Whether a copy-on-write RDB save encodes on its own thread (rdb/thread-encoder.ts): with
 * `auto`, wherever there is a second core. The thread reads the table's shared memory (the
 * main thread only hands out ranges of entries) and a write never waits for it
 * (entry-claims.ts), so the main thread stays as idle between requests as redis-server's.
 * On the 2-core VM, 16 clients at 20k SET/s, `durabench run quick --modes rdb --preload
 * 100000 --rate 20000` (saves every few seconds): p99 1.7-2.6 ms on the thread, 2.6-3.7 on the
 * main thread, redis-server 1.1-2.0; bench:latency (one BGSAVE per window) meets its goals
 * both ways (1M keys: p99 ÷ 0.28 thread, 0.17 main). The thread costs ~15 MB RSS (its
 * isolate) and more CPU in all (1M keys: 1.4 s of it, niced, against 0.6 s of the main
 * thread's). On one core the thread could only take turns with the main thread: main.
 */
export function encodesOnThread(cfg: Config): boolean {
  const how = cfg.get('snapshot-encoder');
  return how === 'thread' || (how === 'auto' && cores() >= 2);
}

/**
 * The encoder factory of an RDB save, decided when the save starts: on the thread when
 * encodesOnThread (and the save streams: `events`), else on the main thread. `extra`: more
 * AUX fields (an AOF base says `aof-base`).
 */
export function rdbEncoderFactory(cfg: Config, extra: Record<string, string> = {}): EncoderFactory {
  return (sink, pool, events) => {
    const compress = cfg.yes('rdbcompression');
    if (events !== undefined && pool !== undefined && encodesOnThread(cfg)) return new ThreadRdbEncoder(sink, pool, events, { compress, aux: defaultAux(extra) });
    const e = new RdbEncoder(sink, { compress, pool });
    e.header(defaultAux(extra));
    return e;
  };
}
