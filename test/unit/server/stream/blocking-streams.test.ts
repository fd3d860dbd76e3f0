import { afterEach, describe, expect, it, vi } from 'vitest';
import { Blocking, type BlockableClient } from '../../../../src/server/blocking.js';
import type { Ctx, ServerApi } from '../../../../src/server/commands/command.js';
import { dataCommands } from '../../../../src/server/commands/index.js';
import { commandTable, dispatch, type DispatchClient, type DispatchHost } from '../../../../src/server/dispatch.js';
import { Databases } from '../../../../src/server/databases.js';
import { decode } from '../commands/harness.js';

/** XREAD / XREADGROUP BLOCK through the real dispatcher and the shared blocking registry. */
function setup() {
  const dbs = new Databases(16);
  const ks = dbs.get(0);
  const delivered = new Map<BlockableClient, unknown[]>();
  const blocking = new Blocking((c, reply) => delivered.set(c, [...(delivered.get(c) ?? []), decode(reply)]));
  const aof: string[][] = [];
  let id = 0;
  const client = (): DispatchClient & BlockableClient => ({
    id: ++id, name: '', resp: 2, db: 0, authenticated: true, libName: '', libVer: '', scanKeys: null, closeAfterReply: false, wroteThisTurn: false,
  });
  const ctx: Ctx = { ks, dbs, client: client(), server: {} as ServerApi, resp: 2, rewritten: null, blocking };
  const host: DispatchHost = {
    table: commandTable(dataCommands),
    ctx,
    loading: false,
    persistence: { aofOn: true, propagate: (a) => void aof.push([...a]), writeRefusal: () => null },
  };
  const run = (c: DispatchClient, ...argv: string[]): string => dispatch(host, c, argv);
  return { ks, blocking, delivered, aof, client, run };
}

const noTime = (a: string[]): string[] => a.map((x) => (/^1[0-9]{12}$/.test(x) ? '<ms>' : x));

afterEach(() => {
  vi.useRealTimers();
});

describe('stream blocking', () => {
  it('XREAD BLOCK with $ waits for entries after the last ID it saw; waiters are served in FIFO order', () => {
    const t = setup();
    const [a, b, w] = [t.client(), t.client(), t.client()];
    t.run(w, 'XADD', 's', '1-1', 'old', 'x');
    expect(t.run(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$')).toBe('');
    expect(t.run(b, 'XREAD', 'BLOCK', '0', 'STREAMS', 'other', 's', '$', '$')).toBe('');
    expect(t.blocking.waiting).toBe(2);
    t.run(w, 'XADD', 's', '2-1', 'new', 'y');
    expect(t.delivered.get(a)).toEqual([[['s', [['2-1', ['new', 'y']]]]]]);
    // Only the key that became ready is in the reply, as redis-server serves one key.
    expect(t.delivered.get(b)).toEqual([[['s', [['2-1', ['new', 'y']]]]]]);
    expect(t.blocking.waiting).toBe(0);
    // A read is not a write: the AOF holds the XADDs only.
    expect(t.aof.map((x) => x[0])).toEqual(['XADD', 'XADD']);
  });

  it('a write that adds nothing newer (XDEL, another key) leaves the reader waiting', () => {
    const t = setup();
    const [a, w] = [t.client(), t.client()];
    t.run(w, 'XADD', 's', '1-1', 'f', 'v');
    t.run(w, 'XADD', 's', '2-1', 'f', 'v');
    t.run(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '2-1');
    t.run(w, 'XDEL', 's', '1-1');
    t.run(w, 'XADD', 'z', '1-1', 'f', 'v');
    expect(t.delivered.get(a)).toBeUndefined();
    t.run(w, 'XADD', 's', '3-1', 'f', 'v');
    expect(t.delivered.get(a)).toEqual([[['s', [['3-1', ['f', 'v']]]]]]);
  });

  it('XREADGROUP BLOCK > delivers to the first waiter, the second keeps waiting; the AOF sees XCLAIM, not XREADGROUP', () => {
    const t = setup();
    const [a, b, w] = [t.client(), t.client(), t.client()];
    t.run(w, 'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    t.aof.length = 0;
    t.run(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    t.run(b, 'XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>');
    t.run(w, 'XADD', 's', '5-1', 'k', 'v');
    expect(t.delivered.get(a)).toEqual([[['s', [['5-1', ['k', 'v']]]]]]);
    expect(t.delivered.get(b)).toBeUndefined();
    expect(t.aof.map(noTime)).toEqual([
      ['XADD', 's', '5-1', 'k', 'v'],
      ['XCLAIM', 's', 'g', 'alice', '0', '5-1', 'TIME', '<ms>', 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', '5-1'],
    ]);
    expect(a.wroteThisTurn).toBe(true);
    t.run(w, 'XADD', 's', '6-1', 'k', 'w');
    expect(t.delivered.get(b)).toEqual([[['s', [['6-1', ['k', 'w']]]]]]);
    expect(decode(t.run(w, 'XPENDING', 's', 'g'))).toEqual([2, '5-1', '6-1', [['alice', '1'], ['bob', '1']]]);
  });

  it('XREADGROUP waiters are told when the group is destroyed or the key deleted; XREAD waiters wait on', () => {
    const t = setup();
    const [a, b, c, w] = [t.client(), t.client(), t.client(), t.client()];
    t.run(w, 'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    t.run(w, 'XGROUP', 'CREATE', 's', 'h', '$');
    t.run(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    t.run(b, 'XREADGROUP', 'GROUP', 'h', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>');
    t.run(c, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    t.run(w, 'XGROUP', 'DESTROY', 's', 'g');
    expect(t.delivered.get(a)).toEqual([{ err: 'NOGROUP the consumer group this client was blocked on no longer exists' }]);
    expect(t.delivered.get(b)).toBeUndefined();
    t.run(w, 'DEL', 's');
    expect(t.delivered.get(b)).toEqual([{ err: 'UNBLOCKED the stream key no longer exists' }]);
    expect(t.delivered.get(c)).toBeUndefined();
    t.run(w, 'XADD', 's', '1-1', 'f', 'v');
    expect(t.delivered.get(c)).toEqual([[['s', [['1-1', ['f', 'v']]]]]]);
  });

  it('times out with the null array; BLOCK 0 without data inside MULTI answers at once', () => {
    vi.useFakeTimers();
    const t = setup();
    const a = t.client();
    t.run(a, 'XREAD', 'BLOCK', '150', 'STREAMS', 's', '0');
    vi.advanceTimersByTime(100);
    expect(t.delivered.get(a)).toBeUndefined();
    vi.advanceTimersByTime(100);
    expect(t.delivered.get(a)).toEqual([null]);
    const m = t.client();
    m.denyBlocking = true;
    expect(t.run(m, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '0')).toBe('*-1\r\n');
  });

  it('a blocked reader with no COUNT gets at most 1000 entries (XREAD_BLOCKED_DEFAULT_COUNT)', () => {
    const t = setup();
    const [a, b, w] = [t.client(), t.client(), t.client()];
    t.run(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    t.run(b, 'XREAD', 'COUNT', '1500', 'BLOCK', '0', 'STREAMS', 's', '$');
    for (let i = 1; i <= 1200; i++) t.run(w, 'XADD', 'big', `${i}-1`, 'f', 'v');
    // A RENAME brings 1200 entries in one write.
    t.run(w, 'RENAME', 'big', 's');
    const got = (c: BlockableClient): unknown[] => ((t.delivered.get(c)![0] as [string, unknown[]][])[0]![1]);
    expect(got(a)).toHaveLength(1000);
    expect(got(b)).toHaveLength(1200);
  });
});
