import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestDecoder, splitInline } from '../../../src/server/resp/decoder.js';
import { encodeCommand } from '../../../src/server/resp/encoder.js';
import { ProtocolError } from '../../../src/server/resp/protocol-error.js';

const limits = { maxBulkLen: 512 * 1024 * 1024, maxQueryBuffer: 1 << 30, isAuthenticated: () => true };

function decodeAll(chunks: Buffer[], lim = limits): string[][] {
  const out: string[][] = [];
  const d = new RequestDecoder((argv) => out.push(argv), lim);
  for (const c of chunks) d.feed(c);
  return out;
}

const frames = Buffer.concat([
  Buffer.from(encodeCommand(['SET', 'key', 'va\r\nlue']), 'latin1'),
  Buffer.from('PING\r\n'),
  Buffer.from(encodeCommand(['MSET', '', 'x', '\u00ff\u0000', 'y']), 'latin1'),
  Buffer.from('set "a b" \'c d\' "\\x41\\n"\n'),
  Buffer.from('*0\r\n*-1\r\n'),
  Buffer.from(encodeCommand(['GET', 'k'.repeat(300)]), 'latin1'),
]);
const expected = [
  ['SET', 'key', 'va\r\nlue'],
  ['PING'],
  ['MSET', '', 'x', '\u00ff\u0000', 'y'],
  ['set', 'a b', 'c d', 'A\n'],
  ['GET', 'k'.repeat(300)],
];

describe('RequestDecoder', () => {
  it('decodes multibulk, inline and empty frames', () => {
    expect(decodeAll([frames])).toEqual(expected);
  });

  it('gives the same commands when the input is split at every byte boundary', () => {
    for (let i = 1; i < frames.length; i++) {
      expect(decodeAll([frames.subarray(0, i), frames.subarray(i)])).toEqual(expected);
    }
  });

  it('gives the same commands when fed one byte at a time', () => {
    const chunks = [...frames].map((b) => Buffer.from([b]));
    expect(decodeAll(chunks)).toEqual(expected);
  });

  it('decodes random commands split at random points', () => {
    const arg = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 40 });
    fc.assert(
      fc.property(fc.array(fc.array(arg, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (cmds, cuts) => {
        const bytes = Buffer.from(cmds.map(encodeCommand).join(''), 'latin1');
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(bytes.subarray(prev, p));
          prev = p;
        }
        chunks.push(bytes.subarray(prev));
        expect(decodeAll(chunks)).toEqual(cmds);
      }),
    );
  });

  it.each([
    ['*abc\r\n', 'Protocol error: invalid multibulk length'],
    ['*2\r\n+foo\r\n', "Protocol error: expected '$', got '+'"],
    ['*1\r\n$-5\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$x\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$999999999999\r\n', 'Protocol error: invalid bulk length'],
    ['*99999999\r\n', 'Protocol error: invalid multibulk length'],
    ['set "abc\r\n', 'Protocol error: unbalanced quotes in request'],
  ])('rejects %j', (input, message) => {
    expect(() => decodeAll([Buffer.from(input)])).toThrow(message);
  });

  it('caps unauthenticated lengths as Redis does', () => {
    const lim = { ...limits, isAuthenticated: () => false };
    expect(() => decodeAll([Buffer.from('*11\r\n')], lim)).toThrow('unauthenticated multibulk length');
    expect(() => decodeAll([Buffer.from('*1\r\n$20000\r\n')], lim)).toThrow('unauthenticated bulk length');
  });

  it('rejects an inline request or header line that never ends', () => {
    expect(() => decodeAll([Buffer.alloc(70_000, 0x61)])).toThrow('too big inline request');
    expect(() => decodeAll([Buffer.from('*1' + '1'.repeat(70_000))])).toThrow();
  });

  it('enforces the query buffer limit on a bulk that keeps coming', () => {
    const d = new RequestDecoder(() => {}, { ...limits, maxQueryBuffer: 1000 });
    d.feed(Buffer.from('*1\r\n$5000\r\n'));
    expect(() => d.feed(Buffer.alloc(2000))).toThrow(ProtocolError);
  });

  it('buffers a long bulk in parts without re-parsing it', () => {
    const big = 'x'.repeat(1 << 20);
    const bytes = Buffer.from(encodeCommand(['SET', 'k', big]), 'latin1');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 1000) chunks.push(bytes.subarray(i, i + 1000));
    expect(decodeAll(chunks)).toEqual([['SET', 'k', big]]);
  });

  it('never throws anything but ProtocolError on garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(200), (bytes, cut) => {
        const b = Buffer.from(bytes);
        try {
          decodeAll([b.subarray(0, cut), b.subarray(cut)]);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('splitInline', () => {
  it('splits like sdssplitargs', () => {
    expect(splitInline('  set  a   b ')).toEqual(['set', 'a', 'b']);
    expect(splitInline('echo "a\\tb" \'it\\\'s\'')).toEqual(['echo', 'a\tb', "it's"]);
    expect(splitInline('')).toEqual([]);
  });

  it('rejects a closing quote followed by a character', () => {
    expect(() => splitInline('get "a"b')).toThrow('unbalanced quotes');
  });
});
