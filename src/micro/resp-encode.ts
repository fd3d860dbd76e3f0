import { bulk, bulkArray, encodeCommand } from '../server/resp/encoder.js';
import { prng, value } from './data.js';
import { batched, sink, type MicroSuite } from './types.js';

/** Replies and commands as RESP strings. */
export const respEncode: MicroSuite = {
  name: 'resp-encode',
  description: 'encoder.ts: encodeCommand, bulk, bulkArray',
  register(bench) {
    const rand = prng(11);
    const v100 = value(rand, 100);
    // Different inputs on each call, so the optimizer cannot fold a constant reply.
    const pool = Array.from({ length: 64 }, () => value(rand, 100));
    let i = 0;
    const argv = ['SET', 'key:123456', v100];
    const items = Array.from({ length: 10 }, () => value(rand, 100));
    bench
      .add('resp-encode/encodeCommand SET 100 B', batched(() => {
        sink.n += flat(encodeCommand(argv));
      }, 1000), { async: false })
      .add('resp-encode/bulk 100 B', batched(() => {
        sink.n += flat(bulk(pool[i++ & 63]!));
      }, 1000), { async: false })
      .add('resp-encode/bulkArray 10 × 100 B', batched(() => {
        sink.n += flat(bulkArray(items));
      }, 100), { async: false });
  },
};

/**
 * V8 builds `a + b` as a lazy rope; reading a char flattens it, the cost the server pays
 * when the reply is written to the socket. Without this, "encoding" would measure nothing.
 */
export function flat(s: string): number {
  return s.charCodeAt(s.length >> 1);
}
