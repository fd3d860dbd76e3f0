/**
 * The built-in server runs its snapshot path once on scratch data while idle after a start
 * (persistence/snapshot-warm-up.ts): only while no command comes, never into the dataset,
 * and not at all with --snapshot-warm-up no.
 */
import { describe, expect, it } from 'vitest';
import { serversPerTest } from '../helpers/test-servers.js';

const { start, client } = serversPerTest();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Client = Awaited<ReturnType<typeof client>>;

async function warmUpState(r: Client): Promise<string> {
  return /rdb_snapshot_warm_up:(\w+)/.exec(String(await r.call('INFO', 'persistence')))![1]!;
}

async function untilDone(r: Client): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await warmUpState(r)) === 'done') return;
    await sleep(200); // idle in between: the warm-up runs only when no command came for a cron tick
  }
  throw new Error('the warm-up did not finish in 10 s of idle time');
}

describe('snapshot warm-up', () => {
  it('runs while idle, leaves the dataset and the change count alone', async () => {
    const s = await start(['--save', '']);
    const r = await client(s);
    await r.set('k', 'v');
    await untilDone(r);
    expect(await r.dbsize()).toBe(1);
    expect(String(await r.call('INFO', 'persistence'))).toContain('rdb_changes_since_last_save:1');
    expect(String(await r.call('INFO', 'keyspace'))).toContain('db0:keys=1,');
  });

  it('waits while commands keep coming', async () => {
    const s = await start(['--save', '']);
    const r = await client(s);
    // a command every 10 ms: no cron tick (hz 10) ever sees the server idle
    for (let i = 0; i < 100; i++) {
      await r.ping();
      await sleep(10);
    }
    expect(await warmUpState(r)).toBe('pending');
    await untilDone(r);
  });

  it('is off with --snapshot-warm-up no, and CONFIG SET turns it on', async () => {
    const s = await start(['--save', '', '--snapshot-warm-up', 'no']);
    const r = await client(s);
    await sleep(600);
    expect(await warmUpState(r)).toBe('off');
    expect(await r.config('GET', 'snapshot-warm-up')).toEqual(['snapshot-warm-up', 'no']);
    await r.config('SET', 'snapshot-warm-up', 'yes');
    await untilDone(r);
  });
});
