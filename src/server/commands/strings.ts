import { nullBulk, OK, ONE, ZERO, int, bulk, arrayHeader } from '../resp/encoder.js';
import {
  cmd,
  rewrite,
  wrongArgs,
  parseInteger,
  type Command,
  type Ctx,
  WRONGTYPE,
  SYNTAX,
  NOT_INT,
  OVERFLOW,
} from './command.js';
import { incrByFloat } from '../long-double.js';
import { err, parseLongLong } from './args.js';
import { lcs } from './lcs.js';
import { StringMade } from '../string-encoding.js';

/**
 * String commands (t_string.c). Counters: Redis keeps 64-bit integers; JS numbers are exact
 * only up to 2^53, so values or results beyond Number.MAX_SAFE_INTEGER are refused with
 * "value is not an integer or out of range" / "increment or decrement would overflow"
 * instead of being silently rounded.
 */

const NX = 1;
const XX = 2;
const GET = 4;
const KEEPTTL = 8;
const EX = 16;
const PX = 32;
const EXAT = 64;
const PXAT = 128;
const ANY_EXPIRE = EX | PX | EXAT | PXAT;

/**
 * An expire-time argument: the number, or 'range' for a valid int64 beyond 2^53 (Redis would
 * overflow it into "invalid expire time" at the ms conversion; far-future *AT times that Redis
 * accepts are refused here too), or null when not an integer at all.
 */
export function parseExpireArg(s: string): number | 'range' | null {
  const n = parseInteger(s);
  if (n !== null) return n;
  if (s.length > 20 || !/^-?(0|[1-9][0-9]*)$/.test(s)) return null;
  const b = BigInt(s);
  return b >= -(2n ** 63n) && b < 2n ** 63n ? 'range' : null;
}

export function expireError(name: string): string {
  return `-ERR invalid expire time in '${name}' command\r\n`;
}

/**
 * getExpireMillisecondsOrReply: the absolute unix-ms expiry, or an error reply string.
 * Relative forms are made absolute here so that propagation can use PXAT.
 */
function expireAt(name: string, raw: string, flags: number): number | string {
  const n = parseExpireArg(raw);
  if (n === null) return NOT_INT;
  if (n === 'range' || n <= 0) return expireError(name);
  let ms = flags & (EX | EXAT) ? n * 1000 : n;
  if (flags & (EX | PX)) ms += Date.now();
  if (!Number.isSafeInteger(ms)) return expireError(name);
  return ms;
}

/** Replies like GET does; undefined when the key holds another type. */
function getReply(ctx: Ctx, key: string): string | undefined {
  const v = ctx.ks.get(key);
  if (v === undefined) return nullBulk(ctx.resp);
  if (typeof v !== 'string') return undefined;
  return '$' + v.length + '\r\n' + v + '\r\n';
}

function set(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const value = argv[2]!;
  // Hot path: plain SET, no option parsing, no allocation beyond the reply.
  if (argv.length === 3) {
    ctx.ks.set(key, value);
    return OK;
  }
  let flags = 0;
  let rawExpire = '';
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const hasNext = j + 1 < argv.length;
    if (opt === 'nx' && !(flags & XX)) flags |= NX;
    else if (opt === 'xx' && !(flags & NX)) flags |= XX;
    else if (opt === 'get') flags |= GET;
    else if (opt === 'keepttl' && !(flags & ANY_EXPIRE)) flags |= KEEPTTL;
    else if (hasNext && !(flags & KEEPTTL) && (opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat')) {
      const f = opt === 'ex' ? EX : opt === 'px' ? PX : opt === 'exat' ? EXAT : PXAT;
      // Redis allows repeating the same unit (last wins) but not mixing units.
      if (flags & ANY_EXPIRE & ~f) return SYNTAX;
      flags |= f;
      rawExpire = argv[++j]!;
    } else return SYNTAX;
  }
  return setGeneric(ctx, 'set', key, value, flags, rawExpire, argv);
}

