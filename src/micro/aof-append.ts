import { encodeCommand } from '../server/resp/encoder.js';
import { prng, value } from './data.js';
import { flat } from './resp-encode.js';
import { batched, sink, type MicroSuite } from './types.js';

/**
 * What the AOF pays per event-loop turn before write(): the turn's commands encoded into one
 * string, then into one Buffer for the file (Redis's feedAppendOnlyFile into aof_buf).
 */
export const aofAppend: MicroSuite = {
  name: 'aof-append',
  description: 'AOF buffer: encodeCommand of SET commands into one string and one Buffer',
  register(bench) {
    const rand = prng(13);
    const cmds = Array.from({ length: 1000 }, (_, i) => ['SET', `key:${i}`, value(rand, 100)]);
    const first16 = cmds.slice(0, 16);
    bench
      .add('aof-append/16 SETs → string', batched(() => {
        let buf = '';
        for (const c of first16) buf += encodeCommand(c);
        sink.n += flat(buf);
      }, 20), { async: false })
      .add('aof-append/1000 SETs → Buffer', () => {
        let buf = '';
        for (const c of cmds) buf += encodeCommand(c);
        sink.n += Buffer.from(buf, 'latin1').length;
      }, { async: false });
  },
};
