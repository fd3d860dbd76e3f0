/**
 * After the preload the harness leaves the server with nothing running in the background, on
 * both targets: a save point's BGSAVE or an automatic AOF rewrite set off by the preload
 * used to run on into the measured writes (and a BGSAVE asked for while a rewrite ran was
 * refused: "Another child process is active").
 */
import { describe, expect, it } from 'vitest';
import { infoNumber, parseInfo } from '../../src/harness/measure/info.js';
import { preload, snapshotAndWait } from '../../src/harness/workload/preload.js';
import { replyText, RespConnection } from '../../src/harness/workload/resp-connection.js';
import { hasBinary } from '../helpers/spawn-server.js';
import { serversPerTest } from '../helpers/test-servers.js';

const { start } = serversPerTest();
const targets = hasBinary('redis-server') ? (['builtin', 'redis'] as const) : (['builtin'] as const);
if (targets.length === 1) console.warn('preload-settle: redis-server not on PATH (apt install redis-server), its cases skipped');

// An AOF that doubles past 1 MB sets off automatic rewrites in the middle of the preload.
const aofArgs = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--auto-aof-rewrite-min-size', '1mb', '--auto-aof-rewrite-percentage', '100'];

describe.each(targets)('%s: the preload settles', (binary) => {
  it('rdb+aof: BGSAVE and BGREWRITEAOF both done, none running or scheduled, nothing new started after', async () => {
    const s = await start([...aofArgs, '--save', '1 100', '--aof-use-rdb-preamble', 'yes'], { binary });
    const c = await RespConnection.connect(s.port);
    try {
      await preload(c, 40_000, 100, 7);
      await snapshotAndWait(c, 'BGSAVE', 60_000);
      await snapshotAndWait(c, 'BGREWRITEAOF', 60_000);
      const info = async () => parseInfo(replyText(await c.call('INFO', 'persistence')));
      const now = await info();
      for (const f of ['rdb_bgsave_in_progress', 'aof_rewrite_in_progress', 'aof_rewrite_scheduled']) expect(infoNumber(now, f), f).toBe(0);
      expect(now.rdb_last_bgsave_status).toBe('ok');
      expect(now.aof_last_bgrewrite_status).toBe('ok');
      // the base holds the whole preload: the AOF has not grown, so no automatic rewrite follows
      expect(infoNumber(now, 'aof_base_size')).toBeGreaterThan(40_000 * 100);
      await new Promise((r) => setTimeout(r, 400));
      expect(infoNumber(await info(), 'aof_rewrite_in_progress')).toBe(0);
    } finally {
      c.close();
    }
  });
});
