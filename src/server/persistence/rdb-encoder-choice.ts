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
 * Whether a copy-on-write RDB save encodes on its own thread (rdb/thread-encoder.ts). On the
 * thread a 1M-key BGSAVE of random values takes 0.4-0.5 s of the main thread instead of
 * 1.4-1.5 s (all threads: 2.0-2.3 s instead of 1.6 s). But on 2 cores, with clients on the
 * same machine, the thread, the clients and the main thread are more than the cores: the
 * kernel then takes the main thread off its core for whole time slices, where main-thread
 * steps give way to clients every fraction of a millisecond. 16 clients at 20k SET/s, 100k
 * keys, BGSAVEs after the first: p99 1.5-34 ms on the main thread, 6-228 ms with the thread.
 * (Measured while the main thread still copied each key out to the thread. Since the thread
 * reads the table's shared memory, `durabench run quick --modes rdb --preload 100000 --rate
 * 20000` on 2 cores gives p99 1.3-2.2 ms with the thread, 2.1-2.9 on the main thread,
 * redis-server 0.7-2.1: a case for the thread on 2 cores too, not yet confirmed by bench:latency.)
 */
export function encodesOnThread(cfg: Config): boolean {
  const how = cfg.get('snapshot-encoder');
  return how === 'thread' || (how === 'auto' && cores() > 2);
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
