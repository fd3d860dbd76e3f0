import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Keyspace } from '../../../src/server/keyspace.js';
import { BackgroundSave, type SaveOutcome } from '../../../src/server/persistence/background-save.js';

// A write() may take fewer bytes than asked (a file system with a page left): the save must
// write the rest or fail, never rename a file with bytes missing over the old one.
afterEach(() => vi.restoreAllMocks());

function save(dir: string): Promise<SaveOutcome> {
  const ks = new Keyspace();
  for (let i = 0; i < 10; i++) ks.set(`k${i}`, `v${i}`);
  return new Promise((resolve) => {
    new BackgroundSave(
      ks,
      dir,
      'dump.rdb',
      (sink) => ({ entry: (k, v) => sink(Buffer.from(`${k}=${String(v)};`)), finish: () => sink(Buffer.from('END')) }),
      'cow',
      resolve,
    );
  });
}

describe('BackgroundSave and short writes', () => {
  it('writes the rest of a chunk a write() took only part of', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-bgsave-'));
    try {
      const real = fs.writeSync.bind(fs) as (fd: number, buf: Uint8Array, off?: number, len?: number) => number;
      const spy = vi.spyOn(fs, 'writeSync') as unknown as { mockImplementation(f: (...a: unknown[]) => number): void };
      let shortened = false;
      spy.mockImplementation((fd: unknown, buf: unknown, off?: unknown, len?: unknown) => {
        const b = buf as Buffer;
        const o = (off as number | undefined) ?? 0;
        const l = (len as number | undefined) ?? b.length - o;
        // the trailer's write takes one byte only, once (as a nearly full disk does)
        if (!shortened && b.toString('latin1', o, o + l) === 'END') {
          shortened = true;
          return real(fd as number, b, o, 1);
        }
        return real(fd as number, b, o, l);
      });
      const out = await save(dir);
      expect(shortened).toBe(true);
      const file = path.join(dir, 'dump.rdb');
      if (out.ok) expect(fs.readFileSync(file, 'latin1')).toMatch(/END$/);
      else expect(fs.existsSync(file)).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('temp-'))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
