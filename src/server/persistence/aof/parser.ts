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
      const head = readLine(b, p + 1);
      if (head === null) return 'truncated';
      const argc = head.value;
      if (argc === null || argc < 1) return this.corrupt(p, 'invalid multibulk length');
      p = head.next;
      const argv: string[] = new Array(argc);
      for (let i = 0; i < argc; i++) {
        if (p >= len) return 'truncated';
        if (b[p] !== 36) return this.corrupt(p, `expected '$', got byte ${b[p]}`);
        const l = readLine(b, p + 1);
        if (l === null) return 'truncated';
        if (l.value === null || l.value < 0) return this.corrupt(p, 'invalid bulk length');
        p = l.next;
        if (p + l.value + 2 > len) return 'truncated';
        if (b[p + l.value] !== 13 || b[p + l.value + 1] !== 10) return this.corrupt(p + l.value, 'missing CRLF after bulk');
        argv[i] = b.latin1Slice(p, p + l.value);
        p += l.value + 2;
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

/** Parses "<digits>\r\n" at p; null when the line is not complete yet. */
function readLine(b: Buffer, p: number): { value: number | null; next: number } | null {
  const cr = b.indexOf(13, p);
  if (cr < 0 || cr + 1 >= b.length) {
    return b.length - p > 32 ? { value: null, next: p } : null;
  }
  if (b[cr + 1] !== 10 || cr === p || cr - p > 18) return { value: null, next: cr + 2 };
  let n = 0;
  let i = p;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
  }
  for (; i < cr; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return { value: null, next: cr + 2 };
    n = n * 10 + c;
  }
  return { value: neg ? -n : n, next: cr + 2 };
}
