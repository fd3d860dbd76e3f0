/**
 * The shipped server (bin/durabench → the bundle, which starts the RDB encoding thread from
 * the script scripts/bundle-server.mjs put into it) saving on its thread: the file holds what
 * the server holds, redis-check-rdb accepts it, and the main-thread encoder writes the same.
 * `auto` picks the thread only where there is a second core, so this asks for it (CI may have one).
 * (Byte for byte equality of the two encoders is a unit test: here the AUX fields differ.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRdb, decodeFile, expectSameEntries, populate, readServer } from '../helpers/rdb-compare.js';
import { hasBinary, tempDir } from '../helpers/spawn-server.js';
import { serversPerTest } from '../helpers/test-servers.js';
import { sampleKeyspace } from '../unit/rdb/fixtures.js';

const { start, client } = serversPerTest();

async function bgsave(r: Awaited<ReturnType<typeof client>>): Promise<void> {
  expect(await r.call('BGSAVE')).toBe('Background saving started');
  for (let i = 0; i < 500; i++) {
    const info = String(await r.call('INFO', 'persistence'));
    if (info.includes('rdb_bgsave_in_progress:0')) {
      expect(info).toContain('rdb_last_bgsave_status:ok');
      return;
    }
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('BGSAVE did not finish in 10 s');
}

describe('BGSAVE on the encoding thread, in the shipped server', () => {
  it('writes what the server holds; the main-thread encoder writes the same', async () => {
    const dir = tempDir('durabench-thread-save-');
    const s = await start(['--save', '', '--snapshot-encoder', 'thread'], { dir });
    const r = await client(s);
    await populate(r, sampleKeyspace(Date.now(), { large: true }));
    const held = await readServer(r);
    expect(String(await r.call('INFO', 'persistence'))).toContain('rdb_snapshot_encoder:thread');
    await bgsave(r);
    const file = path.join(dir, 'dump.rdb');
    expectSameEntries(decodeFile(file).entries, held);
    if (hasBinary('redis-check-rdb')) expect(await checkRdb(file)).toContain('RDB looks OK');
    else console.warn('thread-save-bundle: redis-check-rdb not on PATH (apt install redis-tools), its check skipped');
    fs.renameSync(file, path.join(dir, 'thread.rdb'));
    expect(await r.call('CONFIG', 'SET', 'snapshot-encoder', 'main')).toBe('OK');
    expect(String(await r.call('INFO', 'persistence'))).toContain('rdb_snapshot_encoder:main');
    await bgsave(r);
    expectSameEntries(decodeFile(file).entries, held);
    expectSameEntries(decodeFile(path.join(dir, 'thread.rdb')).entries, decodeFile(file).entries);
  });
});
