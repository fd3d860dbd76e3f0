import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyspace } from '../../../src/server/keyspace.js';
import { crc64 } from '../../../src/server/persistence/rdb/crc64.js';
import { crc64InThread, THREAD_CRC_MIN_BYTES } from '../../../src/server/persistence/rdb/crc64-thread.js';
import { encodeKeyspace, loadRdbFileAsync, loadRdbIntoAsync, RDB_WINDOW_BYTES } from '../../../src/server/persistence/rdb/index.js';

// A large RDB file's checksum is taken on a worker thread, reading the file itself, while the
// main thread parses it through its window (crc64-thread.ts, loadRdbFileAsync): the same
// verdicts as the inline check, and nothing applied on a mismatch.
let dir: string;
let file: string;
let size: number;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-thread-crc-'));
  const ks = new Keyspace();
  const value = 'x'.repeat(90);
  for (let i = 0; (i + 1) * 100 < THREAD_CRC_MIN_BYTES + (1 << 20); i++) ks.load(`key:${i}`, `${value}${i}`, undefined);
  const buf = encodeKeyspace(ks, undefined, { compress: false });
  file = path.join(dir, 'dump.rdb');
  fs.writeFileSync(file, buf);
  size = buf.length;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A copy of the file changed by `edit`, in the test's dir. */
function variant(name: string, edit: (buf: Buffer) => Buffer): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, edit(fs.readFileSync(file)));
  return f;
}

describe('checksum on a thread', () => {
  it('reads the file through its fd and sums it as crc64 does', async () => {
    const fd = fs.openSync(file, 'r');
    try {
      const t = crc64InThread(fd, size - 8);
      expect(await t.result).toBe(crc64(fs.readFileSync(file).subarray(0, size - 8)));
      await t.cancel();
    } finally {
      fs.closeSync(fd);
    }
  });

  it('loads an intact file, larger than the window, with its checksum verified', async () => {
    expect(size).toBeGreaterThan(2 * RDB_WINDOW_BYTES);
    const ks = new Keyspace();
    const st = await loadRdbFileAsync(file, ks);
    expect(st.checksumVerified).toBe(true);
    expect(st.bytes).toBe(size);
    expect(ks.size).toBe(st.keys);
    expect(st.keys).toBeGreaterThan(80_000);
    expect(ks.get('key:4242')).toBe(`${'x'.repeat(90)}4242`);
  });

  it('refuses a flipped byte in a value, touching nothing', async () => {
    const bad = variant('flipped.rdb', (buf) => {
      const at = buf.indexOf('key:4242');
      buf[at + 20] = buf[at + 20]! ^ 1;
      return buf;
    });
    const ks = new Keyspace();
    await expect(loadRdbFileAsync(bad, ks)).rejects.toThrow(/^RDB checksum mismatch/);
    expect(ks.size).toBe(0);
  });

  it('checks bytes before a trailer it did not sum (the inline way)', async () => {
    const longer = variant('trailer.rdb', (buf) => Buffer.concat([buf, Buffer.alloc(16)]));
    const ks = new Keyspace();
    const st = await loadRdbFileAsync(longer, ks);
    expect(st.checksumVerified).toBe(true);
    const bad = variant('trailer-flipped.rdb', (buf) => {
      const b = Buffer.concat([buf, Buffer.alloc(16)]);
      b[100] = b[100]! ^ 1;
      return b;
    });
    await expect(loadRdbFileAsync(bad, new Keyspace())).rejects.toThrow(/^RDB checksum mismatch/);
  });

  it('says where a truncated file ends, as a file offset: the byte the whole file in memory names', async () => {
    const cut = variant('cut.rdb', (buf) => buf.subarray(0, size - 1000));
    const whole = await loadRdbIntoAsync(fs.readFileSync(cut), new Keyspace()).catch((e: Error) => e.message);
    expect(whole).toMatch(/^RDB file is truncated: .*\(at byte \d+\)$/);
    await expect(loadRdbFileAsync(cut, new Keyspace())).rejects.toThrow(whole as string);
  });
});
