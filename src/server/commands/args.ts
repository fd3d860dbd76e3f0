import { parseFloatStrict, parseInteger } from './command.js';

/** Argument parsers shared by the newer command families, with Redis's reply texts. */

export const err = (m: string): string => '-ERR ' + m + '\r\n';

/**
 * getRangeLongFromObjectOrReply: an integer in [min, max], else the error reply (`msg` for a
 * non-integer too when given, as Redis passes it down to the integer parse).
 */
export function rangeLong(s: string, min: number, max: number, msg?: string): number | string {
  const n = parseInteger(s);
  if (n === null) return err(msg ?? 'value is not an integer or out of range');
  if (n < min || n > max) return err(msg ?? `value is out of range, value must between ${min} and ${max}`);
  return n;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * getIntFromObjectOrReply: a C int, else the error reply. An integer beyond JS's safe range
 * but within int64 is still an integer to Redis, so it gets the range wording, not the parse one.
 */
export function intArg(s: string, msg?: string): number | string {
  if (parseInteger(s) === null && /^-?[1-9][0-9]*$/.test(s) && s.length <= 20) {
    const b = BigInt(s);
    if (b >= INT64_MIN && b <= INT64_MAX) return err(msg ?? 'value is out of range, value must between -2147483648 and 2147483647');
  }
  return rangeLong(s, -2147483648, 2147483647, msg);
}

/** getPositiveLongFromObjectOrReply. */
export function positiveLong(s: string, msg = 'value is out of range, must be positive'): number | string {
  return rangeLong(s, 0, Number.MAX_SAFE_INTEGER, msg);
}

/**
 * getTimeoutFromObjectOrReply in seconds (a float; 0 = block forever): the absolute deadline in
 * unix ms (0 for forever), or the error reply.
 */
export function blockTimeout(s: string, now = Date.now()): number | string {
  const f = parseFloatStrict(s);
  if (f === null || !Number.isFinite(f)) return err('timeout is not a float or out of range');
  const ms = Math.ceil(f * 1000);
  if (ms < 0) return err('timeout is negative');
  return ms > 0 ? ms + now : 0;
}

/** "LEFT" / "RIGHT" (case-insensitive) as left = true, or null. */
export function listSide(s: string): boolean | null {
  const l = s.toLowerCase();
  return l === 'left' ? true : l === 'right' ? false : null;
}

/**
 * string2ll over the whole int64 range, as a (possibly rounded) number: GETRANGE/SETRANGE/LCS
 * arguments beyond 2^53 only need to compare right, not be exact. Null when not an int64.
 */
export function parseLongLong(s: string): number | null {
  const n = parseInteger(s);
  if (n !== null) return n;
  if (s.length > 20 || !/^-?(0|[1-9][0-9]*)$/.test(s)) return null;
  const b = BigInt(s);
  return b >= -(2n ** 63n) && b < 2n ** 63n ? Number(s) : null;
}
