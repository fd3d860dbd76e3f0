/**
 * The bench scripts' redis-benchmark runs are bounded: against a server that stops answering,
 * redis-benchmark waits (or retries) for ever at a full core; it is killed after the timeout,
 * with an error that says so, and none is left running.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { runRedisBenchmark } from '../../src/bench/redis-benchmark.js';
import { hasBinary } from '../helpers/spawn-server.js';

const why = 'needs redis-benchmark (apt-get install redis-tools; CI installs it)';

describe.skipIf(!hasBinary('redis-benchmark'))(`redis-benchmark under a time limit (${why})`, () => {
  it('kills a run whose server never answers and says why', async () => {
    // accepts connections, reads, never replies: redis-benchmark would wait for ever
    const mute = net.createServer((s) => s.on('data', () => {}));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', () => r()));
    const port = (mute.address() as net.AddressInfo).port;
    try {
      // the kernel completes the connections from the listen backlog even while this thread is
      // blocked in the synchronous run: redis-benchmark sends, and waits for replies
      expect(() => runRedisBenchmark(['-p', String(port), '-t', 'ping', '-n', '1000', '-c', '1'], 1500)).toThrow(
        /^redis-benchmark did not finish in 2 s and was killed: did the server under test stop answering\?$/,
      );
    } finally {
      mute.close();
    }
    expect(spawnSync('pgrep', ['-f', `redis-benchmark -p ${port} `]).status).toBe(1); // none left
  });

  it('reports a failed run in one line', () => {
    expect(() => runRedisBenchmark(['--no-such-option'], 5000)).toThrow(/^redis-benchmark failed: .*--no-such-option/);
  });
});
