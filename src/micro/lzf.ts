import { lzfCompress, lzfCompressInto, lzfDecompress } from '../server/persistence/rdb/lzf.js';
import { compressibleText, prng, value } from './data.js';
import { sink, type MicroSuite } from './types.js';

/** LZF as the RDB writer uses it for strings longer than 20 bytes. */
export const lzfSuite: MicroSuite = {
  name: 'lzf',
  description: 'lzfCompress / lzfDecompress of 16 KiB text-like data; the failing attempt on 100-byte random values a save makes',
  register(bench) {
    const rand = prng(23);
    const input = compressibleText(rand, 16 * 1024);
    const packed = lzfCompress(input);
    if (packed === null) throw new Error('lzf micro-benchmark: test data did not compress');
    const copy = Buffer.from(packed);
    // 1,000 random 100-byte values, tried as a save tries a string (limit n - 4): LZF fails on each.
    const randoms = Buffer.from(Array.from({ length: 1000 }, () => value(rand, 100)).join(''), 'latin1');
    const out = Buffer.alloc(100);
    let at = 0;
    bench
      .add('lzf/compress 16 KiB', () => {
        sink.n += lzfCompress(input)?.length ?? 0;
      }, { async: false })
      .add('lzf/decompress 16 KiB', () => {
        sink.n += lzfDecompress(copy, input.length).length;
      }, { async: false })
      .add('lzf/compress 100 B random (fails)', () => {
        at = at === 99_900 ? 0 : at + 100;
        sink.n += lzfCompressInto(randoms, at, at + 100, out, 0, 96);
      }, { async: false });
  },
};
