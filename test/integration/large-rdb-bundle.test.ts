/**
 * An RDB of 8 MB or more gets its checksum on a worker thread that runs the source text of
 * crc64.ts's functions (crc64-thread.ts). Once bundled and minified, a function that calls
 * another by name is no longer self-contained: that shipped once, and the built-in server
 * refused to restart from every large RDB ("Ys is not defined"), while the unit tests, which
 * run the sources, passed. So this runs the shipped server (bin/durabench → the bundle).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { Keyspace } from '../../src/server/keyspace.js';
import { THREAD_CRC_MIN_BYTES } from '../../src/server/persistence/rdb/crc64-thread.js';
import { encodeKeyspace } from '../../src/server/persistence/rdb/index.js';
import { RespConnection } from '../../src/harness/workload/resp-connection.js';
import { startServer, tempDir } from '../helpers/spawn-server.js';

function largeRdb(dir: string): { keys: number; file: string } {
  const ks = new Keyspace();
  const value = 'v'.repeat(90);
  let keys = 0;
  for (; (keys + 1) * 100 < THREAD_CRC_MIN_BYTES + (1 << 20); keys++) ks.load(`key:${keys}`, `${value}${keys}`, undefined);
  const file = path.join(dir, 'dump.rdb');
  fs.writeFileSync(file, encodeKeyspace(ks, undefined, { compress: false }));
  expect(fs.statSync(file).size).toBeGreaterThan(THREAD_CRC_MIN_BYTES);
  return { keys, file };
}

it('the shipped server loads an RDB large enough for the checksum thread', async () => {
  const dir = tempDir();
  const { keys } = largeRdb(dir);
  const s = await startServer([], { dir });
  try {
    const c = await RespConnection.connect(s.port);
    try {
      expect(await c.call('DBSIZE')).toBe(keys);
    } finally {
      c.close();
    }
  } finally {
    await s.stop();
  }
});

it('and refuses one whose checksum is wrong, saying so', async () => {
  const dir = tempDir();
  const { file } = largeRdb(dir);
  const buf = fs.readFileSync(file);
  buf[buf.length - 1]! ^= 0xff;
  fs.writeFileSync(file, buf);
  const s = await startServer([], { dir, expectExit: true });
  expect(await s.stop('SIGCONT')).not.toBe(0);
  expect(s.output()).toMatch(/checksum/i);
});
