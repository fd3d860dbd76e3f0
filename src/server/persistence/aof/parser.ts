/**
 * Reads commands from an AOF file's bytes, step by step so the server can answer -LOADING
 * between steps. Knows where the last complete command ended, so a truncated tail can be
 * trimmed (aof-load-truncated) and anything else reported as corruption with its offset.
 */
export type ParseStatus = 'more' | 'eof' | 'truncated' | 'corrupt';

export class AofParser {
  /** Offset just past the last complete command. */
  valid = 0;
  commands = 0;
  error = '';

  constructor(private readonly buf: Buffer) {}

  /**
   * Parses up to maxCommands commands; onCommand gets each with the offset it starts at, and
   * may answer why the file is malformed there (an EXEC without MULTI): parsing stops, corrupt.
   */
  step(maxCommands: number, onCommand: (argv: string[], start: number) => string | void): ParseStatus {
    const b = this.buf;
    const len = b.length;
    let p = this.valid;
    for (let n = 0; n < maxCommands; n++) {
      if (p >= len) return 'eof';
      const start = p;
      if (b[p] !== 42) return this.corrupt(p, `expected '*', got byte ${b[p]}`);
      if (!readLine(b, p + 1)) return 'truncated';
      const argc = line.value;
      if (argc === null || argc < 1) return this.corrupt(p, 'invalid multibulk length');
      p = line.next;
      const argv: string[] = new Array(argc);
      for (let i = 0; i < argc; i++) {
        if (p >= len) return 'truncated';
        if (b[p] !== 36) return this.corrupt(p, `expected '$', got byte ${b[p]}`);
        if (!readLine(b, p + 1)) return 'truncated';
        const n = line.value;
        if (n === null || n < 0) return this.corrupt(p, 'invalid bulk length');
        p = line.next;
        if (p + n + 2 > len) return 'truncated';
        if (b[p + n] !== 13 || b[p + n + 1] !== 10) return this.corrupt(p + n, 'missing CRLF after bulk');
        argv[i] = b.latin1Slice(p, p + n);
        p += n + 2;
      }
      const bad = onCommand(argv, start);
      if (typeof bad === 'string') return this.corrupt(start, bad);
      this.valid = p;
      this.commands++;
    }
    return p >= len ? 'eof' : 'more';
  }

  private corrupt(at: number, what: string): 'corrupt' {
    this.error = `${what} at offset ${at}`;
    return 'corrupt';
  }
}

/**
 * Parses "<digits>\r\n" at p into `line`. A JS scan, not Buffer.indexOf: these lines are a few
 * bytes long, and the C++ call per line (four per SET) was 11% of loading a 1M-key AOF.
 * Returns false when the line is not complete yet; `line.value` is null when it is malformed
 * (a line with a byte that is not a digit still ends at its CR).
 */
const line = { value: 0 as number | null, next: 0 };
function readLine(b: Buffer, p: number): boolean {
  const len = b.length;
  let i = p;
  const neg = i < len && b[i] === 45;
  if (neg) i++;
  let n = 0;
  let digits = 0;
  let ok = true;
  for (; i < len; i++) {
    const c = b[i]!;
    if (c === 13) break;
    const d = c - 48;
    if (d < 0 || d > 9 || digits === 18) ok = false;
    else {
      n = n * 10 + d;
      digits++;
    }
  }
  if (i + 1 >= len) {
    // no CR yet, or the LF is not read yet: more bytes may complete it (unless it is too long)
    if (len - p <= 32) return false;
    line.value = null;
    line.next = p;
    return true;
  }
  line.next = i + 2;
  line.value = ok && digits > 0 && b[i + 1] === 10 ? (neg ? -n : n) : null;
  return true;
}
