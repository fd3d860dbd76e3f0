/**
 * Servers (built-in or redis-server, see startServer) that tests start, stopped for them:
 * per test (serversPerTest, with ioredis clients closed too) or one per file (serverPerFile)
 * where the cases share a server because their independence is not the point.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Spawned, startServer } from './spawn-server.js';

export interface ServersPerTest {
  /** startServer, stopped (SIGKILL) after the test */
  start: (args: string[], opts?: Parameters<typeof startServer>[1]) => Promise<Spawned>;
  /** a connected client of database `db` that never retries (servers are killed on purpose), closed after the test */
  client: (s: { port: number }, db?: number) => Promise<Redis>;
}

/** Call once at a test file's top level (it registers an afterEach hook). */
export function serversPerTest(): ServersPerTest {
  const started: Spawned[] = [];
  const clients: Redis[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });
  return {
    async start(args, opts = {}) {
      const s = await startServer(args, opts);
      started.push(s);
      return s;
    },
    async client(s, db = 0) {
      const r = new Redis({ port: s.port, db, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => {}); // a killed server is an expected end here
      clients.push(r);
      await r.connect();
      return r;
    },
  };
}

/**
 * One server for the cases of a file or describe block (started in beforeAll, stopped in
 * afterAll); call it inside a describe.skipIf to skip the start with the cases.
 */
export function serverPerFile(args: string[], opts?: Parameters<typeof startServer>[1]): { readonly server: Spawned } {
  let s: Spawned | undefined;
  beforeAll(async () => {
    s = await startServer(args, opts);
  });
  afterAll(async () => {
    await s?.stop();
  });
  return {
    get server(): Spawned {
      if (!s) throw new Error('serverPerFile: its server is there only inside the cases');
      return s;
    },
  };
}
