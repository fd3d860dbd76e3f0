import { describe, expect, it } from 'vitest';
import { RespError, RespReader, type Reply } from '../../../src/harness/workload/resp-reader.js';
import { CommandWriter, encodeCommand } from '../../../src/harness/workload/resp-writer.js';

function norm(r: Reply): unknown {
  if (Buffer.isBuffer(r)) return { bulk: r.toString('latin1') };
  if (r instanceof RespError) return { error: r.message };
  if (Array.isArray(r)) return r.map(norm);
  return r;
}

const STREAM = Buffer.from(
  '+OK\r\n:42\r\n-LOADING Redis is loading the dataset in memory\r\n$5\r\nhello\r\n$-1\r\n' +
    '*3\r\n$1\r\na\r\n*2\r\n:1\r\n$0\r\n\r\n$-1\r\n*0\r\n+PONG\r\n:-7\r\n*-1\r\n+OK\r\n',
  'latin1',
);
const EXPECTED = [
  'OK',
  42,
  { error: 'LOADING Redis is loading the dataset in memory' },
  { bulk: 'hello' },
  null,
  [{ bulk: 'a' }, [1, { bulk: '' }], null],
  [],
  'PONG',
  -7,
  null,
  'OK',
];

describe('RespReader', () => {
  it('parses a stream fed whole', () => {
    const got: unknown[] = [];
    new RespReader((r) => got.push(norm(r))).feed(STREAM);
    expect(got).toEqual(EXPECTED);
  });

  it('parses the same stream split at every byte', () => {
    for (let cut = 1; cut < STREAM.length; cut++) {
      const got: unknown[] = [];
      const reader = new RespReader((r) => got.push(norm(r)));
      reader.feed(STREAM.subarray(0, cut));
      reader.feed(STREAM.subarray(cut));
      expect(got, `cut at ${cut}`).toEqual(EXPECTED);
    }
  });

  it('parses the stream one byte at a time', () => {
    const got: unknown[] = [];
    const reader = new RespReader((r) => got.push(norm(r)));
    for (let i = 0; i < STREAM.length; i++) reader.feed(STREAM.subarray(i, i + 1));
    expect(got).toEqual(EXPECTED);
  });

  it('rejects a byte that starts no reply', () => {
    expect(() => new RespReader(() => undefined).feed(Buffer.from('?x\r\n'))).toThrow(/protocol error/);
  });
});

describe('CommandWriter', () => {
  it('encodes commands as RESP arrays of bulk strings', () => {
    expect(encodeCommand(['SET', 'k:1', 'v']).toString()).toBe('*3\r\n$3\r\nSET\r\n$3\r\nk:1\r\n$1\r\nv\r\n');
    expect(encodeCommand(['GET', 'ü']).toString()).toBe('*2\r\n$3\r\nGET\r\n$2\r\nü\r\n');
  });

  it('writes numbers and values without strings, and never reuses handed-out bytes', () => {
    const w = new CommandWriter();
    w.begin(2);
    w.arg('GET');
    w.argNum('k:', 1234567);
    const first = w.take();
    const copy = Buffer.from(first);
    const tail = Buffer.from('abcdef');
    for (let i = 0; i < 20_000; i++) {
      w.begin(1);
      w.argNumTail(i, 58, tail, 1, 3);
    }
    const rest = w.take();
    expect(first.equals(copy)).toBe(true);
    expect(copy.toString()).toBe('*2\r\n$3\r\nGET\r\n$9\r\nk:1234567\r\n');
    expect(rest.subarray(0, 16).toString()).toBe('*1\r\n$5\r\n0:bcd\r\n*');
    expect(rest.length).toBeGreaterThan(256 * 1024); // crossed a slab boundary intact
    expect(rest.subarray(rest.length - 19).toString()).toBe('*1\r\n$9\r\n19999:bcd\r\n');
  });
});
