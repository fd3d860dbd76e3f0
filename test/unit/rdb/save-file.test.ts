import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtomicFileWriter, tempFileName, writeFileAtomic } from '../../../src/server/persistence/rdb/save-file.js';

describe('atomic RDB file writes', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-rdb-save-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a buffer or chunks and leaves no temp file', () => {
    writeFileAtomic(dir, 'dump.rdb', Buffer.from('first'));
    expect(fs.readFileSync(path.join(dir, 'dump.rdb'), 'latin1')).toBe('first');
    writeFileAtomic(dir, 'dump.rdb', [Buffer.from('sec'), Buffer.from('ond'), new Uint8Array(0)]);
    expect(fs.readFileSync(path.join(dir, 'dump.rdb'), 'latin1')).toBe('second');
    expect(fs.readdirSync(dir)).toEqual(['dump.rdb']);
  });

  it('keeps the old file until commit, replaces it on commit', () => {
    writeFileAtomic(dir, 'dump.rdb', Buffer.from('old'));
    const w = new AtomicFileWriter(dir, 'dump.rdb');
    expect(path.basename(w.tempPath)).toBe(tempFileName());
    expect(tempFileName()).toBe(`temp-${process.pid}.rdb`);
    w.write(Buffer.from('ne'));
    w.write(Buffer.from('w!'));
    expect(w.size).toBe(4);
    expect(fs.readFileSync(path.join(dir, 'dump.rdb'), 'latin1')).toBe('old');
    expect(fs.readFileSync(w.tempPath, 'latin1')).toBe('new!');
    w.commit();
    expect(fs.readFileSync(path.join(dir, 'dump.rdb'), 'latin1')).toBe('new!');
    expect(fs.readdirSync(dir)).toEqual(['dump.rdb']);
    expect(() => w.write(Buffer.from('x'))).toThrow(/closed/);
  });

  it('abort removes the temp file and leaves the target alone', () => {
    writeFileAtomic(dir, 'dump.rdb', Buffer.from('old'));
    const w = new AtomicFileWriter(dir, 'dump.rdb', 'temp-custom.rdb');
    w.write(Buffer.from('partial'));
    w.abort();
    w.abort();
    expect(fs.readdirSync(dir)).toEqual(['dump.rdb']);
    expect(fs.readFileSync(path.join(dir, 'dump.rdb'), 'latin1')).toBe('old');
  });

  it('fails loudly when the directory does not exist', () => {
    expect(() => writeFileAtomic(path.join(dir, 'missing'), 'dump.rdb', Buffer.from('x'))).toThrow(/ENOENT/);
  });
});
