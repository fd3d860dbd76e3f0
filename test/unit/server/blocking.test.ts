import { afterEach, describe, expect, it, vi } from 'vitest';
import { Blocking, type BlockableClient } from '../../../src/server/blocking.js';
import type { Ctx, ServerApi } from '../../../src/server/commands/command.js';
import { dataCommands } from '../../../src/server/commands/index.js';
import { commandTable, dispatch, type DispatchClient, type DispatchHost } from '../../../src/server/dispatch.js';
import { Keyspace } from '../../../src/server/keyspace.js';

/** The registry through the real dispatcher: several clients, one keyspace, a recorded AOF. */
function setup() {
  const ks = new Keyspace();
  const delivered = new Map<BlockableClient, string[]>();
  const blocking = new Blocking((c, reply) => delivered.set(c, [...(delivered.get(c) ?? []), reply]));
  const aof: string[][] = [];
  let id = 0;
  const client = (): DispatchClient & BlockableClient => ({
    id: ++id, name: '', resp: 2, authenticated: true, libName: '', libVer: '', closeAfterReply: false, wroteThisTurn: false,
  });
  const ctx: Ctx = { ks, client: client(), server: {} as ServerApi, resp: 2, rewritten: null, blocking };
  const host: DispatchHost = {
    table: commandTable(dataCommands),
    ctx,
    loading: false,
    persistence: { aofOn: true, propagate: (a) => void aof.push([...a]), writeRefusal: () => null },
  };
  const run = (c: DispatchClient, ...argv: string[]): string => dispatch(host, c, argv);
  return { ks, blocking, delivered, aof, client, run };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Blocking', () => {
  it('blocks on missing keys, serves waiters in the order they blocked, propagates the pops', () => {
    const t = setup();
    const [a, b, c] = [t.client(), t.client(), t.client()];
    expect(t.run(a, 'BLPOP', 'q', '0')).toBe('');
    expect(t.run(b, 'BRPOP', 'q', '0')).toBe('');
    expect(a.blocked && b.blocked).toBe(true);
    expect(t.blocking.waiting).toBe(2);
    expect(t.run(c, 'RPUSH', 'q', 'x', 'y', 'z')).toBe(':3\r\n');
    expect(t.delivered.get(a)).toEqual(['*2\r\n$1\r\nq\r\n$1\r\nx\r\n']);
    expect(t.delivered.get(b)).toEqual(['*2\r\n$1\r\nq\r\n$1\r\nz\r\n']);
    expect(t.aof).toEqual([['RPUSH', 'q', 'x', 'y', 'z'], ['LPOP', 'q'], ['RPOP', 'q']]);
    expect(a.wroteThisTurn).toBe(true); // its reply waits for the AOF flush
    expect(t.blocking.waiting).toBe(0);
  });

  it('a waiter the first one leaves nothing for keeps its place', () => {
    const t = setup();
    const [a, b, c] = [t.client(), t.client(), t.client()];
    t.run(a, 'BLPOP', 'q', '0');
    t.run(b, 'BLPOP', 'q', '0');
    t.run(c, 'RPUSH', 'q', 'only');
    expect(t.delivered.get(b)).toBeUndefined();
    const d = t.client();
    t.run(d, 'BLPOP', 'q', '0');
    t.run(c, 'RPUSH', 'q', 'next');
    expect(t.delivered.get(b)).toEqual(['*2\r\n$1\r\nq\r\n$4\r\nnext\r\n']);
    expect(t.delivered.get(d)).toBeUndefined();
  });

  it('times out with the null array, not before the deadline; a disconnect forgets the waiter', () => {
    vi.useFakeTimers();
    const t = setup();
    const [a, b, c] = [t.client(), t.client(), t.client()];
    t.run(a, 'BZPOPMIN', 'z', '1.5');
    vi.advanceTimersByTime(1400);
    expect(t.delivered.get(a)).toBeUndefined();
    vi.advanceTimersByTime(200);
    expect(t.delivered.get(a)).toEqual(['*-1\r\n']);
    expect(a.blocked).toBe(false);
    t.run(b, 'BLPOP', 'g', '0');
    t.blocking.remove(b);
    t.run(c, 'RPUSH', 'g', 'kept');
    expect(t.run(c, 'LLEN', 'g')).toBe(':1\r\n');
    expect(t.aof).toEqual([['RPUSH', 'g', 'kept']]);
  });

  it('inside MULTI (denyBlocking) answers at once as a timeout', () => {
    const t = setup();
    const a = t.client();
    a.denyBlocking = true;
    expect(t.run(a, 'BLPOP', 'q', '0')).toBe('*-1\r\n');
    expect(t.run(a, 'BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0')).toBe('$-1\r\n');
    expect(t.run(a, 'BZMPOP', '0', '1', 'z', 'MIN')).toBe('*-1\r\n');
    expect(t.blocking.waiting).toBe(0);
  });

  it('BLMOVE served pushes to a key another client waits on; wrong-type values leave waiters blocked', () => {
    const t = setup();
    const [a, b, c] = [t.client(), t.client(), t.client()];
    t.run(a, 'BLMOVE', 'src', 'dst', 'RIGHT', 'LEFT', '0');
    t.run(b, 'BZPOPMAX', 'dst', 'zk', '0');
    t.run(c, 'SET', 'zk', 'string');
    expect(t.delivered.get(b)).toBeUndefined();
    t.run(c, 'DEL', 'zk');
    t.run(c, 'RPUSH', 'src', 'v');
    expect(t.delivered.get(a)).toEqual(['$1\r\nv\r\n']);
    expect(t.delivered.get(b)).toBeUndefined(); // dst is a list, b wants a zset
    t.run(c, 'ZADD', 'zk', '1', 'm');
    expect(t.delivered.get(b)).toEqual(['*3\r\n$2\r\nzk\r\n$1\r\nm\r\n$1\r\n1\r\n']);
    expect(t.aof.slice(-3)).toEqual([['LMOVE', 'src', 'dst', 'right', 'left'], ['ZADD', 'zk', '1', 'm'], ['ZPOPMAX', 'zk']]);
  });
});
