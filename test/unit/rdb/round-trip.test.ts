import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Databases } from '../../../src/server/databases.js';
import { isCompact } from '../../../src/server/encoding.js';
import { Keyspace, List, ZSet, type Value } from '../../../src/server/keyspace.js';
import { RdbEncoder } from '../../../src/server/persistence/rdb/encoder.js';
import { loadRdb } from '../../../src/server/persistence/rdb/decoder.js';
import { encodeKeyspace, loadRdbInto } from '../../../src/server/persistence/rdb/index.js';
import { INTEGER_EDGE_STRINGS, keyspaceEntries, plainEntries, sampleKeyspace } from './fixtures.js';

const AUX = { 'redis-ver': '7.0.0', 'redis-bits': '64', ctime: '1700000000' };

function decodeAll(buf: Buffer): [string, Value, number | undefined][] {
  const out: [string, Value, number | undefined][] = [];
  loadRdb(buf, (k, v, e) => out.push([k, v, e]));
  return out;
}

/** Encodes a single string value and returns its bytes after the key. */
function encodedString(s: string, compress = true): Buffer {
  const chunks: Buffer[] = [];
  const enc = new RdbEncoder((c) => chunks.push(c), { compress });
  enc.writer.string(s);
  enc.flush();
  return Buffer.concat(chunks);
}

