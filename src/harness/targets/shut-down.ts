import { RespConnection } from '../workload/resp-connection.js';
import type { TargetHandle } from './target.js';

/**
 * Stops a server the clean way: SHUTDOWN NOSAVE (it writes and fsyncs its AOF first; a
 * `--cpu-prof` server writes its profile), then SIGKILL if it has not gone in `timeoutMs`.
 * For restarting on the same files or reading what the exit writes, not for measuring a loss.
 */
export async function shutDown(h: TargetHandle, timeoutMs = 30_000): Promise<void> {
  if (h.alive) {
    try {
      const conn = await RespConnection.connect(h.port, h.host);
      // no reply comes: the server closes the connection as it exits
      await conn.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
      conn.close();
    } catch {
      // not answering: the kill below
    }
    await Promise.race([h.exited, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }
  if (h.alive) await h.kill('SIGKILL');
  await h.exited;
}
