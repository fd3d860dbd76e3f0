import { objectEncoding } from './encoding.js';
import { sharedInteger } from './lru-clock.js';

/**
 * How a string value was made, which is what OBJECT ENCODING and REFCOUNT tell about it in
 * Redis 7.0 (object.c, t_string.c). The byte is kept per key (KeyTable's encoding byte):
 * the same bytes may be "int", "embstr" or "raw" depending on the command that wrote them.
 */
export const StringMade = {
  /** tryObjectEncoding (SET, MSET, APPEND to a new key, INCR, loading): int, shared 0..9999; embstr up to 44 bytes; raw. */
  ENCODED: 0,
  /** dupStringObject of an int (COPY): int but never a shared object. */
  UNSHARED: 1,
  /** createStringObject (INCRBYFLOAT's result): embstr up to 44 bytes, else raw, never int. */
  PLAIN: 2,
  /** Changed in place (APPEND, SETRANGE on an existing key; SETRANGE making one): raw. */
  RAW: 3,
} as const;

/** OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
const EMBSTR_SIZE_LIMIT = 44;
/** OBJ_SHARED_REFCOUNT. */
const SHARED_REFCOUNT = 2147483647;

/** OBJECT ENCODING of a string made as `made` says. */
export function stringEncoding(v: string, made: number): string {
  if (made === StringMade.RAW) return 'raw';
  if (made === StringMade.PLAIN) return v.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
  return objectEncoding(v);
}

/** OBJECT REFCOUNT of a string: a shared integer's, or 1. */
export function stringRefcount(v: string, made: number): number {
  return made === StringMade.ENCODED && sharedInteger(v) >= 0 ? SHARED_REFCOUNT : 1;
}

/** What a copy of the value is (COPY's dupStringObject keeps the encoding, not the sharing). */
export function copiedString(made: number): number {
  return made === StringMade.ENCODED ? StringMade.UNSHARED : made;
}
