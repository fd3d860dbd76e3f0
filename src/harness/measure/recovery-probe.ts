/**
 * The recovery clock: from spawn to the first reply that is neither a refused connection nor
 * -LOADING, probed on a raw socket. Client libraries' ready checks poll about once a second
 * while a server loads, so they cannot be this clock. Between attempts the probe sleeps
 * 0.25 ms in Atomics.wait (a futex, not a busy loop), so it polls at well under 1 ms without
 * taking a core from the server that is loading.
 *
 * It also notes when the server first accepted a connection (listeningAt). Spawn → ready is
 * what a user waits for, but it includes the process start (~170 ms of Node start-up for the
 * built-in server, ~5 ms for redis-server), so the dataset load rate is computed from
 * listening → ready instead. Both targets listen before they load (and answer -LOADING).
 */
import net from 'node:net';

export interface ProbeOptions {
  port: number;
  host?: string;
  /** performance.now() at spawn: the clock's origin */
  since: number;
  timeoutMs: number;
  /** settles when the process exits: the probe then fails at once */
  exited?: Promise<unknown>;
}

export interface ProbeResult {
  readyAt: number;
  /** performance.now() of the first connection the server accepted (≤ readyAt) */
  listeningAt: number;
  /** spawn → ready, ms */
  ms: number;
  /** -LOADING replies seen */
  loadingReplies: number;
  connectAttempts: number;
}

export class ProbeError extends Error {
  override name = 'ProbeError';
}

const PING = Buffer.from('*1\r\n$4\r\nPING\r\n');
const PAUSE_MS = 0.25;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

function pause(): void {
  Atomics.wait(sleepCell, 0, 0, PAUSE_MS);
}

export function probeReady(o: ProbeOptions): Promise<ProbeResult> {
  const host = o.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    let done = false;
    let socket: net.Socket | null = null;
    let loadingReplies = 0;
    let connectAttempts = 0;
    let lastError = 'no connection yet';
    let listeningAt = 0;

    const finish = (err: Error | null, readyAt = 0): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket?.destroy();
      if (err) reject(err);
      else resolve({ readyAt, listeningAt: listeningAt || readyAt, ms: readyAt - o.since, loadingReplies, connectAttempts });
    };

    const remaining = Math.max(1, o.since + o.timeoutMs - performance.now());
    const timer = setTimeout(
      () => finish(new ProbeError(`not ready within ${o.timeoutMs} ms (last: ${lastError})`)),
      remaining,
    );
    o.exited?.then(
      () => finish(new ProbeError('the server exited before it was ready')),
      () => finish(new ProbeError('the server exited before it was ready')),
    );

    const attempt = (): void => {
      if (done) return;
      connectAttempts++;
      const s = net.connect({ port: o.port, host, noDelay: true });
      socket = s;
      let pending = '';
      s.on('connect', () => {
        if (listeningAt === 0) listeningAt = performance.now();
        s.write(PING);
      });
      s.on('data', (chunk: Buffer) => {
        const now = performance.now();
        pending += chunk.toString('latin1');
        let eol: number;
        while (!done && (eol = pending.indexOf('\r\n')) >= 0) {
          const line = pending.slice(0, eol);
          pending = pending.slice(eol + 2);
          if (line.startsWith('-')) {
            if (line.startsWith('-LOADING')) loadingReplies++;
            lastError = line;
            pause();
            s.write(PING);
          } else {
            finish(null, now);
          }
        }
      });
      s.on('error', (err) => {
        lastError = err.message;
      });
      s.on('close', () => {
        if (done) return;
        pause();
        setImmediate(attempt);
      });
    };
    attempt();
  });
}
