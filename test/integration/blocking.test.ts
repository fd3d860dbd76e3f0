import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasBinary, type Spawned, startServer } from '../helpers/spawn-server.js';
import { encodeCommand } from '../../src/server/resp/encoder.js';

/**
 * Blocking commands over real sockets, the same script against the built-in server and
 * redis-server 7 (when installed): FIFO service, BLMOVE chains, timeouts, pipelined commands
 * held behind a blocked one, disconnects, and what the AOF records (the non-blocking effect).
 */
const started: Spawned[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

/** Complete replies in s from i: end index, or -1. */
function replyEnd(s: string, i: number): number {
  const e = s.indexOf('\r\n', i);
  if (e < 0) return -1;
  const t = s[i];
  const n = Number(s.slice(i + 1, e));
  if (t === '$') return n < 0 ? e + 2 : s.length >= e + 4 + n ? e + 4 + n : -1;
  if (t === '*' || t === '%' || t === '~') {
    let j = e + 2;
    for (let k = 0; k < (t === '%' ? 2 * n : n); k++) if ((j = replyEnd(s, j)) < 0) return -1;
    return j;
  }
  return e + 2;
}

class Conn {
  private buf = '';
  private wake: (() => void) | null = null;
  constructor(readonly sock: net.Socket) {
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      this.buf += d;
      this.wake?.();
    });
  }
  static open(port: number): Promise<Conn> {
    return new Promise((res, rej) => {
      const s = net.createConnection(port, '127.0.0.1', () => res(new Conn(s)));
      s.on('error', rej);
    });
  }
  send(...cmds: string[][]): void {
    this.sock.write(cmds.map(encodeCommand).join(''), 'latin1');
  }
  /** The next reply, or null when none came within ms. */
  async next(ms = 2000): Promise<string | null> {
    const deadline = Date.now() + ms;
    for (;;) {
      const end = replyEnd(this.buf, 0);
      if (end > 0) {
        const r = this.buf.slice(0, end);
        this.buf = this.buf.slice(end);
        return r;
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.wake = () => (clearTimeout(t), r());
      });
    }
  }
  async call(...argv: string[]): Promise<string | null> {
    this.send(argv);
    return this.next();
  }
  close(): void {
    this.sock.destroy();
  }
}

const targets = (['builtin', 'redis'] as const).filter((t) => t === 'builtin' || hasBinary('redis-server'));

/** Runs the script on a fresh server of the kind; returns every reply it saw, in order. */
async function script(kind: 'builtin' | 'redis'): Promise<{ log: (string | null)[]; aof: string }> {
  const s = await startServer(['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], { binary: kind });
  started.push(s);
  const log: (string | null)[] = [];
  const [a, b, c] = await Promise.all([Conn.open(s.port), Conn.open(s.port), Conn.open(s.port)]);
  try {
    // FIFO: two waiters, one push of three elements.
    a.send(['BLPOP', 'q', '0']);
    await new Promise((r) => setTimeout(r, 50));
    b.send(['BLPOP', 'q', 'other', '0']);
    await new Promise((r) => setTimeout(r, 50));
    log.push(await a.next(100)); // still blocked: null
    log.push(await c.call('RPUSH', 'q', 'x', 'y', 'z'));
    log.push(await a.next(), await b.next(), await c.call('LRANGE', 'q', '0', '-1'));
    // A blocked client's later commands wait behind it.
    a.send(['BRPOP', 'q2', '0'], ['PING'], ['LLEN', 'q2']);
    log.push(await a.next(150));
    log.push(await c.call('LPUSH', 'q2', 'v1', 'v2'));
    log.push(await a.next(), await a.next(), await a.next());
    // BLMOVE feeds a client blocked on its destination.
    a.send(['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0']);
    await new Promise((r) => setTimeout(r, 50));
    b.send(['BLPOP', 'dst', '0']);
    await new Promise((r) => setTimeout(r, 50));
    log.push(await c.call('RPUSH', 'src', 'm'));
    log.push(await a.next(), await b.next(), await c.call('EXISTS', 'src', 'dst'));
    // A type the waiter does not want leaves it blocked; the right type serves it.
    a.send(['BZPOPMIN', 'zk', '0']);
    await new Promise((r) => setTimeout(r, 50));
    log.push(await c.call('RPUSH', 'zk', 'nope'), await a.next(100), await c.call('DEL', 'zk'));
    log.push(await c.call('ZADD', 'zk', '2', 'b', '1', 'a'), await a.next());
    // BLMPOP with a count, BZMPOP.
    a.send(['BLMPOP', '0', '2', 'm1', 'm2', 'RIGHT', 'COUNT', '5']);
    await new Promise((r) => setTimeout(r, 50));
    log.push(await c.call('RPUSH', 'm2', '1', '2', '3'), await a.next());
    a.send(['BZMPOP', '0', '1', 'zm', 'MAX', 'COUNT', '2']);
    await new Promise((r) => setTimeout(r, 50));
    log.push(await c.call('ZADD', 'zm', '1', 'a', '2', 'b', '3', 'c'), await a.next());
    // Timeouts: the null array, no sooner than asked.
    const t0 = Date.now();
    log.push(await a.call('BLPOP', 'none', '0.2'));
    const waited = Date.now() - t0;
    log.push(waited >= 190 ? 'waited' : `answered after ${waited} ms`);
    log.push(await a.call('BRPOPLPUSH', 'none', 'd', '0.05'), await a.call('BZPOPMAX', 'none', '0.05'));
    // A waiter that disconnects is forgotten: the push stays in the list.
    b.send(['BLPOP', 'gone', '0']);
    await new Promise((r) => setTimeout(r, 50));
    b.close();
    await new Promise((r) => setTimeout(r, 50));
    log.push(await c.call('RPUSH', 'gone', 'kept'), await c.call('LLEN', 'gone'));
    log.push(await c.call('INFO', 'clients').then((r) => /blocked_clients:(\d+)/.exec(r ?? '')?.[1] ?? null));
  } finally {
    a.close();
    b.close();
    c.close();
  }
  const dir = path.join(s.dir, 'appendonlydir');
  const incr = fs.readdirSync(dir).find((f) => f.endsWith('.incr.aof'))!;
  return { log, aof: fs.readFileSync(path.join(dir, incr), 'latin1') };
}

/** The AOF as command lines, SELECT dropped. */
function aofLines(aof: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < aof.length; ) {
    const end = replyEnd(aof, i);
    const parts = aof.slice(i, end).split('\r\n').filter((_, k) => k > 0 && k % 2 === 0);
    if (parts[0]!.toUpperCase() !== 'SELECT') out.push(parts.join(' '));
    i = end;
  }
  return out;
}

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
