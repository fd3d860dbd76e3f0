import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, objectEncoding, setEncodingLimits } from '../../../src/server/encoding.js';
import type { Value } from '../../../src/server/keyspace.js';
import * as T from '../../../src/server/persistence/rdb/constants.js';
import { IntsetBuilder, intsetMembers } from '../../../src/server/persistence/rdb/intset.js';
import { listpackEntries } from '../../../src/server/persistence/rdb/listpack.js';
import { EMPTY, loadObject } from '../../../src/server/persistence/rdb/load-object.js';
import { ObjectWriter } from '../../../src/server/persistence/rdb/object-writer.js';
import { quicklistNodes } from '../../../src/server/persistence/rdb/quicklist.js';
import { RdbReader } from '../../../src/server/persistence/rdb/reader.js';
import { RdbWriter } from '../../../src/server/persistence/rdb/writer.js';
import { lzfDecompress } from '../../../src/server/persistence/rdb/lzf.js';
import { quicklistLayout } from '../../helpers/rdb-compare.js';
import { harness } from '../server/commands/harness.js';
import { plain } from './fixtures.js';

/** rdbSaveObjectType + rdbSaveObject of v, as our writer makes them (LZF of strings off unless asked). */
function payload(v: Value, compress = false): Buffer {
  const chunks: Buffer[] = [];
  const w = new RdbWriter((c) => chunks.push(c), { compress });
  const ow = new ObjectWriter(w);
  const type = ow.type(v);
  w.byte(type);
  ow.write(v, type);
  w.flush();
  return Buffer.concat(chunks);
}

function reload(p: Buffer): Value {
  const r = new RdbReader(p);
  const v = loadObject(r, r.u8('type'), 'k');
  if (v === EMPTY) throw new Error('empty');
  expect(r.pos).toBe(p.length);
  return v;
}

/**
 * Payloads redis-server 7.0.15 DUMPs (rdbcompression no; version and CRC cut off) for data
 * written with these commands.
 */
const FROM_REDIS: [string, string[], string][] = [
  ['hash listpack', ['HSET', 'k', 'f', 'v', 'n', '7', 'neg', '-300', 'big', '9223372036854775807', 'e', ''],
    '102e2e0000000a00816602817602816e020701836e656704ded4028362696704f4ffffffffffffff7f098165028001ff'],
  ['zset listpack', ['ZADD', 'k', '1.5', 'a', '-2', 'b', '0.1', 'c', '1e300', 'd', 'inf', 'e', '-inf', 'f', '4611686018427387904', 'g', '4611686018427387905', 'h', '-0', 'i', '3', 'j', '100000', 'k'],
    '114086860000001600816602842d696e6605816202dffe02816902000181630293302e31303030303030303030303030303030311481610283312e3504816a020301816b02f2a0860104816702f4000000000000004009816802f400000000000000400981640297312e30303030303030303030303030303031652b3330301881650283696e6604ff'],
  ['intset int16', ['SADD', 'k', '5', '-7', '300'], '0b0e0200000003000000f9ff05002c01'],
  ['intset int32', ['SADD', 'k', '1', '70000', '-7'], '0b140400000003000000f9ffffff0100000070110100'],
  ['intset int64', ['SADD', 'k', '1', '9223372036854775807', '-9223372036854775808', '4294967296'],
    '0b280800000004000000000000000000008001000000000000000000000001000000ffffffffffffff7f'],
  ['quicklist, every listpack integer and string width',
    ['RPUSH', 'k', 'a', '1', '-1', '127', '128', '4095', '-4096', '4096', '32767', '-32768', '32768', '8388607', '-8388608', '8388608', '2147483647', '-2147483648', '2147483648', '-0', '01', '', 'x'.repeat(64)],
    '120102409e9e00000015008161020101dfff027f01c08002cfff02d00002f1001003f1ff7f03f1008003f200800004f2ffff7f04f200008004f30000800005f3ffffff7f05f30000008005f4000000800000000009822d3003823031038001e0407878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787842ff'],
];

const seq = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

/** [list-max-listpack-size, list-compress-depth, elements pushed, the nodes redis-server 7.0.15 saved]. */
const LAYOUTS: [number, number, string[], string][] = [
  [-2, 0, seq(3000, (i) => 'e' + i), '1327/8186 1168/8183 505/3542'],
  [-1, 0, seq(3000, (i) => 'e' + i), '698/4085 626/4087 583/4088 583/4088 510/3577'],
  [-5, 0, seq(30000, (i) => String(i * 7)), '14161/65525 13104/65527 2735/13682'],
  [-9, 0, seq(3000, (i) => 'e' + i), '3000/19897'], // clamped to -5
  [5, 0, seq(23, (i) => 'v' + i), '5/27 5/27 5/32 5/32 3/22'],
  [1000, 0, seq(40, (i) => 'x'.repeat(500) + i), '16/8093 16/8103 8/4055'], // the 8 KB safety limit
  [0, 0, seq(4, (i) => 'v' + i), '1/11 1/11 1/11 1/11'],
  [-2, 1, seq(3000, (i) => 'e' + i), '1327/8186 1168/8183z 505/3542'],
  [-1, 2, seq(6000, (i) => 'e' + i), '698/4085 626/4087 583/4088z 583/4088z 583/4088z 583/4088z 583/4088z 583/4088z 583/4088z 583/4088 12/91'],
  [4, 1, seq(20, (i) => (i % 3 === 0 ? 'abc'.repeat(20) : 'q' + i)), '4/139 4/81z 4/83z 4/141z 4/84'],
];

afterEach(() => setEncodingLimits(DEFAULT_LIMITS));

