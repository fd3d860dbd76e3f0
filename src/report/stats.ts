/**
 * Order statistics over small samples (trials). Inputs must be finite numbers; callers
 * filter nulls first. Empty input is the caller's problem: these return NaN for it, so
 * summarize() and the gate evaluator check `xs.length` before calling.
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  // Halve first: (a + b) / 2 overflows to Infinity near Number.MAX_VALUE.
  return s.length % 2 === 1 ? s[mid]! : s[mid - 1]! / 2 + s[mid]! / 2;
}

export function min(xs: readonly number[]): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return xs.length === 0 ? NaN : m;
}

export function max(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return xs.length === 0 ? NaN : m;
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  // Scale by the largest magnitude so the sum cannot overflow near Number.MAX_VALUE.
  let scale = 0;
  for (const x of xs) scale = Math.max(scale, Math.abs(x));
  if (scale === 0) return 0;
  let s = 0;
  for (const x of xs) s += x / scale;
  return (s / xs.length) * scale;
}
