import { describe, expect, it } from 'vitest';
import { aofCommands, incrText } from '../helpers/aof-files.js';
import { RawClient } from '../helpers/raw-client.js';
import { hasBinary } from '../helpers/spawn-server.js';
import { serversPerTest } from '../helpers/test-servers.js';

/**
 * Blocking commands over real sockets, the same script against the built-in server and
 * redis-server 7 (when installed): FIFO service, BLMOVE chains, timeouts, pipelined commands
 * held behind a blocked one, disconnects, and what the AOF records (the non-blocking effect).
 */
const { start } = serversPerTest();

const targets = (['builtin', 'redis'] as const).filter((t) => t === 'builtin' || hasBinary('redis-server'));

/** Runs the script on a fresh server of the kind; returns every reply it saw, in order. */
async function script(kind: 'builtin' | 'redis'): Promise<{ log: (string | null)[]; aof: string }> {
  const s = await start(['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], { binary: kind });
  const log: (string | null)[] = [];
  const [a, b, c] = await Promise.all([RawClient.connect(s.port), RawClient.connect(s.port), RawClient.connect(s.port)]);
  try {
    // FIFO: two waiters, one push of three elements.
    a.write(['BLPOP', 'q', '0']);
    await new Promise((r) => setTimeout(r, 50));
    b.write(['BLPOP', 'q', 'other', '0']);
    await new Promise((r) => setTimeout(r, 50));
    log.push(await a.next(100)); // still blocked: null
    log.push(await c.send(['RPUSH', 'q', 'x', 'y', 'z']));
    log.push(await a.next(), await b.next(), await c.send(['LRANGE', 'q', '0', '-1']));
    // A blocked client's later commands wait behind it.
    a.write(['BRPOP', 'q2', '0'], ['PING'], ['LLEN', 'q2']);
    log.push(await a.next(150));
    log.push(await c.send(['LPUSH', 'q2', 'v1', 'v2']));
    log.push(await a.next(), await a.next(), await a.next());
    // BLMOVE feeds a client blocked on its destination.
    a.write(['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0']);
    await new Promise((r) => setTimeout(r, 50));
    b.write(['BLPOP', 'dst', '0']);
    await new Promise((r) => setTimeout(r, 50));
    log.push(await c.send(['RPUSH', 'src', 'm']));
    log.push(await a.next(), await b.next(), await c.send(['EXISTS', 'src', 'dst']));
    // A type the waiter does not want leaves it blocked; the right type serves it.
    a.write(['BZPOPMIN', 'zk', '0']);
    await new Promise((r) => setTimeout(r, 50));
    log.push(await c.send(['RPUSH', 'zk', 'nope']), await a.next(100), await c.send(['DEL', 'zk']));
    log.push(await c.send(['ZADD', 'zk', '2', 'b', '1', 'a']), await a.next());
    // BLMPOP with a count, BZMPOP.
    a.write(['BLMPOP', '0', '2', 'm1', 'm2', 'RIGHT', 'COUNT', '5']);
    await new Promise((r) => setTimeout(r, 50));
    log.push(await c.send(['RPUSH', 'm2', '1', '2', '3']), await a.next());
    a.write(['BZMPOP', '0', '1', 'zm', 'MAX', 'COUNT', '2']);
    await new Promise((r) => setTimeout(r, 50));
    log.push(await c.send(['ZADD', 'zm', '1', 'a', '2', 'b', '3', 'c']), await a.next());
    // Timeouts: the null array, no sooner than asked.
    const t0 = Date.now();
    log.push(await a.send(['BLPOP', 'none', '0.2']));
    const waited = Date.now() - t0;
    log.push(waited >= 190 ? 'waited' : `answered after ${waited} ms`);
    log.push(await a.send(['BRPOPLPUSH', 'none', 'd', '0.05']), await a.send(['BZPOPMAX', 'none', '0.05']));
    // A waiter that disconnects is forgotten: the push stays in the list.
    b.write(['BLPOP', 'gone', '0']);
    await new Promise((r) => setTimeout(r, 50));
    b.close();
    await new Promise((r) => setTimeout(r, 50));
    log.push(await c.send(['RPUSH', 'gone', 'kept']), await c.send(['LLEN', 'gone']));
    log.push(await c.send(['INFO', 'clients']).then((r) => /blocked_clients:(\d+)/.exec(r ?? '')?.[1] ?? null));
  } finally {
    a.close();
    b.close();
    c.close();
  }
  return { log, aof: incrText(s.dir) };
}

/** The AOF as command lines, SELECT dropped. */
const aofLines = (aof: string): string[] => aofCommands(aof).map((argv) => argv.join(' '));

describe('blocking commands', () => {
  it.each(targets)('serve FIFO, chain, time out and propagate their effect (%s)', { timeout: 30_000 }, async (kind) => {
    const { log, aof } = await script(kind);
    expect(log).toMatchSnapshot();
    expect(aofLines(aof)).toMatchSnapshot();
  });

  it.runIf(targets.length === 2)('the built-in server answers and logs as redis-server does', { timeout: 60_000 }, async () => {
    const [ours, real] = await Promise.all([script('builtin'), script('redis')]);
    expect(ours.log).toEqual(real.log);
    expect(aofLines(ours.aof)).toEqual(aofLines(real.aof));
  });
});
