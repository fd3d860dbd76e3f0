/**
 * A turn's propagated commands as RESP bytes, in one Buffer reused from turn to turn. The
 * string it replaces (`buf += encodeCommand(argv)`, then copied into a Buffer per write)
 * made garbage the size of every value written: at 1M SETs of 100 random bytes the heap
 * grew by ~75 MB of it in the AOF modes. Arguments are latin1 strings (one char per byte).
 */
/** below this length, bytes are copied in JavaScript rather than by a native call */
const SHORT = 48;
/** a buffer grown past this for one big turn is dropped after it, not kept */
const KEEP_BYTES = 1 << 20;

export class CommandLog {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private used = 0;

  get length(): number {
    return this.used;
  }

  /** The bytes so far (a view: valid until the next append or clear). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  append(argv: readonly string[]): void {
    let need = 16;
    for (const a of argv) need += a.length + 24;
    this.reserve(need);
    let p = this.header(0x2a, argv.length, this.used); // '*'
    const b = this.buf;
    for (const a of argv) {
      p = this.header(0x24, a.length, p); // '$'
      // a native call costs more than it saves for short strings (names, keys)
      if (a.length < SHORT) for (let i = 0; i < a.length; i++) b[p++] = a.charCodeAt(i);
      else p += b.latin1Write(a, p);
      b[p++] = 0x0d;
      b[p++] = 0x0a;
    }
    this.used = p;
  }

  clear(): void {
    this.used = 0;
    if (this.buf.length > KEEP_BYTES) this.buf = Buffer.allocUnsafe(64 * 1024);
  }

  /** `<type><n>\r\n` at p, the digits written by hand; returns the position after it. */
  private header(type: number, n: number, p: number): number {
    const b = this.buf;
    b[p++] = type;
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    for (let i = digits - 1, x = n; i >= 0; i--, x = Math.floor(x / 10)) b[p + i] = 0x30 + (x % 10);
    p += digits;
    b[p++] = 0x0d;
    b[p++] = 0x0a;
    return p;
  }

  private reserve(extra: number): void {
    if (this.used + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.used + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}
