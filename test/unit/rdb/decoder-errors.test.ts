import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Keyspace, List, ZSet } from '../../../src/server/keyspace.js';
import { loadRdb } from '../../../src/server/persistence/rdb/decoder.js';
import { encodeKeyspace, loadRdbInto } from '../../../src/server/persistence/rdb/index.js';
import { RdbError } from '../../../src/server/persistence/rdb/rdb-error.js';
import { listpack, rdbFile, rdbLen, rdbRecord, rdbString, ziplist } from './blobs.js';

function smallFile(): Buffer {
  const ks = new Keyspace();
  ks.load('s', 'value');
  ks.load('n', '300');
  ks.load('long', 'compress me please, compress me please');
  ks.load('l', new List(['a', 'b']));
  ks.load('h', new Map([['f', 'v']]));
  ks.load('set', new Set(['m']));
  const z = new ZSet();
  z.add('m', 1.5);
  ks.load('z', z);
  ks.load('t', 'x', 4102444800000);
  return encodeKeyspace(ks, { 'redis-ver': '7.0.0' });
}

function errorOf(f: () => unknown): RdbError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RdbError);
    expect((e as Error).name).toBe('RdbError');
    return e as RdbError;
  }
  throw new Error('expected an RdbError');
}

const noop = (): void => {};

describe('RDB decoder errors', () => {
  it('rejects a file truncated at any byte with RdbError, never a crash', () => {
    const buf = smallFile();
    expect(loadRdb(buf, noop).keys).toBe(8);
    for (let i = 0; i < buf.length; i++) {
      const e = errorOf(() => loadRdb(buf.subarray(0, i), noop));
      expect(e.message, `cut at ${i}`).toMatch(/truncated/);
    }
  });

  it('detects any flipped byte: payload flips are checksum mismatches', () => {
    const buf = smallFile();
    const payload = buf.indexOf('compress me');
    let mismatches = 0;
    for (let i = 0; i < buf.length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const bad = Buffer.from(buf);
        bad[i]! ^= mask;
        const e = errorOf(() => loadRdb(bad, noop));
        if (/RDB checksum mismatch/.test(e.message)) mismatches++;
      }
    }
    expect(mismatches).toBeGreaterThan(buf.length);
    const bad = Buffer.from(buf);
    bad[payload + 2]! ^= 1;
    expect(errorOf(() => loadRdb(bad, noop)).message).toMatch(/^RDB checksum mismatch/);
  });

  it('leaves the keyspace untouched when the file is bad', () => {
    const bad = Buffer.from(smallFile());
    bad[bad.length - 20]! ^= 0x10;
    const ks = new Keyspace();
    ks.load('existing', 'kept');
    expect(() => loadRdbInto(bad, ks)).toThrow(RdbError);
    expect([...ks.data.keys()]).toEqual(['existing']);
  });

  it('skips verification when the stored checksum is zero (rdbchecksum no)', () => {
    const buf = Buffer.from(smallFile());
    buf.fill(0, buf.length - 8);
    expect(loadRdb(buf, noop).checksumVerified).toBe(false);
    expect(loadRdb(smallFile(), noop, { verifyChecksum: false }).checksumVerified).toBe(false);
  });

  it('explains bad magic, unsupported versions and unknown types', () => {
    expect(errorOf(() => loadRdb(Buffer.from('HELLO0010\xff'), noop)).message).toMatch(/bad magic/);
    expect(errorOf(() => loadRdb(Buffer.from(''), noop)).message).toMatch(/truncated/);
    expect(errorOf(() => loadRdb(rdbFile([], 99), noop)).message).toMatch(/unsupported RDB format version "0099"/);
    expect(errorOf(() => loadRdb(Buffer.from('REDIS00a9\xff'), noop)).message).toMatch(/unsupported RDB format version/);
    expect(errorOf(() => loadRdb(rdbFile([rdbRecord(30, 'k', rdbString('v'))]), noop)).message).toMatch(/unknown value type 30 for key "k"/);
    expect(errorOf(() => loadRdb(rdbFile([rdbRecord(15, 'stream', rdbString('v'))]), noop)).message).toMatch(/stream/);
    expect(errorOf(() => loadRdb(rdbFile([rdbRecord(0, 'k', Buffer.from([0xc5]))]), noop)).message).toMatch(/unknown string encoding/);
    // A database beyond the server's: the keys would have nowhere to go (one Keyspace is database 0 alone).
    const db1 = rdbFile([Buffer.from([0xfe, 1]), rdbRecord(0, 'k', rdbString('v'))]);
    expect(errorOf(() => loadRdbInto(db1, new Keyspace())).message).toMatch(/configured to handle more than 1 databases \(it selects database 1\)/);
  });

  it('turns corrupt LZF data into RdbError', () => {
    // LZF string claiming 10 bytes from a back reference before the start.
    const payload = Buffer.concat([Buffer.from([0xc3]), rdbLen(2), rdbLen(10), Buffer.from([0x20, 0x05])]);
    expect(errorOf(() => loadRdb(rdbFile([rdbRecord(0, 'k', payload)]), noop)).message).toMatch(/invalid LZF/);
    // An absurd uncompressed length is refused before allocating it.
    const huge = Buffer.concat([Buffer.from([0xc3]), rdbLen(2), rdbLen(0x7ffffff0), Buffer.from([0x00, 0x41])]);
    expect(errorOf(() => loadRdb(rdbFile([rdbRecord(0, 'k', huge)]), noop)).message).toMatch(/LZF length/);
  });

  it('rejects duplicate members and NaN scores like Redis', () => {
    const dupSet = Buffer.concat([rdbLen(2), rdbString('a'), rdbString('a')]);
    expect(errorOf(() => loadRdb(rdbFile([rdbRecord(2, 's', dupSet)]), noop)).message).toMatch(/duplicate/);
    const nan = Buffer.alloc(8);
    nan.writeDoubleLE(NaN);
    const nanZset = Buffer.concat([rdbLen(1), rdbString('m'), nan]);
    expect(errorOf(() => loadRdb(rdbFile([rdbRecord(5, 'z', nanZset)]), noop)).message).toMatch(/NaN/);
  });

  it('never fails with anything but RdbError on corrupted structure (checksum off)', () => {
    const base = Buffer.concat([
      smallFile().subarray(0, -9), // without EOF and checksum
      rdbRecord(16, 'lp', rdbString(listpack(['a', '1', 'bb', '-300']))),
      rdbRecord(13, 'zl', rdbString(ziplist(['a', '1', 'bb', '70000']))),
      rdbRecord(18, 'q', Buffer.concat([rdbLen(1), rdbLen(2), rdbString(listpack(['x', 'y']))])),
      Buffer.from([0xff]),
      Buffer.alloc(8),
    ]);
    expect(loadRdb(base, noop).keys).toBe(11);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const bad = Buffer.from(base);
        for (const [at, byte] of edits) bad[at] = byte;
        try {
          loadRdb(bad, noop, { verifyChecksum: false });
        } catch (e) {
          if (!(e instanceof RdbError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reports data after EOF as bytes consumed (an AOF preamble continues there)', () => {
    const buf = smallFile();
    const withTail = Buffer.concat([buf, Buffer.from('*1\r\n$4\r\nPING\r\n')]);
    expect(loadRdb(withTail, noop).bytes).toBe(buf.length);
  });
});
