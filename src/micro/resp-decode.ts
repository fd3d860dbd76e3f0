import { RequestDecoder, type DecoderLimits } from '../server/resp/decoder.js';
import { encodeCommand } from '../server/resp/encoder.js';
import { prng, value } from './data.js';
import { batched, sink, type MicroSuite } from './types.js';

const LIMITS: DecoderLimits = {
  maxBulkLen: 512 * 1024 * 1024,
  maxQueryBuffer: 1024 * 1024 * 1024,
  isAuthenticated: () => true,
};

/** Client requests → argv, the first thing every write pays for. */
export const respDecode: MicroSuite = {
  name: 'resp-decode',
  description: 'RequestDecoder: RESP multibulk requests to argv',
  register(bench) {
    const rand = prng(7);
    const one = Buffer.from(encodeCommand(['SET', 'key:123456', value(rand, 100)]), 'latin1');
    let batch = '';
    for (let i = 0; i < 100; i++) batch += encodeCommand(['SET', `key:${i}`, value(rand, 100)]);
    const pipelined = Buffer.from(batch, 'latin1');
    const chunks: Buffer[] = [];
    for (let i = 0; i < pipelined.length; i += 1460) chunks.push(pipelined.subarray(i, i + 1460));
    const big = Buffer.from(encodeCommand(['SET', 'big', value(rand, 64 * 1024)]), 'latin1');

    let count = 0;
    const dec = new RequestDecoder((argv) => {
      count += argv.length;
    }, LIMITS);

    bench
      .add('resp-decode/SET 100 B', batched(() => dec.feed(one), 100), { async: false })
      .add('resp-decode/100 pipelined SETs', () => {
        dec.feed(pipelined);
      }, { async: false })
      .add('resp-decode/100 SETs in 1460 B segments', () => {
        for (const c of chunks) dec.feed(c);
      }, { async: false })
      .add('resp-decode/SET 64 KiB', () => {
        dec.feed(big);
      }, { async: false, afterAll: () => void (sink.n += count) });
  },
};
