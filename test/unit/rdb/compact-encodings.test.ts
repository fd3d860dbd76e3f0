import { describe, expect, it } from 'vitest';
import { List, type Value } from '../../../src/server/keyspace.js';
import * as T from '../../../src/server/persistence/rdb/constants.js';
import { loadRdb } from '../../../src/server/persistence/rdb/decoder.js';
import { intsetMembers } from '../../../src/server/persistence/rdb/intset.js';
import { listpackEntries } from '../../../src/server/persistence/rdb/listpack.js';
import { RdbError } from '../../../src/server/persistence/rdb/rdb-error.js';
import { ziplistEntries } from '../../../src/server/persistence/rdb/ziplist.js';
import { zipmapEntries } from '../../../src/server/persistence/rdb/zipmap.js';
import { intset, listpack, rdbFile, rdbLen, rdbRecord, rdbString, ziplist, zipmap } from './blobs.js';
import { ALL_BYTES, plain, type Plain } from './fixtures.js';

/** Entries covering every integer and string encoding of ziplists and listpacks. */
const MIXED = [
  '', 'a', ALL_BYTES, 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(4095), 'w'.repeat(4096), 'v'.repeat(16384),
  '0', '12', '13', '127', '128', '-1', '-128', '-129', '4095', '-4096', '4096', '32767', '-32768', '32768',
  '8388607', '-8388608', '8388608', '2147483647', '-2147483648', '2147483648',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', '007', '-0', '1.5',
];

function decodeOne(type: number, payload: Buffer, version = 10): Plain {
  const got: Value[] = [];
  loadRdb(rdbFile([rdbRecord(type, 'key', payload)], version), (_k, v) => got.push(v));
  expect(got).toHaveLength(1);
  return plain(got[0]!);
}

