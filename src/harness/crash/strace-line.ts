/**
 * One line of `strace -f -ttt -y -s 0` output → a system call, its arguments and its result.
 * Knows nothing of files or crashes (crash-model.ts does). With -f, a call another thread
 * interrupts is split in two lines, `name(args <unfinished ...>` and `<... name resumed>rest`;
 * StraceJoiner puts them back together and says when a call *began*, which the crash model
 * needs: only bytes written before an fsync began are covered by it.
 */

export interface Call {
  pid: number;
  /** seconds since the epoch, µs resolution (strace -ttt): when the call began */
  ts: number;
  name: string;
  /** the raw argument text between the parentheses */
  args: string;
  /** the return value (-1 on error), null when the call never returned (killed inside it) */
  ret: number | null;
  /** `N</path>` decoration of the returned fd (openat), else null */
  retPath: string | null;
}

/** A call that has begun but not yet returned (its `<unfinished ...>` half). */
export interface Begun {
  pid: number;
  ts: number;
  name: string;
  args: string;
}

const HEAD = /^(\d+)\s+(\d+\.\d+)\s+/;
const UNFINISHED = ' <unfinished ...>';

/** Splits `name(args) = ret<path>` into its parts; null for signals, exits and noise. */
export function parseComplete(pid: number, ts: number, text: string): Call | null {
  const open = text.indexOf('(');
  if (open <= 0) return null;
  const name = text.slice(0, open);
  if (!/^\w+$/.test(name)) return null;
  const eq = text.lastIndexOf(') = ');
  if (eq < open) return null;
  const { ret, retPath } = parseRet(text.slice(eq + 4));
  return { pid, ts, name, args: text.slice(open + 1, eq), ret, retPath };
}

function parseRet(s: string): { ret: number | null; retPath: string | null } {
  const m = /^(-?\d+|\?)(?:<(.*)>)?/.exec(s);
  if (!m || m[1] === '?') return { ret: null, retPath: null };
  return { ret: Number(m[1]), retPath: m[2] ?? null };
}

/**
 * Joins the halves of interrupted calls, per thread. feed() returns what the line completes:
 * a whole call, the beginning of one (so syncs can be timed from their start), or nothing.
 */
export class StraceJoiner {
  private readonly pending = new Map<number, Begun>();

  feed(line: string): { begun?: Begun; call?: Call } | null {
    const h = HEAD.exec(line);
    if (!h) return null;
    const pid = Number(h[1]);
    const ts = Number(h[2]);
    const text = line.slice(h[0].length);
    if (text.startsWith('<... ')) {
      const m = /^<\.\.\. (\w+) resumed>(.*)$/.exec(text);
      const begun = this.pending.get(pid);
      if (!m || !begun || begun.name !== m[1]) return null;
      this.pending.delete(pid);
      const call = parseComplete(pid, begun.ts, `${begun.name}(${begun.args}${m[2]}`);
      return call ? { call } : null;
    }
    if (text.endsWith(UNFINISHED)) {
      const body = text.slice(0, -UNFINISHED.length);
      const open = body.indexOf('(');
      if (open <= 0) return null;
      const begun: Begun = { pid, ts, name: body.slice(0, open), args: body.slice(open + 1) };
      this.pending.set(pid, begun);
      return { begun };
    }
    if (text.startsWith('+++') || text.startsWith('---')) {
      // the thread died (or took a signal): a call it began never returned
      if (text.startsWith('+++')) this.pending.delete(pid);
      return null;
    }
    const call = parseComplete(pid, ts, text);
    return call ? { begun: { pid, ts, name: call.name, args: call.args }, call } : null;
  }
}

/** The `N</path>` decorations and quoted strings of an argument list, in order. */
export interface Args {
  /** decorated fds: AT_FDCWD</cwd> gives fd -100 */
  fds: { fd: number; path: string }[];
  strings: string[];
  /** the top-level arguments as text, one per argument ('"' for a string, 'N#' for a decorated fd) */
  tokens: string[];
}

export function parseArgs(s: string): Args {
  const out: Args = { fds: [], strings: [], tokens: [] };
  let i = 0;
  let depth = 0;
  let tok = '';
  const flush = (): void => {
    const t = tok.trim();
    if (t && depth === 0) out.tokens.push(t);
    tok = '';
  };
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') {
      let j = i + 1;
      let v = '';
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && j + 1 < s.length) {
          v += unescape(s, j);
          j += escapeLength(s, j);
        } else v += s[j++];
      }
      if (depth === 0) out.strings.push(v);
      // a placeholder keeps tokens aligned with argument positions (pwrite64's offset is 4th)
      tok += '"';
      i = j + 1;
      if (s.startsWith('...', i)) i += 3;
      continue;
    }
    if (c === '<' && /(\d+|AT_FDCWD)$/.test(tok.trim())) {
      const close = matchingAngle(s, i);
      const fdText = /(\d+|AT_FDCWD)$/.exec(tok.trim())![1]!;
      out.fds.push({ fd: fdText === 'AT_FDCWD' ? -100 : Number(fdText), path: s.slice(i + 1, close) });
      tok += '#';
      i = close + 1;
      continue;
    }
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) flush();
    else tok += c;
    i++;
  }
  flush();
  return out;
}

/** Paths may themselves hold '>' (rarely): the decoration ends at the '>' before ',' ')' or the end. */
function matchingAngle(s: string, open: number): number {
  let j = open + 1;
  for (;;) {
    const k = s.indexOf('>', j);
    if (k < 0) return s.length;
    const next = s[k + 1];
    if (next === undefined || next === ',' || next === ')' || next === ' ') return k;
    j = k + 1;
  }
}

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', v: '\v', f: '\f' };

function unescape(s: string, at: number): string {
  const c = s[at + 1]!;
  if (c in SIMPLE) return SIMPLE[c]!;
  if (c === 'x') return String.fromCharCode(parseInt(s.slice(at + 2, at + 4), 16));
  const oct = /^[0-7]{1,3}/.exec(s.slice(at + 1));
  return oct ? String.fromCharCode(parseInt(oct[0], 8)) : c;
}

function escapeLength(s: string, at: number): number {
  const c = s[at + 1]!;
  if (c === 'x') return 4;
  const oct = /^[0-7]{1,3}/.exec(s.slice(at + 1));
  return oct ? 1 + oct[0].length : 2;
}