/** setGenericCommand: shared by SET, SETEX, PSETEX. `argv` is what was received. */
function setGeneric(ctx: Ctx, name: string, key: string, value: string, flags: number, rawExpire: string, argv: string[]): string {
  let at = 0;
  if (flags & ANY_EXPIRE) {
    const r = expireAt(name, rawExpire, flags);
    if (typeof r === 'string') return r;
    at = r;
  }
  let reply = OK;
  if (flags & GET) {
    const g = getReply(ctx, key);
    if (g === undefined) return WRONGTYPE;
    reply = g;
  }
  if (flags & (NX | XX)) {
    const found = ctx.ks.get(key) !== undefined;
    if ((flags & NX && found) || (flags & XX && !found)) return flags & GET ? reply : nullBulk(ctx.resp);
  }
  ctx.ks.set(key, value, (flags & KEEPTTL) !== 0);
  if (flags & ANY_EXPIRE) {
    ctx.ks.setExpire(key, at);
    // Redis 7 propagates every expiring SET as SET key value PXAT <abs-ms>.
    rewrite(ctx, ['SET', key, value, 'PXAT', String(at)]);
  } else if (flags & GET) {
    // GET is not propagated (it would be harmless, but Redis drops it).
    rewrite(ctx, argv.filter((a, i) => i < 3 || a.toLowerCase() !== 'get'));
  }
  return reply;
}

function get(ctx: Ctx, argv: string[]): string {
  const v = ctx.ks.get(argv[1]!);
  if (v === undefined) return ctx.resp === 3 ? '_\r\n' : '$-1\r\n';
  if (typeof v !== 'string') return WRONGTYPE;
  return '$' + v.length + '\r\n' + v + '\r\n';
}

function getdel(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const r = getReply(ctx, key);
  if (r === undefined) return WRONGTYPE;
  if (ctx.ks.delete(key)) rewrite(ctx, ['DEL', key]);
  return r;
}

function getset(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const r = getReply(ctx, key);
  if (r === undefined) return WRONGTYPE;
  ctx.ks.set(key, argv[2]!); // clears the TTL, as Redis's setKey does
  rewrite(ctx, ['SET', key, argv[2]!]);
  return r;
}

function setnx(ctx: Ctx, argv: string[]): string {
  if (ctx.ks.get(argv[1]!) !== undefined) return ZERO;
  ctx.ks.set(argv[1]!, argv[2]!);
  return ONE;
}

function setex(unit: number, name: string) {
  return (ctx: Ctx, argv: string[]): string => setGeneric(ctx, name, argv[1]!, argv[3]!, unit, argv[2]!, argv);
}

function mset(ctx: Ctx, argv: string[]): string {
  if (argv.length % 2 === 0) return wrongArgs('mset');
  for (let i = 1; i < argv.length; i += 2) ctx.ks.set(argv[i]!, argv[i + 1]!);
  return OK;
}

function mget(ctx: Ctx, argv: string[]): string {
  let out = arrayHeader(argv.length - 1);
  for (let i = 1; i < argv.length; i++) {
    const v = ctx.ks.get(argv[i]!);
    out += typeof v === 'string' ? bulk(v) : nullBulk(ctx.resp);
  }
  return out;
}

/** incrDecrCommand. The TTL is kept (Redis overwrites the value in place). */
function incrBy(ctx: Ctx, key: string, incr: number): string {
  const v = ctx.ks.get(key);
  let cur = 0;
  if (v !== undefined) {
    if (typeof v !== 'string') return WRONGTYPE;
    const n = parseInteger(v);
    if (n === null) return NOT_INT;
    cur = n;
  }
  const next = cur + incr;
  if (!Number.isSafeInteger(next)) return OVERFLOW;
  ctx.ks.set(key, String(next), true);
  return int(next);
}

function incrByArg(sign: number) {
  return (ctx: Ctx, argv: string[]): string => {
    const n = parseInteger(argv[2]!);
    if (n === null) return NOT_INT;
    return incrBy(ctx, argv[1]!, sign * n);
  };
}