describe('compact encodings', () => {
  it('ziplist: every entry encoding and long prevlen fields', () => {
    expect(ziplistEntries(ziplist(MIXED))).toEqual(MIXED);
    expect(ziplistEntries(ziplist([]))).toEqual([]);
  });

  it('listpack: every entry encoding and multi-byte backlens', () => {
    expect(listpackEntries(listpack(MIXED))).toEqual(MIXED);
    expect(listpackEntries(listpack([]))).toEqual([]);
    const big = 'q'.repeat(300_000); // 3-byte backlen
    expect(listpackEntries(listpack(['a', big, 'b']))).toEqual(['a', big, 'b']);
  });

  it('intset: 16, 32 and 64-bit members', () => {
    expect(intsetMembers(intset([3n, -5n, 32767n, -32768n], 2))).toEqual(['-32768', '-5', '3', '32767']);
    expect(intsetMembers(intset([70000n, -2147483648n], 4))).toEqual(['-2147483648', '70000']);
    expect(intsetMembers(intset([9223372036854775807n, -9223372036854775808n, 1n], 8))).toEqual([
      '-9223372036854775808',
      '1',
      '9223372036854775807',
    ]);
  });

  it('zipmap: short and long lengths, free space after values', () => {
    const pairs: [string, string][] = [['a', '1'], ['long', 'v'.repeat(300)], ['', '']];
    expect(zipmapEntries(zipmap(pairs))).toEqual(pairs.flat());
    expect(zipmapEntries(zipmap(pairs, 3))).toEqual(pairs.flat());
  });

  it('rejects malformed blobs with RdbError', () => {
    const zl = ziplist(['a', 'b']);
    const lp = listpack(['a', 'b']);
    const bad = [
      () => ziplistEntries(zl.subarray(0, zl.length - 1)),
      () => ziplistEntries(Buffer.concat([zl.subarray(0, 8), Buffer.from([9, 0]), zl.subarray(10)])),
      () => listpackEntries(lp.subarray(0, lp.length - 1)),
      () => listpackEntries(Buffer.from([7, 0, 0, 0, 1, 0, 0xf7])),
      () => intsetMembers(Buffer.from([3, 0, 0, 0, 0, 0, 0, 0])),
      () => intsetMembers(intset([1n], 4).subarray(0, 10)),
      () => zipmapEntries(Buffer.from([1, 5, 0x61])),
    ];
    for (const f of bad) expect(f).toThrow(RdbError);
    // Every truncation of a ziplist or listpack blob (header patched to match) is an RdbError.
    const short = MIXED.filter((e) => e.length < 100);
    const cases: [Buffer, (b: Buffer) => string[]][] = [
      [ziplist(short), ziplistEntries],
      [listpack(short), listpackEntries],
    ];
    for (const [blob, decode] of cases) {
      for (let i = 0; i < blob.length; i++) {
        const cut = Buffer.from(blob.subarray(0, i));
        if (cut.length >= 4) cut.writeUInt32LE(cut.length, 0);
        expect(() => decode(cut), `cut at ${i}`).toThrow(RdbError);
      }
    }
  });

  it('loads every compact RDB type into the keyspace model', () => {
    const pairs = ['f1', 'v1', 'n', '42', 'neg', '-7000000000'];
    const hash = { hash: [['f1', 'v1'], ['n', '42'], ['neg', '-7000000000']] };
    expect(decodeOne(T.RDB_TYPE_HASH_ZIPMAP, rdbString(zipmap([['f1', 'v1'], ['n', '42'], ['neg', '-7000000000']])), 3)).toEqual(hash);
    expect(decodeOne(T.RDB_TYPE_HASH_ZIPLIST, rdbString(ziplist(pairs)))).toEqual(hash);
    expect(decodeOne(T.RDB_TYPE_HASH_LISTPACK, rdbString(listpack(pairs)))).toEqual(hash);

    expect(decodeOne(T.RDB_TYPE_LIST_ZIPLIST, rdbString(ziplist(MIXED)))).toEqual({ list: MIXED });
    expect(decodeOne(T.RDB_TYPE_SET_INTSET, rdbString(intset([1n, 2n, -3n], 2)))).toEqual({ set: ['-3', '1', '2'] });
    expect(decodeOne(T.RDB_TYPE_SET_LISTPACK, rdbString(listpack(['b', 'a', '5'])))).toEqual({ set: ['5', 'a', 'b'] });

    const zflat = ['a', '1', 'b', '2.5', 'c', '-inf', 'd', 'inf', 'e', '-3', 'f', '1e300'];
    const zset = { zset: [['a', 1], ['b', 2.5], ['c', -Infinity], ['d', Infinity], ['e', -3], ['f', 1e300]] };
    expect(decodeOne(T.RDB_TYPE_ZSET_ZIPLIST, rdbString(ziplist(zflat)))).toEqual(zset);
    expect(decodeOne(T.RDB_TYPE_ZSET_LISTPACK, rdbString(listpack(zflat)))).toEqual(zset);

    // ZSET v1: scores as text, with 253/254/255 for nan/inf/-inf.
    const z1 = Buffer.concat([rdbLen(3), rdbString('a'), Buffer.from([3]), Buffer.from('1.5'), rdbString('b'), Buffer.from([254]), rdbString('c'), Buffer.from([255])]);
    expect(decodeOne(T.RDB_TYPE_ZSET, z1)).toEqual({ zset: [['a', 1.5], ['b', Infinity], ['c', -Infinity]] });

    const quick1 = Buffer.concat([rdbLen(2), rdbString(ziplist(['a', '1'])), rdbString(ziplist(['b', '-2']))]);
    expect(decodeOne(T.RDB_TYPE_LIST_QUICKLIST, quick1)).toEqual({ list: ['a', '1', 'b', '-2'] });
    const quick2 = Buffer.concat([
      rdbLen(3),
      rdbLen(T.QUICKLIST_NODE_CONTAINER_PACKED),
      rdbString(listpack(['a', '1'])),
      rdbLen(T.QUICKLIST_NODE_CONTAINER_PLAIN),
      rdbString('a plain node, stored whole'),
      rdbLen(T.QUICKLIST_NODE_CONTAINER_PACKED),
      rdbString(listpack(['z'])),
    ]);
    expect(decodeOne(T.RDB_TYPE_LIST_QUICKLIST_2, quick2)).toEqual({ list: ['a', '1', 'a plain node, stored whole', 'z'] });
    const badContainer = Buffer.concat([rdbLen(1), rdbLen(7), rdbString('x')]);
    expect(() => decodeOne(T.RDB_TYPE_LIST_QUICKLIST_2, badContainer)).toThrow(/container 7/);
  });

  it('reads blobs that were LZF-compressed, as Redis stores long ziplists and listpacks', async () => {
    const { RdbEncoder } = await import('../../../src/server/persistence/rdb/encoder.js');
    const items = Array.from({ length: 100 }, (_, i) => `element-${i % 10}`);
    const chunks: Buffer[] = [];
    const enc = new RdbEncoder((c) => chunks.push(c));
    enc.writer.string(listpack(items).toString('latin1'));
    enc.flush();
    const payload = Buffer.concat(chunks);
    expect(payload[0]).toBe(0xc3);
    expect(decodeOne(T.RDB_TYPE_LIST_QUICKLIST_2, Buffer.concat([rdbLen(1), rdbLen(2), payload]))).toEqual({ list: items });
  });

  it('skips opcodes that do not change the dataset', () => {
    const mod = Buffer.concat([
      Buffer.from([T.RDB_OPCODE_MODULE_AUX]),
      Buffer.from([0x81, 0, 0, 0, 0, 0, 0, 0, 1]), // module id
      rdbLen(T.RDB_MODULE_OPCODE_UINT),
      rdbLen(2), // when
      rdbLen(T.RDB_MODULE_OPCODE_STRING),
      rdbString('module data'),
      rdbLen(T.RDB_MODULE_OPCODE_DOUBLE),
      Buffer.alloc(8),
      rdbLen(T.RDB_MODULE_OPCODE_SINT),
      rdbLen(5),
      rdbLen(T.RDB_MODULE_OPCODE_EOF),
    ]);
    const expireSec = Buffer.alloc(5);
    expireSec[0] = T.RDB_OPCODE_EXPIRETIME;
    expireSec.writeInt32LE(2000000000, 1);
    const file = rdbFile([
      Buffer.concat([Buffer.from([T.RDB_OPCODE_AUX]), rdbString('redis-ver'), rdbString('7.0.15')]),
      Buffer.concat([Buffer.from([T.RDB_OPCODE_FUNCTION2]), rdbString("#!lua name=lib\nredis.register_function('f', function() return 1 end)")]),
      mod,
      Buffer.from([T.RDB_OPCODE_SELECTDB, 0, T.RDB_OPCODE_RESIZEDB, 2, 1]),
      expireSec,
      Buffer.from([T.RDB_OPCODE_IDLE, 0x40, 0x10]),
      rdbRecord(T.RDB_TYPE_STRING, 'a', rdbString('1')),
      Buffer.from([T.RDB_OPCODE_FREQ, 5]),
      rdbRecord(T.RDB_TYPE_LIST, 'b', Buffer.concat([rdbLen(1), rdbString('x')])),
      rdbRecord(T.RDB_TYPE_LIST, 'empty', rdbLen(0)),
    ]);
    const got: [string, Value, number | undefined][] = [];
    const stats = loadRdb(file, (k, v, e) => got.push([k, v, e]));
    expect(stats).toMatchObject({ keys: 2, emptySkipped: 1, functionsSkipped: 1, aux: { 'redis-ver': '7.0.15' } });
    expect(got).toEqual([
      ['a', '1', 2_000_000_000_000],
      ['b', new List(['x']), undefined],
    ]);
  });

  it('reads old files without a checksum (version < 5)', () => {
    const file = rdbFile([rdbRecord(T.RDB_TYPE_STRING, 'k', rdbString('v'))], 4);
    const stats = loadRdb(file, () => {});
    expect(stats).toMatchObject({ keys: 1, version: 4, checksumVerified: false, bytes: file.length });
  });
});
