import { lzfCompress, lzfDecompress } from '../server/persistence/rdb/lzf.js';
import { compressibleText, prng } from './data.js';
import { sink, type MicroSuite } from './types.js';

/** LZF as the RDB writer uses it for strings longer than 20 bytes. */
export const lzfSuite: MicroSuite = {
  name: 'lzf',
  description: 'lzfCompress / lzfDecompress of 16 KiB text-like data',
  register(bench) {
    const input = compressibleText(prng(23), 16 * 1024);
    const packed = lzfCompress(input);
    if (packed === null) throw new Error('lzf micro-benchmark: test data did not compress');
    const copy = Buffer.from(packed);
    bench
      .add('lzf/compress 16 KiB', () => {
        sink.n += lzfCompress(input)?.length ?? 0;
      }, { async: false })
      .add('lzf/decompress 16 KiB', () => {
        sink.n += lzfDecompress(copy, input.length).length;
      }, { async: false });
  },
};
