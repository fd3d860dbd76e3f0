import { Keyspace } from '../server/keyspace.js';
import { encodeKeyspace, loadRdbInto } from '../server/persistence/rdb/index.js';
import { collectionsOf, keyspaceOf } from './data.js';
import { sink, type MicroSuite } from './types.js';

const KEYS = 100_000;
const COLLECTIONS = 10_000;
const AUX = { 'redis-ver': '7.0.0', ctime: '0' };

/** A whole-dataset RDB save and load: 100k keys × 100 B values (about 12 MB). */
export const rdbCodec: MicroSuite = {
  name: 'rdb',
  description: `encodeKeyspace / loadRdbInto of ${KEYS / 1000}k keys × 100 B; encodeKeyspace of ${COLLECTIONS / 1000}k each of small hashes, sets, sorted sets, lists`,
  // ~50–200 ms per call: a few iterations give a median without a minute-long run.
  options: { iterations: 5, warmupIterations: 1, warmupTime: 0 },
  register(bench) {
    // Built on first use (a task's beforeAll, outside the timing), so a --filter that
    // skips this suite does not pay for a 100k-key dataset.
    let data: { ks: Keyspace; file: Buffer } | null = null;
    let collections: Keyspace | null = null;
    const prepare = () => {
      if (data === null) {
        const ks = keyspaceOf(KEYS, 100, 17);
        data = { ks, file: encodeKeyspace(ks, AUX) };
      }
    };
    bench
      .add(`rdb/encode ${KEYS / 1000}k keys`, () => {
        sink.n += encodeKeyspace(data!.ks, AUX).length;
      }, { async: false, beforeAll: prepare })
      .add(`rdb/load ${KEYS / 1000}k keys`, () => {
        const into = new Keyspace();
        loadRdbInto(data!.file, into);
        sink.n += into.size;
      }, { async: false, beforeAll: prepare })
      .add(`rdb/encode ${(4 * COLLECTIONS) / 1000}k small collections`, () => {
        sink.n += encodeKeyspace(collections!, AUX).length;
      }, { async: false, beforeAll: () => void (collections ??= collectionsOf(COLLECTIONS, 23)) });
  },
};
