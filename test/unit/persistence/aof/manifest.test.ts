import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AofError } from '../../../../src/server/persistence/aof/aof-error.js';
import { type AofFile, manifestName, parseManifest, renderManifest, writeManifest } from '../../../../src/server/persistence/aof/manifest.js';

const files: AofFile[] = [
  { name: 'appendonly.aof.1.base.rdb', seq: 1, type: 'b' },
  { name: 'appendonly.aof.1.incr.aof', seq: 1, type: 'i' },
  { name: 'appendonly.aof.2.incr.aof', seq: 2, type: 'i' },
];
const redis7 = 'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n';

describe('AOF manifest', () => {
  it("is named after appendfilename, as Redis 7's", () => {
    expect(manifestName('appendonly.aof')).toBe('appendonly.aof.manifest');
  });

  it('renders what redis-server 7 writes, and parses it back', () => {
    expect(renderManifest(files)).toBe(redis7);
    expect(parseManifest(redis7, 'm')).toEqual(files);
    expect(renderManifest([])).toBe('');
  });

  it('skips comments and blank lines, takes keys in any order and case, tolerates CRLF', () => {
    const text = '# written by hand\n\nseq 3 type h FILE old.aof\r\nfile a.aof seq 1 type b\n';
    expect(parseManifest(text, 'm')).toEqual([
      { name: 'old.aof', seq: 3, type: 'h' },
      { name: 'a.aof', seq: 1, type: 'b' },
    ]);
  });

  it('quotes names that need it (sdscatrepr) and reads them back (sdssplitargs)', () => {
    const odd: AofFile[] = [
      { name: 'my append.aof.1.base.rdb', seq: 1, type: 'b' },
      { name: 'q"uote\\back.1.incr.aof', seq: 1, type: 'i' },
      { name: 'tab\tnl\nbell\x07\x01.2.incr.aof', seq: 2, type: 'i' },
    ];
    const text = renderManifest(odd);
    expect(text.split('\n')[0]).toBe('file "my append.aof.1.base.rdb" seq 1 type b');
    expect(text.split('\n')[1]).toBe('file "q\\"uote\\\\back.1.incr.aof" seq 1 type i');
    expect(text.split('\n')[2]).toBe('file "tab\\tnl\\nbell\\a\\x01.2.incr.aof" seq 2 type i');
    expect(parseManifest(text, 'm')).toEqual(odd);
    // single quotes as sdssplitargs reads them: only \' is an escape
    expect(parseManifest("file 'it\\'s a\\n.aof' seq 1 type b\n", 'm')).toEqual([{ name: "it's a\\n.aof", seq: 1, type: 'b' }]);
  });

  it.each([
    ['a key without a value', 'file a.aof seq 1 type'],
    ['no type', 'file a.aof seq 1'],
    ['an unknown type', 'file a.aof seq 1 type x'],
    ['a seq that is not a number', 'file a.aof seq one type b'],
    ['no file name', 'seq 1 type b'],
    ['an unterminated quote', 'file "a.aof seq 1 type b'],
    ['a closing quote inside a word', 'seq 1 type b file "a"x y'],
  ])('refuses %s, naming the file and line', (_what, line) => {
    const text = `file base.rdb seq 1 type b\n${line}\n`;
    expect(() => parseManifest(text, '/d/m')).toThrow(AofError);
    expect(() => parseManifest(text, '/d/m')).toThrow(`Invalid AOF manifest file format at /d/m:2: '${line}'`);
  });

  it('refuses a path as a file name, and two base files', () => {
    expect(() => parseManifest('file ../x.aof seq 1 type i\n', 'm')).toThrow("Invalid AOF manifest file name at m:1: '../x.aof'");
    expect(() => parseManifest('file a seq 1 type b\nfile b seq 2 type b\n', 'm')).toThrow('Found duplicate base file information in m');
  });

  it('writeManifest replaces the file whole and leaves no temp file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-manifest-'));
    try {
      fs.writeFileSync(path.join(dir, 'x.manifest'), 'old\n');
      writeManifest(dir, 'x.manifest', files);
      expect(fs.readFileSync(path.join(dir, 'x.manifest'), 'latin1')).toBe(redis7);
      expect(fs.readdirSync(dir)).toEqual(['x.manifest']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
