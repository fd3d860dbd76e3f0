import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ioWriteBytes } from '../../../src/harness/measure/io-bytes.js';
import { ioFigures } from '../../../src/harness/measure/trial-figures.js';

describe('ioWriteBytes', () => {
  it.skipIf(!fs.existsSync('/proc/self/io'))('counts what this process writes to a file (skipped: no /proc/<pid>/io)', () => {
    const before = ioWriteBytes(process.pid)!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-io-'));
    try {
      const fd = fs.openSync(path.join(dir, 'f'), 'w');
      fs.writeSync(fd, Buffer.alloc(1 << 20, 1));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      const after = ioWriteBytes(process.pid)!;
      // tmpfs has no storage layer to count: then nothing shows, and that is right too
      if (after > before) expect(after - before).toBeGreaterThanOrEqual(1 << 20);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is null for a process that is not there', () => {
    expect(ioWriteBytes(0)).toBeNull();
    expect(ioWriteBytes(2 ** 31 - 2)).toBeNull();
  });
});

describe('ioFigures', () => {
  it('per write and per logical byte, and null without both readings', () => {
    expect(ioFigures(1000, 9192, 2, 4096)).toEqual({ bytesWritten: 8192, bytesWrittenPerWrite: 4096, writeAmplification: 2 });
    expect(ioFigures(null, 10, 1, 1)).toEqual({ bytesWritten: null, bytesWrittenPerWrite: null, writeAmplification: null });
    expect(ioFigures(5, 5, 0, 0)).toEqual({ bytesWritten: 0, bytesWrittenPerWrite: null, writeAmplification: null });
  });
});