function append(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const v = ctx.ks.get(key);
  if (v !== undefined && typeof v !== 'string') return WRONGTYPE;
  const next = v === undefined ? argv[2]! : v + argv[2]!;
  // A new key takes the argument as SET would; an existing one is made raw (dbUnshareStringValue).
  ctx.ks.set(key, next, true, v === undefined ? StringMade.ENCODED : StringMade.RAW);
  return int(next.length);
}

function strlen(ctx: Ctx, argv: string[]): string {
  const v = ctx.ks.get(argv[1]!);
  if (v === undefined) return ZERO;
  if (typeof v !== 'string') return WRONGTYPE;
  return int(v.length);
}

/** GETEX key [EX|PX|EXAT|PXAT t | PERSIST]: parsed like SET's options, then GET + expiry. */
function getex(ctx: Ctx, argv: string[]): string {
  let flags = 0;
  let persist = false;
  let rawExpire = '';
  for (let j = 2; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    if (opt === 'persist' && !(flags & ANY_EXPIRE)) persist = true;
    else if (j + 1 < argv.length && !persist && (opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat')) {
      const f = opt === 'ex' ? EX : opt === 'px' ? PX : opt === 'exat' ? EXAT : PXAT;
      if (flags & ANY_EXPIRE & ~f) return SYNTAX;
      flags |= f;
      rawExpire = argv[++j]!;
    } else return SYNTAX;
  }
  const key = argv[1]!;
  const v = ctx.ks.get(key);
  if (v === undefined) return nullBulk(ctx.resp);
  if (typeof v !== 'string') return WRONGTYPE;
  let at = 0;
  if (flags & ANY_EXPIRE) {
    const r = expireAt('getex', rawExpire, flags);
    if (typeof r === 'string') return r;
    at = r;
  }
  const reply = bulk(v);
  if (flags & (EXAT | PXAT) && at <= Date.now()) {
    // An absolute time already past deletes the key (lazyfree-lazy-expire no: DEL).
    ctx.ks.delete(key);
    rewrite(ctx, ['DEL', key]);
  } else if (flags & ANY_EXPIRE) {
    ctx.ks.setExpire(key, at);
    rewrite(ctx, ['PEXPIREAT', key, String(at)]);
  } else if (persist && ctx.ks.persist(key)) {
    rewrite(ctx, ['PERSIST', key]);
  }
  return reply;
}

/** GETRANGE / SUBSTR: inclusive byte range, negative indexes from the end; "" when empty. */
function getrange(ctx: Ctx, argv: string[]): string {
  let start = parseLongLong(argv[2]!);
  if (start === null) return NOT_INT;
  let end = parseLongLong(argv[3]!);
  if (end === null) return NOT_INT;
  const v = ctx.ks.get(argv[1]!);
  if (v === undefined) return EMPTY;
  if (typeof v !== 'string') return WRONGTYPE;
  const len = v.length;
  if (start < 0 && end < 0 && start > end) return EMPTY;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return EMPTY;
  return bulk(v.slice(start, end + 1));
}
const EMPTY = '$0\r\n\r\n';

/**
 * checkStringLength against proto-max-bulk-len's default, 512 MB (data commands do not reach
 * the server's config; V8 cannot hold a larger string anyway).
 */
const MAX_BULK_LEN = 512 * 1024 * 1024;
const TOO_BIG = err('string exceeds maximum allowed size (proto-max-bulk-len)');

/** SETRANGE key offset value: zero-padded up to offset; an empty value writes nothing. */
function setrange(ctx: Ctx, argv: string[]): string {
  const [, key, rawOffset, value] = argv as [string, string, string, string];
  const offset = parseLongLong(rawOffset);
  if (offset === null) return NOT_INT;
  if (offset < 0) return err('offset is out of range');
  const v = ctx.ks.get(key);
  if (v !== undefined && typeof v !== 'string') return WRONGTYPE;
  const old = v ?? '';
  if (value.length === 0) return int(old.length);
  if (offset + value.length > MAX_BULK_LEN) return TOO_BIG;
  let next: string;
  try {
    const head = old.length >= offset ? old.slice(0, offset) : old + '\0'.repeat(offset - old.length);
    next = head + value + old.slice(offset + value.length);
  } catch {
    // V8 strings stop just short of 512 MB (2^29 - 24 chars): refused as Redis refuses larger.
    return TOO_BIG;
  }
  ctx.ks.set(key, next, true, StringMade.RAW);
  return int(next.length);
}

/** INCRBYFLOAT in long double arithmetic; propagated as SET key result KEEPTTL, as Redis does. */
function incrbyfloat(ctx: Ctx, argv: string[]): string {
  const [, key, incr] = argv as [string, string, string];
  const v = ctx.ks.get(key);
  if (v !== undefined && typeof v !== 'string') return WRONGTYPE;
  const value = v ?? '0';
  // strtold accepts inf (the sum is then refused) but not nan, nor spaces.
  const inf = (s: string): boolean => /^[+-]?inf(inity)?$/i.test(s);
  if (!inf(value) && incrByFloat(value, '0') === 'not-float') return NOT_FLOAT;
  if (!inf(incr) && incrByFloat('0', incr) === 'bad-incr') return NOT_FLOAT;
  if (inf(value) || inf(incr)) return err('increment would produce NaN or Infinity');
  const r = incrByFloat(value, incr);
  if (r === 'overflow') return err('increment would produce NaN or Infinity');
  if (r === 'not-float' || r === 'bad-incr') return NOT_FLOAT;
  // createStringObjectFromLongDouble: "3" is an embstr here (the propagated SET makes it an int).
  ctx.ks.set(key, r, true, StringMade.PLAIN);
  rewrite(ctx, ['SET', key, r, 'KEEPTTL']);
  return bulk(r);
}
const NOT_FLOAT = err('value is not a valid float');

/** MSETNX: sets every pair, or nothing (reply 0) when any key exists. */
function msetnx(ctx: Ctx, argv: string[]): string {
  if (argv.length % 2 === 0) return wrongArgs('msetnx');
  for (let i = 1; i < argv.length; i += 2) if (ctx.ks.get(argv[i]!) !== undefined) return ZERO;
  for (let i = 1; i < argv.length; i += 2) ctx.ks.set(argv[i]!, argv[i + 1]!);
  return ONE;
}

const K1 = [1, 1, 1] as const;

export const stringCommands: Command[] = [
  cmd('set', -3, ['write'], K1, set),
  cmd('get', 2, ['readonly', 'fast'], K1, get),
  cmd('getdel', 2, ['write', 'fast'], K1, getdel),
  cmd('getset', 3, ['write', 'fast'], K1, getset),
  cmd('setnx', 3, ['write', 'fast'], K1, setnx),
  cmd('setex', 4, ['write'], K1, setex(EX, 'setex')),
  cmd('psetex', 4, ['write'], K1, setex(PX, 'psetex')),
  cmd('mset', -3, ['write'], [1, -1, 2], mset),
  cmd('mget', -2, ['readonly', 'fast'], [1, -1, 1], mget),
  cmd('incr', 2, ['write', 'fast'], K1, (ctx, argv) => incrBy(ctx, argv[1]!, 1)),
  cmd('decr', 2, ['write', 'fast'], K1, (ctx, argv) => incrBy(ctx, argv[1]!, -1)),
  cmd('incrby', 3, ['write', 'fast'], K1, incrByArg(1)),
  cmd('decrby', 3, ['write', 'fast'], K1, incrByArg(-1)),
  cmd('append', 3, ['write'], K1, append),
  cmd('strlen', 2, ['readonly', 'fast'], K1, strlen),
  cmd('getex', -2, ['write', 'fast'], K1, getex),
  cmd('getrange', 4, ['readonly'], K1, getrange),
  cmd('substr', 4, ['readonly'], K1, getrange),
  cmd('setrange', 4, ['write'], K1, setrange),
  cmd('incrbyfloat', 3, ['write', 'fast'], K1, incrbyfloat),
  cmd('msetnx', -3, ['write'], [1, -1, 2], msetnx),
  cmd('lcs', -3, ['readonly'], [1, 2, 1], lcs),
];
