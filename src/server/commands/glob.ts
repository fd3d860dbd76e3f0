/**
 * Redis's stringmatchlen (util.c) for KEYS, SCAN MATCH and CONFIG GET: `*`, `?`, `[abc]`,
 * `[^a]`, `[a-z]` (reversed ranges swapped), `\` escapes; an unterminated `[` class runs to
 * the end of the pattern. Like Redis, a pattern only matches a non-empty string if it can
 * consume it, so "*" alone does not match "" (KEYS/SCAN special-case "*" before calling).
 *
 * Every token other than `*` consumes exactly one character, so backtracking to the most
 * recent `*` alone is complete: O(pattern × string) worst case, never exponential (Redis
 * gets the same bound from its skipLongerMatches flag).
 */
export function globMatch(pattern: string, s: string): boolean {
  const pl = pattern.length;
  const sl = s.length;
  if (sl === 0) return pl === 0; // stringmatchlen's loop never runs on an empty string
  let p = 0;
  let i = 0;
  let starP = -1; // pattern index just after the last `*` run
  let starS = 0; // string index that `*` run currently stops at
  while (i < sl) {
    if (p < pl && pattern.charCodeAt(p) === 42 /* * */) {
      while (p < pl && pattern.charCodeAt(p) === 42) p++;
      if (p === pl) return true;
      starP = p;
      starS = i;
      continue;
    }
    if (p < pl) {
      const next = matchOne(pattern, p, s.charCodeAt(i));
      if (next >= 0) {
        p = next;
        i++;
        continue;
      }
    }
    if (starP < 0) return false;
    // Let the last `*` swallow one more character and retry the rest from there.
    i = ++starS;
    p = starP;
  }
  while (p < pl && pattern.charCodeAt(p) === 42) p++;
  return p === pl;
}

/** Matches one non-`*` token at pattern[p] against char code c: next pattern index, or -1. */
function matchOne(pattern: string, p: number, c: number): number {
  const pl = pattern.length;
  const t = pattern.charCodeAt(p);
  if (t === 63 /* ? */) return p + 1;
  if (t === 92 /* \ */) {
    if (p + 1 < pl) return pattern.charCodeAt(p + 1) === c ? p + 2 : -1;
    return c === 92 ? p + 1 : -1;
  }
  if (t !== 91 /* [ */) return t === c ? p + 1 : -1;

  // Character class, walked exactly as stringmatchlen walks it.
  let j = p + 1;
  const not = j < pl && pattern.charCodeAt(j) === 94; /* ^ */
  if (not) j++;
  let match = false;
  for (;;) {
    if (j < pl && pattern.charCodeAt(j) === 92 && pl - j >= 2) {
      j++;
      if (pattern.charCodeAt(j) === c) match = true;
    } else if (j < pl && pattern.charCodeAt(j) === 93 /* ] */) {
      break;
    } else if (j >= pl) {
      j--; // unterminated: the class ends with the pattern
      break;
    } else if (pl - j >= 3 && pattern.charCodeAt(j + 1) === 45 /* - */) {
      let lo = pattern.charCodeAt(j);
      let hi = pattern.charCodeAt(j + 2);
      if (lo > hi) [lo, hi] = [hi, lo];
      if (c >= lo && c <= hi) match = true;
      j += 2;
    } else if (pattern.charCodeAt(j) === c) {
      match = true;
    }
    j++;
  }
  if (not) match = !match;
  return match ? j + 1 : -1;
}
