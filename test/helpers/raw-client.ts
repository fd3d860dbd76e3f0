/**
 * A raw RESP connection for tests that compare replies byte for byte (with redis-server, or
 * with snapshots), pipeline, or leave a client blocked: no client library in between.
 */
import { createConnection, type Socket } from 'node:net';
import { encodeCommand } from '../../src/server/resp/encoder.js';

/** End index of the complete reply starting at i, or -1 when more bytes are needed. */
export function replyEnd(s: string, i: number): number {
  const e = s.indexOf('\r\n', i);
  if (e < 0) return -1;
  const t = s[i];
  const n = Number(s.slice(i + 1, e));
  if (t === '$' || t === '=' || t === '!') return n < 0 ? e + 2 : s.length >= e + 2 + n + 2 ? e + 2 + n + 2 : -1;
  if (t === '*' || t === '~' || t === '%' || t === '>') {
    let j = e + 2;
    for (let k = 0; k < (t === '%' ? 2 * n : n); k++) {
      j = replyEnd(s, j);
      if (j < 0) return -1;
    }
    return j;
  }
  return e + 2;
}

export class RawClient {
  private buf = '';
  private wake: (() => void) | null = null;
  constructor(private readonly sock: Socket) {
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      this.buf += d;
      this.wake?.();
    });
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((res, rej) => {
      const s = createConnection(port, '127.0.0.1', () => res(new RawClient(s)));
      s.on('error', rej);
    });
  }

  /** Sends commands without waiting for their replies (pipelined, or a command that blocks). */
  write(...cmds: string[][]): void {
    this.sock.write(cmds.map(encodeCommand).join(''), 'latin1');
  }

  /** The next complete reply, or null when none came within ms. */
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

  /** One command and its reply. */
  async send(argv: string[]): Promise<string> {
    this.write(argv);
    const r = await this.next(10_000);
    if (r === null) throw new Error(`no reply to ${argv.join(' ').slice(0, 80)} within 10 s`);
    return r;
  }

  close(): void {
    this.sock.destroy();
  }
}
