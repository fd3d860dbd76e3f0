import { ProtocolError } from './protocol-error.js';

/**
 * Push-style, resumable decoder of client requests (RESP multibulk or inline commands).
 * It knows nothing about sockets: feed() it bytes as they arrive, it calls onCommand once
 * per complete command. Arguments are latin1 strings, so every byte maps to one char and
 * binary data round-trips. Frames may be split at any byte.
 */
export interface DecoderLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** client-query-buffer-limit: bytes buffered for one unfinished command */
  maxQueryBuffer: number;
  /** false until the connection authenticated (when a password is set): Redis's tight caps apply */
  isAuthenticated: () => boolean;
}

const CR = 13;
const LF = 10;
const STAR = 42;
const DOLLAR = 36;
const MAX_INLINE = 64 * 1024;
const MAX_MULTIBULK = 1024 * 1024;

export class RequestDecoder {
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private argv: string[] | null = null;
  private remaining = 0;
  private bulkLen = -1;
  private lastName = '';

  constructor(
    private readonly onCommand: (argv: string[]) => void,
    private readonly limits: DecoderLimits,
  ) {}

  /** Bytes held for an unfinished command (for INFO / client limits). */
  get buffered(): number {
    return this.pendingLen;
  }

  /** Throws ProtocolError on malformed input; the connection must then be closed. */
  feed(chunk: Buffer): void {
    let b = chunk;
    if (this.pendingLen > 0) {
      this.pending.push(Buffer.from(chunk));
      this.pendingLen += chunk.length;
      if (this.pendingLen > this.limits.maxQueryBuffer) {
        throw new ProtocolError('Protocol error: query buffer limit reached');
      }
      // Waiting for a long bulk: do not re-concatenate until all of it is here.
      if (this.bulkLen >= 0 && this.pendingLen < this.bulkLen + 2) return;
      b = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingLen);
      this.pending = [];
      this.pendingLen = 0;
    }
    const p = this.parse(b);
    if (p < b.length) {
      // Copied: the caller may reuse its read buffer.
      const rest = Buffer.from(b.subarray(p));
      this.pending.push(rest);
      this.pendingLen = rest.length;
      if (this.pendingLen > this.limits.maxQueryBuffer) {
        throw new ProtocolError('Protocol error: query buffer limit reached');
      }
    }
  }

  /** Parses as much as possible; returns the offset of the first unconsumed byte. */
  private parse(b: Buffer): number {
    const len = b.length;
    let p = 0;
    while (p < len) {
      if (this.argv === null) {
        if (b[p] === STAR) {
          const cr = findHeaderEnd(b, p + 1, len);
          if (cr === TOO_LONG) throw new ProtocolError('Protocol error: invalid multibulk length');
          if (cr < 0 || cr + 1 >= len) return p;
          const n = parseLength(b, p + 1, cr);
          if (b[cr + 1] !== LF || n === null || n > MAX_MULTIBULK) {
            throw new ProtocolError('Protocol error: invalid multibulk length');
          }
          if (n > 10 && !this.limits.isAuthenticated()) {
            throw new ProtocolError('Protocol error: unauthenticated multibulk length');
          }
          p = cr + 2;
          if (n <= 0) continue;
          this.argv = [];
          this.remaining = n;
        } else {
          const lf = b.indexOf(LF, p);
          if (lf < 0) {
            if (len - p > MAX_INLINE) throw new ProtocolError('Protocol error: too big inline request');
            return p;
          }
          const end = lf > p && b[lf - 1] === CR ? lf - 1 : lf;
          const args = splitInline(b.latin1Slice(p, end));
          p = lf + 1;
          if (args.length > 0) this.onCommand(args);
          continue;
        }
      }
      const argv = this.argv!;
      while (this.remaining > 0) {
        if (this.bulkLen < 0) {
          if (p >= len) return p;
          if (b[p] !== DOLLAR) {
            throw new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(b[p]!)}'`);
          }
          const cr = findHeaderEnd(b, p + 1, len);
          if (cr === TOO_LONG) throw new ProtocolError('Protocol error: invalid bulk length');
          if (cr < 0 || cr + 1 >= len) return p;
          const n = parseLength(b, p + 1, cr);
          if (b[cr + 1] !== LF || n === null || n < 0 || n > this.limits.maxBulkLen) {
            throw new ProtocolError('Protocol error: invalid bulk length');
          }
          if (n > 16384 && !this.limits.isAuthenticated()) {
            throw new ProtocolError('Protocol error: unauthenticated bulk length');
          }
          this.bulkLen = n;
          p = cr + 2;
        }
        if (len - p < this.bulkLen + 2) return p;
        argv.push(argv.length === 0 ? this.commandName(b, p, this.bulkLen) : b.latin1Slice(p, p + this.bulkLen));
        p += this.bulkLen + 2;
        this.bulkLen = -1;
        this.remaining--;
      }
      this.argv = null;
      this.onCommand(argv);
    }
    return p;
  }

  /**
   * The command name, reusing the previous one's string when the bytes match: a client
   * mostly repeats one command, and a reused string skips an allocation and keeps its
   * hash for the command-table lookup.
   */
  private commandName(b: Buffer, p: number, n: number): string {
    const last = this.lastName;
    if (n === last.length && n <= 16) {
      let i = 0;
      while (i < n && b[p + i] === last.charCodeAt(i)) i++;
      if (i === n) return last;
    }
    const name = b.latin1Slice(p, p + n);
    if (n <= 16) this.lastName = name;
    return name;
  }

  /** Drops buffered state (used after a protocol error). */
  reset(): void {
    this.pending = [];
    this.pendingLen = 0;
    this.argv = null;
    this.remaining = 0;
    this.bulkLen = -1;
  }
}

