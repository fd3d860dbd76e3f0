/**
 * The latency window the sweep and the benches measure with (open-loop-window.ts), against a
 * built-in server: a window's writes are its rate × its length, a snapshot window lasts until
 * INFO says the save ended, and the discarded warm-up is two windows, each with a driver (and
 * connections) of its own.
 */
import { describe, expect, it } from 'vitest';
import { infoNumber, parseInfo } from '../../src/harness/measure/info.js';
import { openLoopWindow, warmUpWindows } from '../../src/harness/measure/open-loop-window.js';
import { overwritePreloaded } from '../../src/harness/workload/overwrite-preloaded.js';
import { replyText, RespConnection } from '../../src/harness/workload/resp-connection.js';
import { serverPerFile } from '../helpers/test-servers.js';

const RATE = 2000;
const CLIENTS = 4;
const KEYS = 1000;

describe('open-loop windows', () => {
  const s = serverPerFile([]);
  const withAdmin = async <T>(f: (admin: RespConnection) => Promise<T>): Promise<T> => {
    const admin = await RespConnection.connect(s.server.port);
    try {
      return await f(admin);
    } finally {
      admin.close();
    }
  };
  const load = (admin: RespConnection, ms: number) => ({
    port: s.server.port,
    admin,
    workload: overwritePreloaded(KEYS, 32, 'random', 1),
    rate: RATE,
    clients: CLIENTS,
    ms,
  });
  const stats = async (admin: RespConnection) => parseInfo(replyText(await admin.call('INFO', 'stats')));

  it('sends its rate for its length and measures every write', async () => {
    await withAdmin(async (admin) => {
      const w = await openLoopWindow(load(admin, 500));
      expect(w.snapshot).toBeNull();
      expect(w.end - w.t0).toBeGreaterThanOrEqual(495);
      // every op due before the halt (2,000/s over the window, ~1,000) was sent and
      // acknowledged, or is counted as due and unsent: none is lost from the figures
      const due = (RATE * (w.end - w.t0)) / 1000;
      const counted = w.driver.acked + (w.driver.unsentDue ?? 0);
      expect(Math.abs(counted - due)).toBeLessThanOrEqual(CLIENTS + 1);
      expect(w.driver.errors).toBe(0);
    });
  });

  it('with a BGSAVE, lasts until INFO says it ended, plus its tail', async () => {
    await withAdmin(async (admin) => {
      const w = await openLoopWindow({ ...load(admin, 300), snapshot: { command: 'BGSAVE', atMs: 100, afterMs: 200, timeoutMs: 10_000 }, pollMs: 5 });
      const snap = w.snapshot!;
      expect(snap.info.rdb_last_bgsave_status).toBe('ok');
      expect(snap.sentAt - w.t0).toBeGreaterThanOrEqual(95);
      expect(w.end).toBeGreaterThanOrEqual(snap.doneAt + 195);
    });
  });

  it('warms up with two windows, each on connections of its own', async () => {
    await withAdmin(async (admin) => {
      const before = await stats(admin);
      const [short, full] = await warmUpWindows(load(admin, 400));
      const after = await stats(admin);
      expect(infoNumber(after, 'total_connections_received')! - infoNumber(before, 'total_connections_received')!).toBe(2 * CLIENTS);
      // 200 ms, then the 400 asked for (a late timer can only lengthen a window)
      expect(short!.end - short!.t0).toBeGreaterThanOrEqual(195);
      expect(short!.end - short!.t0).toBeLessThan(full!.end - full!.t0 - 50);
      expect(full!.end - full!.t0).toBeGreaterThanOrEqual(395);
      expect(short!.driver).not.toBe(full!.driver);
    });
  });
});
