import { describe, expect, it } from 'vitest';
import { AofParser } from '../../../../src/server/persistence/aof/parser.js';

const commands = [['SELECT', '0'], ['SET', 'a', '1'], ['RPUSH', 'list', 'x\r\ny', ''], ['DEL', 'a']];

/** The commands as an AOF, with the offset where each ends and which bytes are payload. */
function aof(cmds: string[][]) {
  let s = '';
  const ends: number[] = [];
  const payload = new Set<number>();
  for (const argv of cmds) {
    s += `*${argv.length}\r\n`;
    for (const a of argv) {
      s += `$${a.length}\r\n`;
      for (let i = 0; i < a.length; i++) payload.add(s.length + i);
      s += `${a}\r\n`;
    }
    ends.push(s.length);
  }
  return { buf: Buffer.from(s, 'latin1'), ends, payload };
}

function parseAll(buf: Buffer, perStep = 1000) {
  const p = new AofParser(buf);
  const seen: string[][] = [];
  let st = p.step(perStep, (argv) => seen.push(argv));
  while (st === 'more') st = p.step(perStep, (argv) => seen.push(argv));
  return { st, seen, valid: p.valid, n: p.commands, error: p.error };
}

describe('AofParser', () => {
  const { buf, ends, payload } = aof(commands);

  it('reads every command of a valid file, binary-safe', () => {
    expect(parseAll(buf)).toEqual({ st: 'eof', seen: commands, valid: buf.length, n: 4, error: '' });
    expect(parseAll(Buffer.alloc(0))).toMatchObject({ st: 'eof', valid: 0, n: 0 });
  });

  it('steps at most maxCommands at a time, reporting more until the end', () => {
    const p = new AofParser(buf);
    const got: string[] = [];
    expect(p.step(1, (a) => got.push(a[0]!))).toBe('more');
    expect(p.valid).toBe(ends[0]);
    expect(p.step(2, (a) => got.push(a[0]!))).toBe('more');
    expect(p.valid).toBe(ends[2]);
    expect(p.step(2, (a) => got.push(a[0]!))).toBe('eof');
    expect(got).toEqual(['SELECT', 'SET', 'RPUSH', 'DEL']);
    expect(p.step(5, () => got.push('again'))).toBe('eof');
    expect(got).toHaveLength(4);
  });

  it('cut at every byte: truncated, valid at the last complete command, nothing partial run', () => {
    for (let cut = 0; cut <= buf.length; cut++) {
      const complete = ends.filter((e) => e <= cut);
      const r = parseAll(buf.subarray(0, cut), cut % 3 + 1);
      const what = `cut at ${cut}`;
      expect(r.st, what).toBe(complete.at(-1) === cut || cut === 0 ? 'eof' : 'truncated');
      expect(r.valid, what).toBe(complete.at(-1) ?? 0);
      expect(r.n, what).toBe(complete.length);
      expect(r.seen, what).toEqual(commands.slice(0, complete.length));
    }
  });

  it('a corrupt framing byte anywhere: corrupt, with its offset, after the commands before it', () => {
    for (let at = 0; at < buf.length; at++) {
      if (payload.has(at)) continue;
      const bad = Buffer.from(buf);
      bad[at] = 0x58; // 'X'
      const before = ends.filter((e) => e <= at);
      const r = parseAll(bad);
      const what = `X at ${at} (was ${JSON.stringify(String.fromCharCode(buf[at]!))})`;
      expect(r.st, what).toBe('corrupt');
      expect(r.valid, what).toBe(before.at(-1) ?? 0);
      expect(r.seen, what).toEqual(commands.slice(0, before.length));
      expect(r.error, what).toMatch(/ at offset \d+$/);
      const offset = Number(/offset (\d+)$/.exec(r.error)![1]);
      expect(offset, what).toBeGreaterThanOrEqual(r.valid);
      expect(offset, what).toBeLessThanOrEqual(at);
    }
  });

  it('names what it found and where', () => {
    const s = buf.toString('latin1');
    const second = ends[0]!;
    expect(parseAll(Buffer.from(s.slice(0, second) + '+OK\r\n', 'latin1')).error).toBe(`expected '*', got byte 43 at offset ${second}`);
    const noCrlf = Buffer.from(buf);
    noCrlf[second + 4 + 4 + 3] = 0x58; // the \r after "SET"
    expect(parseAll(noCrlf).error).toBe(`missing CRLF after bulk at offset ${second + 11}`);
    expect(parseAll(Buffer.from('*0\r\n')).error).toBe('invalid multibulk length at offset 0');
    expect(parseAll(Buffer.from('*1\r\n$-1\r\n')).error).toBe('invalid bulk length at offset 4');
    expect(parseAll(Buffer.from('*1\r\n' + 'x'.repeat(40))).st).toBe('corrupt'); // no CR within 32 bytes
  });

  it('a changed payload byte still parses: the AOF has no checksum', () => {
    const changed = Buffer.from(buf);
    changed[[...payload][3]!] = 0x5a;
    expect(parseAll(changed)).toMatchObject({ st: 'eof', n: 4 });
  });
});
