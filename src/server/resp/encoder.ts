/**
 * RESP2/RESP3 reply encoders. Replies are latin1 strings (one char per byte) that the
 * connection concatenates and writes once per read batch; the AOF writer shares
 * encodeCommand. `resp` is the connection's protocol version (2 or 3).
 */
export type Proto = 2 | 3;

export const OK = '+OK\r\n';
export const PONG = '+PONG\r\n';
export const ZERO = ':0\r\n';
export const ONE = ':1\r\n';
export const EMPTY_ARRAY = '*0\r\n';

export function simple(s: string): string {
  return '+' + s + '\r\n';
}

/** `msg` includes the error code, e.g. "ERR syntax error" or "WRONGTYPE ...". */
export function error(msg: string): string {
  return '-' + msg + '\r\n';
}

export function int(n: number): string {
  return ':' + n + '\r\n';
}

export function bulk(s: string): string {
  return '$' + s.length + '\r\n' + s + '\r\n';
}

export function nullBulk(resp: Proto): string {
  return resp === 3 ? '_\r\n' : '$-1\r\n';
}

export function nullArray(resp: Proto): string {
  return resp === 3 ? '_\r\n' : '*-1\r\n';
}

export function bulkOrNull(s: string | undefined, resp: Proto): string {
  return s === undefined ? nullBulk(resp) : bulk(s);
}

export function arrayHeader(n: number): string {
  return '*' + n + '\r\n';
}

/** An array of already-encoded replies. */
export function array(items: string[]): string {
  return '*' + items.length + '\r\n' + items.join('');
}

export function bulkArray(items: Iterable<string>): string {
  let out = '';
  let n = 0;
  for (const s of items) {
    out += '$' + s.length + '\r\n' + s + '\r\n';
    n++;
  }
  return '*' + n + '\r\n' + out;
}

/** Field/value pairs: a RESP3 map, or a flat RESP2 array. Values already encoded. */
export function map(pairs: Array<[string, string]>, resp: Proto): string {
  let out = resp === 3 ? '%' + pairs.length + '\r\n' : '*' + pairs.length * 2 + '\r\n';
  for (const [k, v] of pairs) out += bulk(k) + v;
  return out;
}

/** A RESP3 set, or a RESP2 array, of bulk strings. */
export function set(items: Iterable<string>, resp: Proto): string {
  const a = bulkArray(items);
  return resp === 3 ? '~' + a.slice(1) : a;
}

export function double(d: number, resp: Proto): string {
  const s = formatDouble(d);
  return resp === 3 ? ',' + s + '\r\n' : bulk(s);
}

/** Redis 7.0's double formatting: %.17g (so 0.1 is 0.10000000000000001), inf/-inf. */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Object.is(d, -0)) return '-0';
  if (Number.isInteger(d) && Math.abs(d) < 1e17) return String(d);
  // Scanned by hand rather than split and regexes: RDB saves format every fractional
  // score of a listpack sorted set this way.
  const s = d.toPrecision(17);
  const e = s.indexOf('e');
  const mant = trimFraction(s, e < 0 ? s.length : e);
  if (e < 0) return mant;
  const sign = s.charCodeAt(e + 1) === 45 ? '-' : '+';
  const digits = s.slice(e + 2);
  return mant + 'e' + sign + (digits.length < 2 ? '0' + digits : digits);
}

/** s[0, end) without the trailing zeros of its fraction (and the point, when nothing is left). */
function trimFraction(s: string, end: number): string {
  if (s.lastIndexOf('.', end - 1) < 0) return end === s.length ? s : s.slice(0, end);
  let i = end;
  while (s.charCodeAt(i - 1) === 48) i--;
  if (s.charCodeAt(i - 1) === 46) i--;
  return i === s.length ? s : s.slice(0, i);
}

/** A command as an array of bulk strings: the AOF's record format. */
export function encodeCommand(argv: readonly string[]): string {
  let out = '*' + argv.length + '\r\n';
  for (const a of argv) out += '$' + a.length + '\r\n' + a + '\r\n';
  return out;
}