const INCOMPLETE = -1;
const TOO_LONG = -2;
/** A length never needs more than 20 characters: no valid header is longer. */
const MAX_HEADER = 21;

/**
 * The CR ending a "*N" / "$N" header, scanned in JS (a Buffer.indexOf call per header
 * costs more than the scan on these few bytes). INCOMPLETE when the buffer ends first,
 * TOO_LONG when no valid header could be this long.
 */
function findHeaderEnd(b: Buffer, from: number, len: number): number {
  const end = from + MAX_HEADER;
  for (let i = from; i < len; i++) {
    if (b[i] === CR) return i;
    if (i >= end) return TOO_LONG;
  }
  return INCOMPLETE;
}

/** Decimal integer in b[start, end), or null when it is not one. */
function parseLength(b: Buffer, start: number, end: number): number | null {
  if (start >= end || end - start > 18) return null;
  let i = start;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
    if (i === end) return null;
  }
  let n = 0;
  for (; i < end; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return neg ? -n : n;
}

/** Splits an inline command as Redis's sdssplitargs does (quotes and escapes). */
export function splitInline(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let cur = '';
    let inDq = false;
    let inSq = false;
    for (;;) {
      if (inDq) {
        if (i >= n) throw new ProtocolError('Protocol error: unbalanced quotes in request');
        const c = line[i]!;
        if (c === '\\' && i + 3 < n && line[i + 1] === 'x' && isHex(line[i + 2]!) && isHex(line[i + 3]!)) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i]!;
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) {
            throw new ProtocolError('Protocol error: unbalanced quotes in request');
          }
          inDq = false;
          i++;
          break;
        } else {
          cur += c;
        }
      } else if (inSq) {
        if (i >= n) throw new ProtocolError('Protocol error: unbalanced quotes in request');
        const c = line[i]!;
        if (c === '\\' && i + 1 < n && line[i + 1] === "'") {
          cur += "'";
          i++;
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) {
            throw new ProtocolError('Protocol error: unbalanced quotes in request');
          }
          inSq = false;
          i++;
          break;
        } else {
          cur += c;
        }
      } else {
        if (i >= n) break;
        const c = line[i]!;
        if (isSpace(c.charCodeAt(0))) break;
        if (c === '"') inDq = true;
        else if (c === "'") inSq = true;
        else cur += c;
      }
      i++;
    }
    out.push(cur);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

function isHex(c: string): boolean {
  return /[0-9a-fA-F]/.test(c);
}
