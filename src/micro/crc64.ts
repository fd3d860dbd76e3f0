import { crc64 } from '../server/persistence/rdb/crc64.js';
import { prng } from './data.js';
import { sink, type MicroSuite } from './types.js';

/** The RDB checksum: every byte of every snapshot goes through it. */
export const crc64Suite: MicroSuite = {
  name: 'crc64',
  description: 'crc64 (Jones, slice-by-8) over 64 KiB and 1 MiB',
  register(bench) {
    const rand = prng(19);
    const mk = (n: number) => {
      const b = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
      return b;
    };
    const small = mk(64 * 1024);
    const large = mk(1024 * 1024);
    bench
      .add('crc64/64 KiB', () => {
        sink.n += Number(crc64(small) & 1n);
      }, { async: false })
      .add('crc64/1 MiB', () => {
        sink.n += Number(crc64(large) & 1n);
      }, { async: false });
  },
};
