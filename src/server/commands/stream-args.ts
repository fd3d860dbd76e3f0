import { Stream } from '../keyspace.js';
import { bulk } from '../resp/encoder.js';
import { formatId, idMs, MAX_ID, MIN_ID, parseId } from '../stream/stream-id.js';
import { err } from './args.js';
import { type Ctx, parseInteger, WRONGTYPE } from './command.js';

/** Argument parsing and reply pieces shared by the stream commands (t_stream.c's helpers). */

export const INVALID_ID = err('Invalid stream ID specified as stream command argument');

/** The stream at key, undefined when missing, or the WRONGTYPE reply. */
export function streamAt(ctx: Ctx, key: string): Stream | undefined | string {
  const v = ctx.ks.get(key);
  if (v === undefined) return undefined;
  return v instanceof Stream ? v : WRONGTYPE;
}

/** streamParseStrictIDOrReply (missing seq 0): the ID, or null. */
export function strictId(s: string, missingSeq = 0n): bigint | null {
  return parseId(s, missingSeq, true)?.id ?? null;
}

/**
 * streamParseIntervalIDOrReply plus the "(" exclusion step of XRANGE/XPENDING/XAUTOCLAIM:
 * the inclusive bound, or an error reply.
 */
export function intervalId(s: string, missingSeq: bigint, start: boolean): bigint | string {
  const exclude = s.length > 1 && s[0] === '(';
  const p = exclude ? parseId(s.slice(1), missingSeq, true) : parseId(s, missingSeq, false);
  if (p === null) return INVALID_ID;
  if (!exclude) return p.id;
  if (start) return p.id === MAX_ID ? err('invalid start ID for the interval') : p.id + 1n;
  return p.id === MIN_ID ? err('invalid end ID for the interval') : p.id - 1n;
}

/** getLongLongFromObjectOrReply: the integer, or the error reply (`msg` replaces the default). */
export function longLong(s: string, msg?: string): number | string {
  const n = parseInteger(s);
  return n === null ? err(msg ?? 'value is not an integer or out of range') : n;
}

export function idBulk(id: bigint): string {
  return bulk(formatId(id));
}

/** One entry as streamReplyWithRange emits it: [id, [field, value, ...]]. */
export function entryReply(s: Stream, slot: number): string {
  const fv = s.fields(slot);
  let out = '*2\r\n' + bulk(s.slotIdString(slot)) + '*' + fv.length + '\r\n';
  for (const x of fv) out += '$' + x.length + '\r\n' + x + '\r\n';
  return out;
}

/** The current unix time in ms as Redis's mstime() (IDs, delivery and seen times). */
export function mstime(): number {
  return Date.now();
}

/** The ms part of an ID as a number (for the auto-ID clock comparison). */
export function msOf(id: bigint): bigint {
  return idMs(id);
}
