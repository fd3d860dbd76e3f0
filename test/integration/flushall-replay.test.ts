/**
 * A FLUSHALL replayed from the AOF, side by side with redis-server 7.0: its
 * flushAllDataAndResetRDB runs during the load as it runs live, so with save points the RDB
 * file becomes the (empty) dataset mid-load and the changes since the last save count from
 * there; without save points nothing is saved. Both servers load one AOF redis-server wrote.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Databases } from '../../src/server/databases.js';
import { loadRdbInto } from '../../src/server/persistence/rdb/index.js';
import { hasBinary, tempDir } from '../helpers/spawn-server.js';
import { serversPerTest } from '../helpers/test-servers.js';

const hasRedis = hasBinary('redis-server');

const { start, client } = serversPerTest();

/** redis-server's appendonlydir after `script` (no RDB file left beside it). */
async function redisAof(script: string[][]): Promise<string> {
  const a = await start(['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], { binary: 'redis' });
  const r = await client(a);
  for (const argv of script) await r.call(argv[0]!, ...argv.slice(1));
  await a.stop('SIGKILL');
  return path.join(a.dir, 'appendonlydir');
}

interface Loaded {
  keys: string[];
  changes: string;
  saves: string;
  /** Keys in the RDB file after the load, or null when there is none. */
  rdbKeys: number | null;
}

/** Starts each server on a copy of the AOF dir with `save`; what it loaded and what it saved. */
async function loadBoth(aofDir: string, save: string): Promise<Loaded[]> {
  const out: Loaded[] = [];
  for (const binary of ['builtin', 'redis'] as const) {
    const dir = tempDir();
    fs.cpSync(aofDir, path.join(dir, 'appendonlydir'), { recursive: true });
    const s = await start(['--save', save, '--appendonly', 'yes'], { dir, binary });
    const r = await client(s);
    const info = await r.info('persistence');
    const field = (f: string): string => new RegExp(`${f}:(\\S+)`).exec(info)![1]!;
    const rdb = path.join(dir, 'dump.rdb');
    let rdbKeys: number | null = null;
    if (fs.existsSync(rdb)) {
      const dbs = new Databases(16);
      rdbKeys = loadRdbInto(fs.readFileSync(rdb), dbs).loaded;
    }
    out.push({ keys: (await r.keys('*')).sort(), changes: field('rdb_changes_since_last_save'), saves: field('rdb_saves'), rdbKeys });
  }
  return out;
}

describe.skipIf(!hasRedis)('FLUSHALL replayed from the AOF, as redis-server 7.0 replays it', () => {
  it('with save points: the RDB is saved mid-load (empty), changes count from the FLUSHALL', { timeout: 30_000 }, async () => {
    const aof = await redisAof([['SET', 'a', '1'], ['SET', 'x', '1'], ['FLUSHALL'], ['SET', 'b', '2'], ['SET', 'c', '3']]);
    const [ours, real] = await loadBoth(aof, '3600 1');
    expect(real).toEqual({ keys: ['b', 'c'], changes: '2', saves: '0', rdbKeys: 0 });
    expect(ours).toEqual(real);
  });

  it('without save points nothing is saved, and every replayed change counts (the FLUSHALL its one key)', { timeout: 30_000 }, async () => {
    const aof = await redisAof([['SET', 'a', '1'], ['FLUSHALL'], ['SET', 'b', '2'], ['SET', 'c', '3'], ['SET', 'd', '4']]);
    const [ours, real] = await loadBoth(aof, '');
    expect(real).toEqual({ keys: ['b', 'c', 'd'], changes: '5', saves: '0', rdbKeys: null });
    expect(ours).toEqual(real);
  });
});
