import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Connection, type Dispatcher } from '../../../src/server/connection.js';

/** A socket that records what is written to it. */
function fakeSocket(): Socket & { written: string[] } {
  const s = new EventEmitter() as EventEmitter & Record<string, unknown>;
  const written: string[] = [];
  Object.assign(s, {
    written,
    writableLength: 0,
    setNoDelay: () => s,
    pause: () => s,
    resume: () => s,
    end: () => s,
    destroy: () => s,
    write: (data: string) => (written.push(data), true),
  });
  return s as unknown as Socket & { written: string[] };
}

/** A server that answers every command with its name and queues replies as Server does. */
function fakeServer() {
  const queue: Connection[] = [];
  const server: Dispatcher = {
    execute: (_c, argv) => `+${argv[0]}\r\n`,
    queueReply: (conn) => {
      if (!conn.queued) (conn.queued = true), queue.push(conn);
    },
    protoMaxBulkLen: () => 512 * 1024 * 1024,
    queryBufferLimit: () => 1024 * 1024 * 1024,
    outputHardLimit: () => 0,
    needsAuth: () => false,
    closed: () => undefined,
  };
  /** The server's beforeSleep, without an AOF. */
  const beforeSleep = (): void => {
    for (const c of queue.splice(0)) (c.queued = false), c.flush();
  };
  return { server, beforeSleep };
}

describe('Connection', () => {
  it("writes a turn's replies only at the end of the turn, one write per connection, in order", () => {
    const { server, beforeSleep } = fakeServer();
    const a = fakeSocket();
    const b = fakeSocket();
    const ca = new Connection(1, a, server);
    const cb = new Connection(2, b, server);
    // two reads on a, one on b, in the same event-loop turn (Redis: readQueryFromClient × 3)
    ca.onData(Buffer.from('*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nECHO\r\n'));
    cb.onData(Buffer.from('*1\r\n$3\r\nGET\r\n'));
    ca.onData(Buffer.from('*1\r\n$4\r\nTIME\r\n'));
    // nothing leaves while the turn is still reading: a woken client would get one reply at a time
    expect(a.written).toEqual([]);
    expect(b.written).toEqual([]);
    beforeSleep();
    expect(a.written).toEqual(['+PING\r\n+ECHO\r\n+TIME\r\n']);
    expect(b.written).toEqual(['+GET\r\n']);
  });

  it('keeps a turn of large replies as parts and writes them all, in order', () => {
    const { server, beforeSleep } = fakeServer();
    const big = 'v'.repeat(700 * 1024);
    server.execute = (_c, argv) => (argv[0] === 'BIG' ? big : `+${argv[0]}\r\n`);
    const s = fakeSocket();
    let corked = 0;
    Object.assign(s, { cork: () => corked++, uncork: () => corked-- });
    const c = new Connection(1, s, server);
    c.onData(Buffer.from('*1\r\n$1\r\nA\r\n' + '*1\r\n$3\r\nBIG\r\n'.repeat(3) + '*1\r\n$1\r\nB\r\n'));
    beforeSleep();
    expect(corked).toBe(0);
    expect(s.written.length).toBeGreaterThan(1); // no single string of everything
    expect(s.written.join('')).toBe('+A\r\n' + big + big + big + '+B\r\n');
  });

  it('answers a protocol error at the end of the turn, then closes', () => {
    const { server, beforeSleep } = fakeServer();
    const s = fakeSocket();
    let ended = false;
    s.end = (() => ((ended = true), s)) as Socket['end'];
    const c = new Connection(1, s, server);
    c.onData(Buffer.from('*1\r\n$x\r\n'));
    // another bad read in the same turn gets no second error: the connection is closing
    c.onData(Buffer.from('*y\r\n'));
    expect(s.written).toEqual([]);
    beforeSleep();
    expect(s.written.join('')).toMatch(/^-ERR Protocol error: invalid bulk length\r\n$/);
    expect(ended).toBe(true);
  });
});
