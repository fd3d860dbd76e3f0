import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { hasBinary } from '../helpers/spawn-server.js';
import { serversPerTest } from '../helpers/test-servers.js';

/**
 * A stream with consumer groups and pending entries, judged from outside: it survives
 * SIGKILL + AOF replay, BGREWRITEAOF (plain and RDB-preamble bases) and an RDB restart;
 * redis-check-rdb / redis-check-aof accept our files; redis-server loads our RDB and we load
 * redis-server's, reading back equal.
 */
const { start, client } = serversPerTest();

const x = (r: Redis, ...argv: (string | number)[]): Promise<unknown> => r.call(String(argv[0]), ...argv.slice(1).map(String));

/** Entries, deletes, an approximate trim, two groups with pending entries, NOACK, an empty stream with a group. */
async function workload(r: Redis): Promise<void> {
  const p = r.pipeline();
  for (let i = 1; i <= 500; i++) p.call('XADD', 's', `${i}-1`, ...(i % 9 === 0 ? ['other', String(i), 'z', 'w'] : ['f', String(i)]));
  await p.exec();
  await x(r, 'XDEL', 's', '10-1', '11-1', '250-1');
  await x(r, 'XTRIM', 's', 'MAXLEN', '~', '300');
  await x(r, 'XGROUP', 'CREATE', 's', 'g', '0');
  await x(r, 'XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '20', 'STREAMS', 's', '>');
  await x(r, 'XACK', 's', 'g', '201-1', '202-1', '203-1');
  await x(r, 'XCLAIM', 's', 'g', 'bob', '0', '210-1', '211-1', 'TIME', '1700000000000', 'RETRYCOUNT', '4');
  await x(r, 'XGROUP', 'CREATECONSUMER', 's', 'g', 'carol');
  await x(r, 'XGROUP', 'CREATE', 's', 'g2', '$');
  await x(r, 'XADD', 's', '1000-1', 'x', 'y');
  await x(r, 'XREADGROUP', 'GROUP', 'g2', 'dave', 'NOACK', 'STREAMS', 's', '>');
  await x(r, 'XGROUP', 'CREATE', 'e', 'g', '0', 'MKSTREAM');
  await x(r, 'XSETID', 's', '2000-0');
}

/** What must read back equal; seen times only where the file keeps them (RDB, not AOF). */
async function snapshot(r: Redis, seen: boolean): Promise<unknown> {
  const clean = (v: unknown, parentKey?: string): unknown => {
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) {
        const k = typeof v[i - 1] === 'string' ? (v[i - 1] as string) : undefined;
        if (i % 2 === 1 && (k === 'radix-tree-nodes' || (k === 'seen-time' && !seen) || k === 'idle')) out.push('<masked>');
        else out.push(clean(v[i], k));
      }
      return out;
    }
    void parentKey;
    return v;
  };
  const pending = (await x(r, 'XPENDING', 's', 'g', '-', '+', '100')) as unknown[][];
  // Not vacuous: the workload leaves ~300 entries and over a dozen pending.
  expect(((await x(r, 'XRANGE', 's', '-', '+')) as unknown[]).length).toBeGreaterThan(250);
  expect(pending.length).toBeGreaterThan(10);
  return {
    range: await x(r, 'XRANGE', 's', '-', '+'),
    empty: await x(r, 'XINFO', 'STREAM', 'e', 'FULL'),
    full: clean(await x(r, 'XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0')),
    groups: await x(r, 'XINFO', 'GROUPS', 's'),
    pending: pending.map(([id, c, , n]) => [id, c, n]),
    type: await r.type('s'),
  };
}

const AOF = (preamble: 'yes' | 'no') => ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--aof-use-rdb-preamble', preamble];

async function waitRewrite(r: Redis): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const info = await r.info('persistence');
    if (/aof_rewrite_in_progress:0/.test(info) && !/aof_rewrite_scheduled:1/.test(info)) return;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('rewrite never finished');
}

