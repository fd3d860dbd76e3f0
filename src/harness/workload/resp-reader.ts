/**
 * A streaming RESP2 reply parser for the harness's clients. It knows nothing about sockets:
 * feed() it chunks, it calls onReply once per complete reply, in order. Replies that span
 * chunks are re-parsed from their start when more bytes arrive; the harness keeps replies
 * small (MGET/LRANGE in pages), so that stays cheap. +OK is returned as a shared constant and
 * integers are parsed in place, so the load path allocates nothing per reply.
 */
export class RespError {
  constructor(readonly message: string) {}
}

export type Reply = string | number | Buffer | null | RespError | Reply[];

const CR = 13;
const INCOMPLETE = -1;

export class RespReader {
  private pending: Buffer | null = null;
  private value: Reply = null;

  /**
   * `transient`: a chunk's bytes are valid only during feed() (a socket reading into one
   * shared buffer), so bulk replies and a partial reply left for the next chunk are copied.
   */
  constructor(
    private readonly onReply: (reply: Reply) => void,
    private readonly transient = false,
  ) {}

  feed(chunk: Buffer): void {
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let pos = 0;
    const len = buf.length;
    while (pos < len) {
      // fast path: +OK\r\n, the reply to nearly every write
      if (buf[pos] === 43 && pos + 4 < len && buf[pos + 1] === 79 && buf[pos + 2] === 75 && buf[pos + 3] === CR) {
        pos += 5;
        this.onReply('OK');
        continue;
      }
      const end = this.parse(buf, pos);
      if (end === INCOMPLETE) break;
      pos = end;
      this.onReply(this.value);
    }
    if (pos < len) this.pending = this.transient && buf === chunk ? Buffer.from(buf.subarray(pos)) : buf.subarray(pos);
  }

  reset(): void {
    this.pending = null;
  }

  /** Parses one reply at pos into this.value; returns the end offset or INCOMPLETE. */
  private parse(buf: Buffer, pos: number): number {
    const cr = buf.indexOf(CR, pos + 1);
    if (cr < 0 || cr + 1 >= buf.length) return INCOMPLETE;
    const type = buf[pos];
    switch (type) {
      case 43: // '+'
        if (cr === pos + 3 && buf[pos + 1] === 79 && buf[pos + 2] === 75) this.value = 'OK';
        else this.value = buf.latin1Slice(pos + 1, cr);
        return cr + 2;
      case 45: // '-'
        this.value = new RespError(buf.toString('utf8', pos + 1, cr));
        return cr + 2;
      case 58: // ':'
        this.value = parseInteger(buf, pos + 1, cr);
        return cr + 2;
      case 36: {
        // '$'
        const n = parseInteger(buf, pos + 1, cr);
        if (n < 0) {
          this.value = null;
          return cr + 2;
        }
        const start = cr + 2;
        const end = start + n;
        if (end + 2 > buf.length) return INCOMPLETE;
        this.value = this.transient ? Buffer.from(buf.subarray(start, end)) : buf.subarray(start, end);
        return end + 2;
      }
      case 42: {
        // '*'
        const n = parseInteger(buf, pos + 1, cr);
        if (n < 0) {
          this.value = null;
          return cr + 2;
        }
        const items: Reply[] = new Array(n);
        let p = cr + 2;
        for (let i = 0; i < n; i++) {
          if (p >= buf.length) return INCOMPLETE;
          const e = this.parse(buf, p);
          if (e === INCOMPLETE) return INCOMPLETE;
          items[i] = this.value;
          p = e;
        }
        this.value = items;
        return p;
      }
      default:
        throw new Error(`RESP protocol error: unexpected byte 0x${(type ?? 0).toString(16)} in a reply`);
    }
  }
}

function parseInteger(buf: Buffer, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  }
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) throw new Error(`RESP protocol error: bad integer "${buf.latin1Slice(start, end)}"`);
    n = n * 10 + d;
  }
  return neg ? -n : n;
}
