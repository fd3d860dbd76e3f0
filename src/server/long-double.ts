/**
 * Redis's INCRBYFLOAT / HINCRBYFLOAT arithmetic: x86 80-bit long doubles (64-bit mantissa)
 * parsed with strtold, added, and printed with "%.17Lf" minus trailing zeros (ld2string
 * LD_STR_HUMAN). A JS double would print 0.1 + 0.2 as 0.30000000000000004 where Redis
 * prints 0.3, so the arithmetic is emulated exactly: a value is m × 2^e with |m| < 2^64,
 * every step rounded to nearest-even as the FPU does.
 */
interface LD {
  m: bigint;
  e: number;
}

const BITS = 64n;
/** Beyond the 80-bit format's range: inf (Redis then refuses the result). */
const MAX_EXP = 16384;

function bitLength(n: bigint): bigint {
  return BigInt((n < 0n ? -n : n).toString(2).length);
}

/** Rounds num / den (den > 0) to the nearest integer, ties to even. */
function divRound(num: bigint, den: bigint): bigint {
  const neg = num < 0n;
  const a = neg ? -num : num;
  let q = a / den;
  const r2 = (a % den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) q++;
  return neg ? -q : q;
}

/** num / den × 2^0 rounded to a 64-bit mantissa. */
function fromRatio(num: bigint, den: bigint): LD {
  if (num === 0n) return { m: 0n, e: 0 };
  // Pick e so that num / den / 2^e has 64 significant bits.
  let e = Number(bitLength(num) - bitLength(den) - BITS);
  for (;;) {
    const m = e >= 0 ? divRound(num, den << BigInt(e)) : divRound(num << BigInt(-e), den);
    const bl = bitLength(m);
    if (bl > BITS) e++;
    else if (bl < BITS) e--;
    else return { m, e };
  }
}

/** string2ld: a decimal number as strtold reads it, or null (no spaces, no nan/inf here). */
export function parseLongDouble(s: string): LD | null {
  const g = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (g === null || (g[2] === '' && (g[3] ?? '') === '')) return null;
  const digits = (g[2] ?? '') + (g[3] ?? '');
  let exp10 = (g[4] === undefined ? 0 : Number(g[4])) - (g[3] ?? '').length;
  if (!Number.isFinite(exp10) || Math.abs(exp10) > 6000) {
    if (/^0*$/.test(digits)) return { m: 0n, e: 0 };
    return exp10 > 0 ? null : { m: 0n, e: 0 };
  }
  let num = BigInt(digits === '' ? '0' : digits);
  if (g[1] === '-') num = -num;
  let den = 1n;
  if (exp10 >= 0) num *= 10n ** BigInt(exp10);
  else den = 10n ** BigInt(-exp10);
  exp10 = 0;
  const v = fromRatio(num, den);
  return v.e + 64 > MAX_EXP ? null : v;
}

export function addLongDouble(a: LD, b: LD): LD | null {
  const e = Math.min(a.e, b.e);
  const sum = (a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e));
  const v = e >= 0 ? fromRatio(sum << BigInt(e), 1n) : fromRatio(sum, 1n << BigInt(-e));
  return v.e + 64 > MAX_EXP ? null : v;
}

/** "%.17Lf" with trailing zeros (and a bare ".") removed; "-0" becomes "0". */
export function formatLongDouble(v: LD): string {
  const scaled = v.e >= 0 ? (v.m << BigInt(v.e)) * 10n ** 17n : divRound(v.m * 10n ** 17n, 1n << BigInt(-v.e));
  const neg = scaled < 0n || (scaled === 0n && v.m < 0n);
  const digits = (scaled < 0n ? -scaled : scaled).toString().padStart(18, '0');
  let s = digits.slice(0, -17) + '.' + digits.slice(-17);
  s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (neg && s !== '0') s = '-' + s;
  return s;
}

/** value + incr as Redis computes and prints it, or an error kind. */
export function incrByFloat(value: string, incr: string): string | 'not-float' | 'bad-incr' | 'overflow' {
  const b = parseLongDouble(incr);
  if (b === null) return 'bad-incr';
  const a = parseLongDouble(value);
  if (a === null) return 'not-float';
  const r = addLongDouble(a, b);
  return r === null ? 'overflow' : formatLongDouble(r);
}
