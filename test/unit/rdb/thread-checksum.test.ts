import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyspace } from '../../../src/server/keyspace.js';
import { crc64 } from '../../../src/server/persistence/rdb/crc64.js';
import { crc64InThread, readShared, THREAD_CRC_MIN_BYTES } from '../../../src/server/persistence/rdb/crc64-thread.js';
import { encodeKeyspace, loadRdbIntoAsync } from '../../../src/server/persistence/rdb/index.js';

// A large RDB file's checksum is taken on a worker thread while the main thread parses it
// (crc64-thread.ts): the same verdicts as the inline check, and nothing applied on a mismatch.
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

describe('checksum on a thread', () => {
  it('reads a large file into shared memory and sums it as crc64 does', async () => {
    const buf = readShared(file);
    expect(buf.length).toBe(size);
    expect(buf.buffer).toBeInstanceOf(SharedArrayBuffer);
    const t = crc64InThread(buf, buf.length - 8)!;
    expect(await t.result).toBe(crc64(buf.subarray(0, buf.length - 8)));
  });

  it('loads an intact file with its checksum verified', async () => {
    const ks = new Keyspace();
    const st = await loadRdbIntoAsync(readShared(file), ks);
    expect(st.checksumVerified).toBe(true);
    expect(ks.size).toBe(st.keys);
    expect(st.keys).toBeGreaterThan(80_000);
  });

  it('refuses a flipped byte in a value, touching nothing', async () => {
    const buf = readShared(file);
    const at = buf.indexOf('key:4242');
    buf[at + 20] = buf[at + 20]! ^ 1;
    const ks = new Keyspace();
    await expect(loadRdbIntoAsync(buf, ks)).rejects.toThrow(/^RDB checksum mismatch/);
    expect(ks.size).toBe(0);
  });

  it('checks bytes before a trailer it did not sum (the inline way)', async () => {
    const buf = readShared(file);
    const longer = Buffer.from(new SharedArrayBuffer(buf.length + 16));
    buf.copy(longer);
    const ks = new Keyspace();
    const st = await loadRdbIntoAsync(longer, ks);
    expect(st.checksumVerified).toBe(true);
    longer[100] = longer[100]! ^ 1;
    await expect(loadRdbIntoAsync(longer, new Keyspace())).rejects.toThrow(/^RDB checksum mismatch/);
  });
});
