// Lexer for gate expressions: text → tokens with columns. Separate from the parser because
// the bracket-sensitive name and k/M/G number rules are a concern of their own.
import { OPS, type Op } from './gate.js';

export type Tok =
  | { t: 'name'; v: string; at: number }
  | { t: 'num'; v: number; raw: string; at: number }
  | { t: 'op'; v: Op; at: number }
  | { t: 'punct'; v: '[' | ']' | '.' | ':' | '*' | '@'; at: number }
  | { t: 'end'; at: number };

const SUFFIX: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

/**
 * Hand-written tokenizer. Inside [ ] a name may contain '-' and '+' (aof-always, rdb+aof,
 * power-loss) and '@' separates the fault; outside, '-' only starts a negative number.
 */
export function tokenize(s: string, fail: (msg: string) => never): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let inBrackets = false;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '[' || c === ']') {
      if (c === '[' && inBrackets) fail(`unexpected '[' at column ${at + 1} (missing ']'?)`);
      if (c === ']' && !inBrackets) fail(`unexpected ']' at column ${at + 1}`);
      inBrackets = c === '[';
      out.push({ t: 'punct', v: c, at });
      i++;
      continue;
    }
    if (inBrackets && !/[A-Za-z0-9_+\-*:@]/.test(c)) fail(`missing ']' before '${c}' at column ${at + 1}`);
    if (c === '@' && !inBrackets) fail(`'@' at column ${at + 1} belongs inside [ ] (e.g. lost[aof-always@power-loss])`);
    if (c === '*' || c === ':' || c === '@' || (c === '.' && !/[0-9]/.test(s[i + 1] ?? ''))) {
      out.push({ t: 'punct', v: c, at });
      i++;
      continue;
    }
    if (!inBrackets && /[=!<>]/.test(c)) {
      const two = s.slice(i, i + 2);
      if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
        out.push({ t: 'op', v: two, at });
        i += 2;
        continue;
      }
      if (c === '<' || c === '>') {
        out.push({ t: 'op', v: c, at });
        i++;
        continue;
      }
      fail(`'${c}' at column ${at + 1} is not an operator (use ${OPS.join(' ')})`);
    }
    if (inBrackets ? /[A-Za-z0-9_+\-]/.test(c) : /[A-Za-z_]/.test(c)) {
      let j = i;
      const re = inBrackets ? /[A-Za-z0-9_+\-]/ : /[A-Za-z0-9_]/;
      while (j < s.length && re.test(s[j]!)) j++;
      out.push({ t: 'name', v: s.slice(i, j), at });
      i = j;
      continue;
    }
    if (/[0-9.\-+]/.test(c)) {
      const m = /^[-+]?(?:\d[\d_]*(?:\.\d[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d+)?/.exec(s.slice(i));
      if (!m) fail(`bad number at column ${at + 1}`);
      let raw = m[0];
      let v = Number(raw.replace(/_/g, ''));
      let j = i + raw.length;
      const sfx = s[j];
      if (sfx !== undefined && SUFFIX[sfx] !== undefined && !/[A-Za-z0-9_]/.test(s[j + 1] ?? '')) {
        v *= SUFFIX[sfx]!;
        raw += sfx;
        j++;
      }
      if (/[A-Za-z0-9_.]/.test(s[j] ?? '')) fail(`bad number '${s.slice(i, j + 1)}' at column ${at + 1}`);
      if (!Number.isFinite(v)) fail(`number '${raw}' at column ${at + 1} is out of range`);
      out.push({ t: 'num', v, raw, at });
      i = j;
      continue;
    }
    fail(`unexpected character '${c}' at column ${at + 1}`);
  }
  if (inBrackets) fail("missing ']'");
  out.push({ t: 'end', at: s.length });
  return out;
}