describe('RDB object writer: redis-server 7.0 encodings', () => {
  for (const [name, argv, hex] of FROM_REDIS) {
    it(`${name}: the bytes redis-server DUMPs`, () => {
      const h = harness();
      h.run(...argv);
      const v = h.ks.get('k')!;
      const p = payload(v);
      expect(p.toString('hex')).toBe(hex);
      // A listpack keeps a -0 score as the integer 0 (zzlInsertAt's double2ll), in Redis too.
      const want = plain(v);
      if ('zset' in want) for (const e of want.zset) e[1] += 0; // -0 + 0 is 0
      expect(plain(reload(p))).toEqual(want);
    });
  }

  for (const [fill, depth, items, nodes] of LAYOUTS) {
    it(`quicklist nodes at list-max-listpack-size ${fill}, list-compress-depth ${depth}: as redis-server splits ${items.length} RPUSHed elements`, () => {
      setEncodingLimits({ listMaxListpackSize: fill, listCompressDepth: depth });
      const h = harness();
      h.run('RPUSH', 'k', ...items);
      const p = payload(h.ks.get('k')!);
      expect(quicklistLayout(p)).toBe(nodes);
      expect(plain(reload(p))).toEqual(plain(h.ks.get('k')!));
    });
  }

  it('PLAIN nodes for elements of the packed threshold or more (DEBUG QUICKLIST-PACKED-THRESHOLD 100 on redis-server)', () => {
    const h = harness();
    expect(h.run('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '100')).toBe('+OK\r\n');
    h.run('RPUSH', 'k', 'a', 'b', 'x'.repeat(100), 'c', 'y'.repeat(99), 'z'.repeat(200), 'd');
    const p = payload(h.ks.get('k')!);
    expect(quicklistLayout(p)).toBe('2/13 P100 2/112 P200 1/10');
    expect(plain(reload(p))).toEqual(plain(h.ks.get('k')!));
    expect(h.run('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '5gb')).toMatch(/^-ERR argument must be a memory value/);
    expect(h.run('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0')).toBe('+OK\r\n');
    expect(quicklistLayout(payload(h.ks.get('k')!))).toBe('7/428');
  });

  it('compressed inner nodes decompress to the listpack they stand for', () => {
    setEncodingLimits({ listCompressDepth: 1 });
    const h = harness();
    h.run('RPUSH', 'k', ...seq(3000, (i) => 'e' + i));
    const r = new RdbReader(payload(h.ks.get('k')!));
    r.u8('type');
    r.count('nodes');
    r.len('container');
    r.blob('head');
    r.len('container');
    expect(r.u8('encoding')).toBe(0xc0 | T.RDB_ENC_LZF);
    const clen = r.len('clen');
    const len = r.len('len');
    const lp = lzfDecompress(r.raw(clen, 'lzf'), len);
    expect(listpackEntries(lp)).toEqual(seq(1168, (i) => 'e' + (1327 + i)));
  });

  it('types follow OBJECT ENCODING, and every encoding round-trips, LZF of strings on or off', () => {
    const h = harness();
    h.run('HSET', 'hl', 'f', 'v');
    h.run('HSET', 'hh', 'f', 'v'.repeat(65));
    h.run('SADD', 'si', '1', '2');
    h.run('SADD', 'sh', '1', 'x');
    h.run('ZADD', 'zl', '1', 'a');
    h.run('ZADD', 'zs', ...seq(129, (i) => [String(i), 'm' + i]).flat());
    h.run('RPUSH', 'l', 'a');
    const want: Record<string, number> = {
      hl: T.RDB_TYPE_HASH_LISTPACK, hh: T.RDB_TYPE_HASH, si: T.RDB_TYPE_SET_INTSET, sh: T.RDB_TYPE_SET,
      zl: T.RDB_TYPE_ZSET_LISTPACK, zs: T.RDB_TYPE_ZSET_2, l: T.RDB_TYPE_LIST_QUICKLIST_2,
    };
    for (const [k, type] of Object.entries(want)) {
      const v = h.ks.get(k)!;
      for (const compress of [false, true]) {
        const p = payload(v, compress);
        expect(p[0], `${k} (${objectEncoding(v)})`).toBe(type);
        expect(plain(reload(p))).toEqual(plain(v));
      }
    }
    // A skiplist is saved from the highest score down, as Redis walks it.
    const r = new RdbReader(payload(h.ks.get('zs')!));
    r.u8('type');
    r.count('size');
    expect(r.string('member')).toBe('m128');
  });

  it('a hash that outgrew its limits and shrank is saved as a hashtable, as Redis keeps it', () => {
    const h = harness();
    h.run('HSET', 'k', 'f', 'v'.repeat(65));
    h.run('HSET', 'k', 'f', 'v');
    expect(payload(h.ks.get('k')!)[0]).toBe(T.RDB_TYPE_HASH);
  });

  it('intsets: smallest width for the members, ascending, big integers exact', () => {
    const b = new IntsetBuilder();
    const cases: [string[], number][] = [
      [['3', '-5', '32767', '-32768'], 2],
      [['32768', '0'], 4],
      [['-2147483648', '2147483647'], 4],
      [['-2147483649', '1'], 8],
      [['9007199254740993', '-9007199254740993', '123456789012345'], 8],
    ];
    for (const [members, width] of cases) {
      const blob = b.build(new Set(members));
      expect(blob.readUInt32LE(0)).toBe(width);
      expect(intsetMembers(Buffer.from(blob))).toEqual([...members].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1)));
    }
  });

  it('quicklistNodes: no nodes for no elements, one per element at fill 0', () => {
    const ends: number[] = [9];
    quicklistNodes([], -2, 2 ** 30, ends);
    expect(ends).toEqual([]);
    quicklistNodes(['a', 'b', 'c'], 0, 2 ** 30, ends);
    expect(ends).toEqual([1, 2, 3]);
  });
});
