/**
 * The built-in dispatcher (harness.ts) and a real redis-server fed the same commands: replies
 * compared one by one, and what each propagated (the AOF) compared at the end.
 */
import type { Proto } from '../../../../src/server/resp/encoder.js';
import { aofCommands, incrText, maskTime } from '../../../helpers/aof-files.js';
import { RawClient } from '../../../helpers/raw-client.js';
import { harness } from './harness.js';

/**
 * Runs `script` on redis-server (a connection of its own in RESP `resp`, after FLUSHALL) and
 * on a fresh harness; `compare(ours, real, argv)` judges each command's raw replies.
 */
export async function repliesSideBySide(port: number, resp: Proto, script: string[][], compare: (ours: string, real: string, argv: string[]) => void): Promise<void> {
  const c = await RawClient.connect(port);
  try {
    if (resp === 3) await c.send(['HELLO', '3']);
    await c.send(['FLUSHALL']);
    const h = harness(resp);
    for (const argv of script) {
      const real = await c.send(argv);
      compare(h.run(...argv), real, argv);
    }
  } finally {
    c.close();
  }
}

/**
 * Runs `script` on both and returns what each propagated, timestamps masked: ours from the
 * harness, redis-server's from the incr AOF of `dir` (the records it added meanwhile).
 */
export async function propagatedSideBySide(server: { port: number; dir: string }, script: string[][]): Promise<{ ours: string[][]; real: string[][] }> {
  const c = await RawClient.connect(server.port);
  try {
    await c.send(['FLUSHALL']);
    const before = incrText(server.dir).length;
    const h = harness(2);
    for (const argv of script) {
      await c.send(argv);
      h.run(...argv);
    }
    return {
      ours: h.aof.map((argv) => argv.map(maskTime)),
      real: aofCommands(incrText(server.dir).slice(before)).map((argv) => argv.map(maskTime)),
    };
  } finally {
    c.close();
  }
}