describe('RDB encoder/decoder round trip', () => {
  it('writes SELECTDB + RESIZEDB for each non-empty database in order, and loads each key back into its database', () => {
    const now = Date.now();
    const dbs = new Databases(16);
    dbs.get(0).set('a', 'zero');
    dbs.get(3).set('a', 'three');
    dbs.get(3).set('l', new List(['x', 'y']));
    dbs.get(3).setExpire('l', now + 60_000);
    dbs.get(7); // made but empty: not written
    dbs.get(15).set('z', new Map([['f', 'v']]));
    const buf = encodeKeyspace(dbs, AUX);
    // opcodes right after the AUX fields and around each database's keys
    const selects: Array<[number, number, number]> = [];
    for (let i = 9; i < buf.length - 4; i++) {
      if (buf[i] === 0xfe && buf[i + 2] === 0xfb && buf[i + 1]! < 16) selects.push([buf[i + 1]!, buf[i + 3]!, buf[i + 4]!]);
    }
    expect(selects).toEqual([[0, 1, 0], [3, 2, 1], [15, 1, 0]]);
    const back = new Databases(16);
    const st = loadRdbInto(buf, back);
    expect(st.loaded).toBe(4);
    expect(back.made().filter((d) => d.size > 0).map((d) => d.id)).toEqual([0, 3, 15]);
    expect(back.get(0).get('a')).toBe('zero');
    expect(back.get(3).get('a')).toBe('three');
    expect(back.get(3).getExpire('l')).toBe(now + 60_000);
    expect(back.get(15).get('z')).toEqual(new Map([['f', 'v']]));
    // into databases that already hold keys: copied in, not adopted, still per database
    const busy = new Databases(16);
    busy.get(3).set('kept', '1');
    loadRdbInto(buf, busy);
    expect(busy.get(3).size).toBe(3);
    // a server with fewer databases refuses the file before touching anything
    const small = new Databases(4);
    small.get(0).set('kept', '1');
    expect(() => loadRdbInto(buf, small)).toThrow(/configured to handle more than 4 databases \(it selects database 15\)/);
    expect(small.size).toBe(1);
  });


  it('round-trips every type, TTLs, binary keys and values, large values', () => {
    const now = Date.now();
    const ks = sampleKeyspace(now, { large: true, expired: true });
    const buf = encodeKeyspace(ks, AUX);
    expect(buf.subarray(0, 9).toString('latin1')).toBe('REDIS0010');
    const stats = loadRdb(buf, () => {});
    expect(stats.version).toBe(10);
    expect(stats.aux).toEqual(AUX);
    expect(stats.keys).toBe(ks.size);
    expect(stats.bytes).toBe(buf.length);
    expect(stats.checksumVerified).toBe(true);
    expect(plainEntries(decodeAll(buf))).toEqual(keyspaceEntries(ks));
  });

  it('loadRdbInto skips keys that already expired and keeps the rest with their TTLs', () => {
    const now = Date.now();
    const ks = sampleKeyspace(now, { expired: true });
    const loaded = new Keyspace();
    const stats = loadRdbInto(encodeKeyspace(ks), loaded, { now });
    expect(stats.expired).toBe(1);
    expect(stats.loaded).toBe(ks.size - 1);
    expect(loaded.data.has('ttl:past')).toBe(false);
    ks.data.delete('ttl:past');
    expect(keyspaceEntries(loaded)).toEqual(keyspaceEntries(ks));
    expect(loaded.getExpire('ttl:string')).toBe(now + 3_600_000);
    // AOF preambles keep them, as Redis does.
    const all = new Keyspace();
    expect(loadRdbInto(encodeKeyspace(sampleKeyspace(now, { expired: true })), all, { now, skipExpired: false }).expired).toBe(0);
    expect(all.data.has('ttl:past')).toBe(true);
  });

  it('writes integer-looking strings with the INT8/16/32 encodings, only when canonical', () => {
    expect(encodedString('0').toString('hex')).toBe('c000');
    expect(encodedString('-128').toString('hex')).toBe('c080');
    expect(encodedString('127').toString('hex')).toBe('c07f');
    expect(encodedString('128').toString('hex')).toBe('c18000');
    expect(encodedString('-32768').toString('hex')).toBe('c10080');
    expect(encodedString('32768').toString('hex')).toBe('c200800000');
    expect(encodedString('-2147483648').toString('hex')).toBe('c200000080');
    for (const s of ['2147483648', '007', '-0', '+1', ' 1', '1.5', '', '-', '12345678901']) {
      const b = encodedString(s);
      expect(b[0]! >> 6, s).toBe(0); // a plain length prefix
      expect(b.subarray(1).toString('latin1')).toBe(s);
    }
    const ks = new Keyspace();
    INTEGER_EDGE_STRINGS.forEach((s, i) => ks.load(s === '' ? 'empty' : s, INTEGER_EDGE_STRINGS[(i + 1) % INTEGER_EDGE_STRINGS.length]!));
    expect(plainEntries(decodeAll(encodeKeyspace(ks)))).toEqual(keyspaceEntries(ks));
  });

  it('LZF-compresses strings over 20 bytes only when that saves at least 4 bytes', () => {
    expect(encodedString('a'.repeat(20))[0]).toBe(20); // too short to try
    const long = encodedString('a'.repeat(21));
    expect(long[0]).toBe(0xc3);
    const random = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 151 + 7) & 0xff)).toString('latin1');
    expect(encodedString(random).subarray(0, 2).toString('hex')).toBe('4064'); // raw, 14-bit length 100
    expect(encodedString('a'.repeat(21), false)[0]).toBe(21);
  });

  it('uses 6-bit, 14-bit and 32-bit lengths at their boundaries', () => {
    const prefix = (n: number): string => encodedString('\xff'.repeat(n), false).subarray(0, 5).toString('hex');
    expect(prefix(63).slice(0, 2)).toBe('3f');
    expect(prefix(64).slice(0, 4)).toBe('4040');
    expect(prefix(16383).slice(0, 4)).toBe('7fff');
    expect(prefix(16384)).toBe('8000004000');
  });

  it('does not write empty collections (Redis drops them on load)', () => {
    const chunks: Buffer[] = [];
    const enc = new RdbEncoder((c) => chunks.push(c));
    enc.header({});
    expect(enc.entry('l', new List())).toBe(false);
    expect(enc.entry('h', new Map())).toBe(false);
    expect(enc.entry('s', new Set())).toBe(false);
    expect(enc.entry('z', new ZSet())).toBe(false);
    expect(enc.entry('e', '')).toBe(true);
    enc.footer();
    expect(decodeAll(Buffer.concat(chunks)).map(([k]) => k)).toEqual(['e']);
  });

  it('gives identical bytes whole or incrementally, with any chunk size and flushes', () => {
    const ks = sampleKeyspace(1_700_000_000_000, { large: true });
    const whole = encodeKeyspace(ks, AUX);
    for (const chunkSize of [64, 1000, 4096, 1 << 20]) {
      const chunks: Buffer[] = [];
      const enc = new RdbEncoder((c) => chunks.push(Buffer.from(c)), { chunkSize });
      enc.header(AUX);
      enc.selectDb(0, ks.data.size, ks.expiresCount);
      let i = 0;
      for (const [k, v] of ks.data) {
        enc.entry(k, v, ks.getExpire(k));
        if (i++ % 3 === 0) enc.flush(); // end of a snapshot "turn"
      }
      enc.footer();
      const incremental = Buffer.concat(chunks);
      expect(enc.bytesWritten).toBe(incremental.length);
      expect(incremental.equals(whole), `chunkSize ${chunkSize}`).toBe(true);
      expect(chunks.every((c) => c.length > 0)).toBe(true);
    }
  });

  it('writes a zero checksum when checksums are off, which loads unverified', () => {
    const buf = encodeKeyspace(sampleKeyspace(), AUX, { checksum: false });
    expect(buf.subarray(buf.length - 8).every((b) => b === 0)).toBe(true);
    const stats = loadRdb(buf, () => {});
    expect(stats.checksumVerified).toBe(false);
  });

  it('round-trips random binary keys, values and collections', () => {
    const bytes = fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('latin1'));
    const str = fc.oneof(bytes, fc.integer().map(String), fc.constantFrom('', '0', '-1', 'x'.repeat(100)));
    const value: fc.Arbitrary<Value> = fc.oneof(
      str,
      fc.array(str, { minLength: 1, maxLength: 20 }).map((a) => new List(a)),
      fc.uniqueArray(str, { minLength: 1, maxLength: 20 }).map((a) => new Set(a)),
      fc.array(fc.tuple(str, str), { minLength: 1, maxLength: 20 }).map((a) => new Map(a)),
      fc.array(fc.tuple(str, fc.double({ noNaN: true })), { minLength: 1, maxLength: 20 }).map((a) => {
        const z = new ZSet();
        for (const [m, s] of a) z.add(m, s);
        return z;
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(str, value, fc.option(fc.integer({ min: 0, max: 2 ** 45 }), { nil: undefined })), { maxLength: 30 }), (entries) => {
        const ks = new Keyspace();
        for (const [k, v, e] of entries) {
          ks.data.delete(k);
          ks.load(k, v, e);
        }
        // A listpack holds a -0 score as the integer 0 (zzlInsertAt's double2ll), as in Redis.
        const want = keyspaceEntries(ks);
        for (const [k, v] of want) {
          if (typeof v === 'object' && 'zset' in v && isCompact(ks.data.get(k)!)) for (const e of v.zset) e[1] += 0;
        }
        expect(plainEntries(decodeAll(encodeKeyspace(ks)))).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });
});
