import { createConnection, type Socket } from 'node:net';
import { encodeCommand } from '../../../../src/server/resp/encoder.js';

/** A raw RESP connection for the side-by-side tests (replies compared byte for byte). */

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
  private waiter: (() => void) | null = null;
  constructor(private readonly sock: Socket) {
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      this.buf += d;
      this.waiter?.();
    });
  }
  static connect(port: number): Promise<RawClient> {
    return new Promise((res, rej) => {
      const s = createConnection(port, '127.0.0.1', () => res(new RawClient(s)));
      s.on('error', rej);
    });
  }
  async send(argv: string[]): Promise<string> {
    this.sock.write(Buffer.from(encodeCommand(argv), 'latin1'));
    for (;;) {
      const end = replyEnd(this.buf, 0);
      if (end > 0) {
        const r = this.buf.slice(0, end);
        this.buf = this.buf.slice(end);
        return r;
      }
      await new Promise<void>((r) => (this.waiter = r));
    }
  }
  close(): void {
    this.sock.destroy();
  }
}
