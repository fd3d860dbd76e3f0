import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, rawExchange, type Spawned, startServer } from '../helpers/spawn-server.js';

let srv: Spawned;
let watcher: Redis;
beforeAll(async () => {
  srv = await startServer(['--save', '', '--client-output-buffer-limit', 'normal 4mb 0 0']);
  watcher = new Redis({ port: srv.port });
  await watcher.set('canary', 'alive');
});
afterAll(async () => {
  watcher?.disconnect();
  await srv?.stop();
});

/** Bad input closes only the offending connection: another client keeps working. */
async function otherClientsFine(): Promise<void> {
  expect(await watcher.get('canary')).toBe('alive');
  expect(srv.proc.exitCode).toBeNull();
}

describe('bad input', () => {
  it.each([
    ['non-numeric multibulk length', '*x\r\n', 'invalid multibulk length'],
    ['oversized bulk length', '*1\r\n$9999999999\r\n', 'invalid bulk length'],
    ['oversized multibulk length', '*99999999\r\n', 'invalid multibulk length'],
    ['missing $', '*1\r\n:1\r\n', "expected '$', got ':'"],
    ['unbalanced quotes', 'SET "a b\r\n', 'unbalanced quotes in request'],
  ])('%s → -ERR Protocol error and close', async (_name, input, message) => {
    const { reply, closed } = await rawExchange(srv.port, input);
    expect(reply).toBe(`-ERR Protocol error: ${message}\r\n`);
    expect(closed).toBe(true);
    await otherClientsFine();
  });

  it('binary garbage', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    garbage[0] = 42; // '*' then junk: multibulk header
    const { reply } = await rawExchange(srv.port, garbage);
    expect(reply.startsWith('-ERR Protocol error')).toBe(true);
    await otherClientsFine();
  });

  it('a header line that never ends', async () => {
    const { reply, closed } = await rawExchange(srv.port, '*' + '1'.repeat(70_000));
    expect(reply).toContain('Protocol error');
    expect(closed).toBe(true);
  });

  it('half frames followed by disconnect', async () => {
    for (let i = 0; i < 50; i++) {
      const s = net.connect(srv.port, '127.0.0.1');
      await new Promise((r) => s.once('connect', r));
      s.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\nabc');
      s.destroy();
    }
    await otherClientsFine();
  });

  it('inline commands as telnet users type them', async () => {
    const { reply } = await rawExchange(srv.port, 'SET inline "hello world"\r\nGET inline\r\nPING\r\n');
    expect(reply).toBe('+OK\r\n$11\r\nhello world\r\n+PONG\r\n');
  });

  it('pipelined replies come back in order', async () => {
    const cmds = Array.from({ length: 500 }, (_, i) => `*3\r\n$3\r\nSET\r\n$4\r\np${String(i).padStart(3, '0')}\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$4\r\np${String(i).padStart(3, '0')}\r\n`).join('');
    const { reply } = await rawExchange(srv.port, cmds);
    expect(reply).toBe('+OK\r\n$1\r\nv\r\n'.repeat(500));
  });
});

