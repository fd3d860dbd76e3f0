/**
 * Encodes commands as RESP arrays of bulk strings into slabs. Bytes handed out by take()
 * are never written again (socket.write may still hold them), so no copy is needed and
 * a pipeline of commands becomes one socket write. Numbers are written digit by digit and
 * constant parts copied from buffers: the load path allocates no strings.
 */
const SLAB = 256 * 1024;

export function digitCount(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

export class CommandWriter {
  private slab: Buffer = Buffer.allocUnsafe(SLAB);
  private start = 0;
  private pos = 0;

  /** Makes room for n more bytes of the command being built. */
  ensure(n: number): void {
    if (this.pos + n <= this.slab.length) return;
    const pendingLen = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max(SLAB, (pendingLen + n) * 2));
    this.slab.copy(next, 0, this.start, this.pos);
    this.slab = next;
    this.start = 0;
    this.pos = pendingLen;
  }

  /** `*argc\r\n` */
  begin(argc: number): void {
    this.ensure(24);
    this.slab[this.pos++] = 42;
    this.uint(argc);
    this.crlf();
  }

  /** Constant bytes, e.g. a pre-encoded `*3\r\n$3\r\nSET\r\n`. */
  raw(b: Buffer): void {
    this.ensure(b.length);
    this.pos += b.copy(this.slab, this.pos);
  }

  /** A bulk string of ASCII text (command names, keys, numbers). */
  arg(s: string): void {
    const n = s.length;
    this.ensure(n + 24);
    this.header(n);
    this.pos += this.slab.latin1Write(s, this.pos);
    this.crlf();
  }

  /** A bulk string `<prefix><n>` (ASCII prefix, non-negative integer n): keys like `k:42`. */
  argNum(prefix: string, n: number): void {
    const len = prefix.length + digitCount(n);
    this.ensure(len + 24);
    this.header(len);
    for (let i = 0; i < prefix.length; i++) this.slab[this.pos++] = prefix.charCodeAt(i);
    this.uint(n);
    this.crlf();
  }

  /**
   * A bulk string `<n><sep>` followed by bytes [from, from+tailLen) of `tail`: the values
   * that name the op which wrote them.
   */
  argNumTail(n: number, sep: number, tail: Buffer, from: number, tailLen: number): void {
    const len = digitCount(n) + 1 + tailLen;
    this.ensure(len + 24);
    this.header(len);
    this.uint(n);
    this.slab[this.pos++] = sep;
    if (tailLen > 0) this.pos += tail.copy(this.slab, this.pos, from, from + tailLen);
    this.crlf();
  }

  /** A bulk string made of `head` (ASCII) followed by bytes [from, to) of `tail`. */
  argParts(head: string, tail: Buffer, from: number, to: number): void {
    const n = head.length + (to - from);
    this.ensure(n + 24);
    this.header(n);
    this.pos += this.slab.latin1Write(head, this.pos);
    this.pos += tail.copy(this.slab, this.pos, from, to);
    this.crlf();
  }

  /** Encodes a whole command of string/number/Buffer arguments. */
  command(args: readonly (string | number | Buffer)[]): void {
    this.begin(args.length);
    for (const a of args) {
      if (Buffer.isBuffer(a)) this.argParts('', a, 0, a.length);
      else if (typeof a === 'string' && /[^\x00-\x7f]/.test(a)) {
        const b = Buffer.from(a, 'utf8');
        this.argParts('', b, 0, b.length);
      } else this.arg(String(a));
    }
  }

  get pendingBytes(): number {
    return this.pos - this.start;
  }

  /** The bytes written since the last take(). */
  take(): Buffer {
    const out = this.slab.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }

  private header(len: number): void {
    this.slab[this.pos++] = 36;
    this.uint(len);
    this.crlf();
  }

  private uint(n: number): void {
    const d = digitCount(n);
    let p = this.pos + d;
    this.pos = p;
    const s = this.slab;
    do {
      const q = Math.floor(n / 10);
      s[--p] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
  }

  private crlf(): void {
    this.slab[this.pos++] = 13;
    this.slab[this.pos++] = 10;
  }
}

/** Pre-encodes the constant head of a command: `*argc` and the fixed leading arguments. */
export function commandHead(argc: number, ...fixed: string[]): Buffer {
  let s = `*${argc}\r\n`;
  for (const f of fixed) s += `$${f.length}\r\n${f}\r\n`;
  return Buffer.from(s, 'latin1');
}

export function encodeCommand(args: readonly (string | number | Buffer)[]): Buffer {
  const w = new CommandWriter();
  w.command(args);
  return Buffer.from(w.take());
}
