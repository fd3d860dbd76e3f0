import { describe, expect, it } from 'vitest';
import { foldReplies } from '../../../src/harness/workload/fold-replies.js';
import { RespError, RespReader, type Reply } from '../../../src/harness/workload/resp-reader.js';

/** Folds a byte stream of replies, 6 per transaction (MULTI, 4 commands, EXEC). */
function fold(stream: string): Reply[] {
  const out: Reply[] = [];
  const r = new RespReader(foldReplies(6, (x) => out.push(x)));
  for (const ch of Buffer.from(stream, 'latin1')) r.feed(Buffer.of(ch)); // split everywhere
  return out;
}

const Q = '+OK\r\n' + '+QUEUED\r\n'.repeat(4);

describe('foldReplies', () => {
  it('one reply per transaction: the last command\'s (the INCR), when all went well', () => {
    expect(fold(Q + '*4\r\n+OK\r\n+OK\r\n+OK\r\n:7\r\n' + Q + '*4\r\n+OK\r\n+OK\r\n+OK\r\n:8\r\n')).toEqual([7, 8]);
  });

  it('an error anywhere makes the op fail: queuing refused, EXECABORT, null EXEC, an error inside', () => {
    const execabort = '-EXECABORT Transaction discarded because of previous errors.\r\n';
    const got = fold(
      '+OK\r\n+QUEUED\r\n-MISCONF no disk\r\n+QUEUED\r\n+QUEUED\r\n' + execabort +
        Q + '*-1\r\n' +
        Q + '*4\r\n+OK\r\n-WRONGTYPE bad\r\n+OK\r\n:1\r\n' +
        Q + '*4\r\n+OK\r\n+OK\r\n+OK\r\n:9\r\n',
    );
    expect(got.map((x) => (x instanceof RespError ? x.message : x))).toEqual(['MISCONF no disk', 'EXEC aborted (null reply)', 'WRONGTYPE bad', 9]);
  });
});
