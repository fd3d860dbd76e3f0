import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../../../src/server/commands/glob.js';

/** A direct port of Redis's recursive stringmatchlen (without the nesting limit): the oracle. */
function redisMatch(p: string, s: string): boolean {
  let pi = 0;
  let si = 0;
  while (pi < p.length && si < s.length) {
    switch (p[pi]) {
      case '*':
        while (pi + 1 < p.length && p[pi + 1] === '*') pi++;
        if (pi === p.length - 1) return true;
        for (; si < s.length; si++) if (redisMatch(p.slice(pi + 1), s.slice(si))) return true;
        return false;
      case '?':
        si++;
        break;
      case '[': {
        pi++;
        const not = p[pi] === '^';
        if (not) pi++;
        let match = false;
        for (;;) {
          if (p[pi] === '\\' && p.length - pi >= 2) {
            pi++;
            if (p[pi] === s[si]) match = true;
          } else if (p[pi] === ']') break;
          else if (pi >= p.length) {
            pi--;
            break;
          } else if (p.length - pi >= 3 && p[pi + 1] === '-') {
            let a = p.charCodeAt(pi);
            let b = p.charCodeAt(pi + 2);
            if (a > b) [a, b] = [b, a];
            const c = s.charCodeAt(si);
            if (c >= a && c <= b) match = true;
            pi += 2;
          } else if (p[pi] === s[si]) match = true;
          pi++;
        }
        if (not) match = !match;
        if (!match) return false;
        si++;
        break;
      }
      case '\\':
        if (p.length - pi >= 2) pi++;
      // falls through
      default:
        if (p[pi] !== s[si]) return false;
        si++;
    }
    pi++;
    if (si === s.length) {
      while (p[pi] === '*') pi++;
      break;
    }
  }
  return pi >= p.length && si === s.length;
}

describe('globMatch', () => {
  it.each([
    ['*', 'anything', true],
    ['*', '', false], // as Redis: callers special-case "*"
    ['', '', true],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h*llo', 'heeeello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hbllo', true], // reversed range is swapped
    ['h\\*llo', 'h*llo', true],
    ['h\\*llo', 'hello', false],
    ['[\\]]', ']', true],
    ['[abc', 'b', true], // unterminated class runs to the end
    ['a\\', 'a\\', true],
    ['user:*:name', 'user:42:name', true],
    ['a*', 'a', true],
    ['a?', 'a', false],
  ])('%j ~ %j = %s', (p, s, want) => {
    expect(globMatch(p, s)).toBe(want);
  });

  it('agrees with Redis stringmatchlen on random patterns', () => {
    const ch = fc.constantFrom('a', 'b', 'c', '*', '?', '[', ']', '^', '-', '\\');
    fc.assert(
      fc.property(fc.string({ unit: ch, maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-', ']', '\\'), maxLength: 8 }), (p, s) => {
        expect(globMatch(p, s)).toBe(redisMatch(p, s));
      }),
      { numRuns: 20000 },
    );
  });

  it('is not exponential on pathological patterns', () => {
    const t = performance.now();
    expect(globMatch('a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(globMatch('*?*?*?*?*?*?*?*?*?*?*?*x', 'y'.repeat(5000))).toBe(false);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
