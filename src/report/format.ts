/**
 * Human number formatting for terminal tables: three significant digits, SI suffixes.
 * Never used for machine output (CSV/JSON carry raw numbers).
 */

/** 0, 7, 41.2, 4.12, 0.052, 1.2k, 35.2M, 1.05G. */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  if (x < 0) return '-' + fmtNum(-x);
  const suffixes: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (let i = suffixes.length - 1; i >= 0; i--) {
    // from the smallest scale up, take the first where the rounded value stays below 1000
    const [scale, sfx] = suffixes[i]!;
    if (x < scale * 0.9995) continue;
    const v = sig3(x / scale);
    if (v < 1000 || i === 0) return trim(v) + sfx;
  }
  if (Number.isInteger(x)) return String(x);
  const v = sig3(x);
  if (v >= 1000) return fmtNum(v);
  return trim(v);
}

/** 512 B, 35.2 MB (decimal units, as disk tools print them). */
export function fmtBytes(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x < 0) return '-' + fmtBytes(-x);
  if (x < 1000) return `${Number.isInteger(x) ? x : sig3(x)} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let v = x;
  let u = -1;
  while ((u < 0 || sig3(v) >= 1000) && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${trim(sig3(v))} ${units[u]}`;
}

/** 86.7 ns, 850 µs, 4.1 ms, 1.23 s, 2.5 min. */
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return '-' + fmtDuration(-ms);
  if (ms === 0) return '0 ms';
  if (ms < 0.001 && sig3(ms * 1e6) < 1000) return `${trim(sig3(ms * 1e6))} ns`;
  if (ms < 1 && sig3(ms * 1000) < 1000) return `${trim(sig3(ms * 1000))} µs`;
  if (sig3(ms) < 1000) return `${trim(sig3(ms))} ms`;
  if (sig3(ms / 1000) < 100) return `${trim(sig3(ms / 1000))} s`;
  return `${trim(sig3(ms / 60_000))} min`;
}

/** 0%, 0.52%, 100% */
export function fmtPct(x: number): string {
  return `${fmtNum(x)}%`;
}

/** A value in a metric's unit, with the unit: "35.2 MB", "4.1 ms", "1.2k ops/s", "0 writes". */
export function fmtWithUnit(x: number, unit: string): string {
  switch (unit) {
    case 'B':
      return fmtBytes(x);
    case 'ms':
      return fmtDuration(x);
    case 'us':
      return fmtDuration(x / 1000);
    case '%':
      return fmtPct(x);
    case 'x':
      return `${fmtNum(x)}x`;
    default:
      return `${fmtNum(x)} ${unit}`;
  }
}

function sig3(x: number): number {
  return Number(x.toPrecision(3));
}

/** Prints a 3-significant-digit value without exponent or trailing zeros. */
function trim(v: number): string {
  if (Number.isInteger(v)) return String(v);
  // toPrecision can produce exponents for tiny values; toFixed with enough digits avoids it.
  const digits = Math.min(20, Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v)))));
  return v.toFixed(digits).replace(/\.?0+$/, '');
}

/** Visible width of a string that may contain ANSI colour codes. */
export function visibleWidth(s: string): number {
  let w = 0;
  for (const line of stripAnsi(s).split('\n')) w = Math.max(w, [...line].length);
  return w;
}

export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}