describe('stream persistence, built-in server', () => {
  it('survives SIGKILL and AOF replay', async () => {
    const a = await start(AOF('no'));
    const r = await client(a);
    await workload(r);
    const before = await snapshot(r, false);
    r.disconnect();
    await a.stop('SIGKILL');
    const b = await start(AOF('no'), { dir: a.dir });
    const r2 = await client(b);
    expect(await snapshot(r2, false)).toEqual(before);
    r2.disconnect();
  });

  it.each(['no', 'yes'] as const)('survives BGREWRITEAOF (rdb preamble %s), later writes and SIGKILL; redis-check-aof accepts it', async (preamble) => {
    const a = await start(AOF(preamble));
    const r = await client(a);
    await workload(r);
    await x(r, 'BGREWRITEAOF');
    await waitRewrite(r);
    await x(r, 'XADD', 's', '3000-1', 'after', 'rewrite');
    await x(r, 'XACK', 's', 'g', '204-1');
    await x(r, 'XREADGROUP', 'GROUP', 'g', 'erin', 'COUNT', '2', 'STREAMS', 's', '>');
    const before = await snapshot(r, false);
    r.disconnect();
    await a.stop('SIGKILL');
    if (hasBinary('redis-check-aof')) {
      const manifest = path.join(a.dir, 'appendonlydir', 'appendonly.aof.manifest');
      expect(execFileSync('redis-check-aof', [manifest], { encoding: 'utf8' })).toMatch(/is valid/);
    }
    const b = await start(AOF(preamble), { dir: a.dir });
    const r2 = await client(b);
    expect(await snapshot(r2, false)).toEqual(before);
    r2.disconnect();
  });

  it('survives an RDB restart, seen times included; redis-check-rdb accepts the file', async () => {
    const a = await start(['--save', '', '--appendonly', 'no']);
    const r = await client(a);
    await workload(r);
    await x(r, 'SAVE');
    const before = await snapshot(r, true);
    r.disconnect();
    await a.stop('SIGKILL');
    if (hasBinary('redis-check-rdb')) {
      expect(execFileSync('redis-check-rdb', [path.join(a.dir, 'dump.rdb')], { encoding: 'utf8' })).toMatch(/RDB looks OK/);
    }
    const b = await start(['--save', '', '--appendonly', 'no'], { dir: a.dir });
    const r2 = await client(b);
    expect(await snapshot(r2, true)).toEqual(before);
    r2.disconnect();
  });
});

describe.skipIf(!hasBinary('redis-server'))('stream RDB interop with redis-server 7', () => {
  it('redis-server loads our RDB and reads back equal; we load its RDB and read back equal', async () => {
    // ours → redis-server
    const a = await start(['--save', '', '--appendonly', 'no']);
    const r = await client(a);
    await workload(r);
    await x(r, 'SAVE');
    const ours = await snapshot(r, true);
    r.disconnect();
    await a.stop('SIGKILL');
    const b = await start(['--save', '', '--appendonly', 'no'], { dir: a.dir, binary: 'redis' });
    const rb = await client(b);
    expect(await snapshot(rb, true)).toEqual(ours);
    // redis-server's own save of the same data, and a fresh run of the workload on it
    await x(rb, 'FLUSHALL');
    await workload(rb);
    await x(rb, 'SAVE');
    const theirs = await snapshot(rb, true);
    rb.disconnect();
    await b.stop('SIGKILL');
    const c = await start(['--save', '', '--appendonly', 'no'], { dir: a.dir });
    const rc = await client(c);
    expect(await snapshot(rc, true)).toEqual(theirs);
    rc.disconnect();
  });

  it("we replay redis-server's AOF of the same workload (its XCLAIMs, SETIDs, MULTI-wrapped deliveries) and read back equal", async () => {
    const a = await start(AOF('no'), { binary: 'redis' });
    const r = await client(a);
    await workload(r);
    const theirs = await snapshot(r, false);
    r.disconnect();
    await a.stop('SIGKILL');
    const b = await start(AOF('no'), { dir: a.dir });
    const r2 = await client(b);
    expect(await snapshot(r2, false)).toEqual(theirs);
    r2.disconnect();
  });
});