describe('limits', () => {
  it('accepts a thousand connections at once', async () => {
    const socks = await Promise.all(
      Array.from({ length: 1000 }, () => new Promise<net.Socket>((res, rej) => {
        const s = net.connect(srv.port, '127.0.0.1');
        s.once('connect', () => res(s));
        s.once('error', rej);
      })),
    );
    // The kernel completes handshakes before the server accepts them: wait for all.
    let clients = 0;
    for (let i = 0; i < 100 && clients < 1001; i++) {
      clients = Number(/connected_clients:(\d+)/.exec(await watcher.info('clients'))![1]);
      if (clients < 1001) await new Promise((r) => setTimeout(r, 50));
    }
    expect(clients).toBeGreaterThanOrEqual(1001);
    socks.forEach((s) => s.destroy());
    await otherClientsFine();
  });

  it('drops a client that never reads its replies instead of growing memory', async () => {
    await watcher.set('big', 'x'.repeat(512 * 1024));
    const rssBefore = Number(/used_memory_rss:(\d+)/.exec(await watcher.info('memory'))![1]);
    const s = net.connect(srv.port, '127.0.0.1');
    s.pause(); // never read
    await new Promise((r) => s.once('connect', r));
    const get = '*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n'.repeat(200);
    let closed = false;
    s.once('close', () => (closed = true));
    s.on('error', () => {});
    for (let i = 0; i < 50 && !closed; i++) {
      s.write(get);
      await new Promise((r) => setTimeout(r, 20));
    }
    // 50 × 200 × 512 KB = 5 GB requested; the server must have stopped long before.
    const rssAfter = Number(/used_memory_rss:(\d+)/.exec(await watcher.info('memory'))![1]);
    expect(rssAfter - rssBefore).toBeLessThan(300 * 1024 * 1024);
    s.destroy();
    await otherClientsFine();
  });

  it('drops a client whose replies of one read outgrow a JS string, and lives', async () => {
    await watcher.set('big', 'x'.repeat(512 * 1024));
    // 1,100 GETs in one 26 KB read: 577 M chars of replies, over V8's ~537 M string limit
    // (the server used to join a read's replies into one string and die of the RangeError)
    const { closed } = await rawExchange(srv.port, '*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n'.repeat(1100), 1000);
    expect(closed).toBe(true);
    await otherClientsFine();
  });
});

describe('maxclients', () => {
  it('refuses the client over the limit with Redis\'s error and accepts again after one leaves', async () => {
    const m = await startServer(['--save', '', '--maxclients', '3']);
    try {
      const socks = await Promise.all(Array.from({ length: 3 }, () => new Promise<net.Socket>((res) => {
        const s = net.connect(m.port, '127.0.0.1', () => res(s));
      })));
      const over = await rawExchange(m.port, 'PING\r\n');
      expect(over.reply).toBe('-ERR max number of clients reached\r\n');
      socks[0]!.destroy();
      await new Promise((r) => setTimeout(r, 100));
      expect((await rawExchange(m.port, 'PING\r\n')).reply).toBe('+PONG\r\n');
      socks.forEach((s) => s.destroy());
    } finally {
      await m.stop();
    }
  });
});

describe('auth', () => {
  let a: Spawned;
  beforeAll(async () => {
    a = await startServer(['--save', '', '--requirepass', 's3cret']);
  });
  afterAll(async () => {
    await a?.stop();
  });

  it('refuses commands before AUTH and accepts the password', async () => {
    const { reply } = await rawExchange(a.port, 'GET x\r\nAUTH wrong\r\nAUTH s3cret\r\nGET x\r\n');
    expect(reply).toBe('-NOAUTH Authentication required.\r\n-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n$-1\r\n');
  });

  it('works with ioredis and a password (HELLO 3 AUTH)', async () => {
    const r = new Redis({ port: a.port, password: 's3cret' });
    expect(await r.ping()).toBe('PONG');
    r.disconnect();
  });
});

describe('command line', () => {
  it.each([
    [['--port', 'abc'], "bad value for '--port'"],
    [['--nosuch', '1'], "unknown option '--nosuch'"],
    [['--appendfsync', 'sometimes'], "bad value for '--appendfsync'"],
    [['--save', '60'], 'Invalid save parameters'],
    [['--dir', '/no/such/dir'], "Can't chdir to '/no/such/dir'"],
  ])('%j → one line, exit 1', (args, msg) => {
    const r = spawnSync(process.execPath, [BIN, 'server', ...args], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('exits 1 when the port is taken', async () => {
    const r = spawnSync(process.execPath, [BIN, 'server', '--port', String(srv.port), '--save', ''], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Could not create server TCP listening socket');
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const s = await startServer(['--save', '']);
    expect(await s.stop('SIGTERM')).toBe(0);
  });
});
