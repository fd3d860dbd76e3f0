import { typeOf } from '../keyspace.js';
import { bulk, bulkArray, int, nullBulk, simple, OK, ONE, ZERO } from '../resp/encoder.js';
import { cmd, parseInteger, rewrite, type Command, type Ctx, SYNTAX, NO_KEY, NOT_INT } from './command.js';
import { globMatch } from './glob.js';
import { expireError, parseExpireArg } from './strings.js';

/** Generic keyspace commands (db.c, expire.c). */

function del(ctx: Ctx, argv: string[]): string {
  let n = 0;
  // has() first so an expired key counts as missing, as Redis's expireIfNeeded does.
  for (let i = 1; i < argv.length; i++) if (ctx.ks.has(argv[i]!) && ctx.ks.delete(argv[i]!)) n++;
  return int(n);
}

function exists(ctx: Ctx, argv: string[]): string {
  let n = 0;
  for (let i = 1; i < argv.length; i++) if (ctx.ks.has(argv[i]!)) n++;
  return int(n);
}

function type(ctx: Ctx, argv: string[]): string {
  const v = ctx.ks.peek(argv[1]!);
  return simple(v === undefined ? 'none' : typeOf(v));
}

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;

/**
 * expireGenericCommand. `base` is 0 for the *AT forms, else now; `unit` 1000 for seconds.
 * Propagated as PEXPIREAT with the absolute time (or DEL when already in the past).
 */
function expireGeneric(name: string, relative: boolean, unit: number) {
  return (ctx: Ctx, argv: string[]): string => {
    const key = argv[1]!;
    let flags = 0;
    for (let j = 3; j < argv.length; j++) {
      const o = argv[j]!.toLowerCase();
      if (o === 'nx') flags |= NX;
      else if (o === 'xx') flags |= XX;
      else if (o === 'gt') flags |= GT;
      else if (o === 'lt') flags |= LT;
      else return `-ERR Unsupported option ${argv[j]}\r\n`;
    }
    if (flags & NX && flags & (XX | GT | LT)) {
      return '-ERR NX and XX, GT or LT options at the same time are not compatible\r\n';
    }
    if (flags & GT && flags & LT) return '-ERR GT and LT options at the same time are not compatible\r\n';
    const n = parseExpireArg(argv[2]!);
    if (n === null) return NOT_INT;
    // Negative times are allowed (they delete the key); only overflow is an error.
    const at = n === 'range' ? NaN : n * unit + (relative ? Date.now() : 0);
    if (!Number.isSafeInteger(at)) return expireError(name);
    if (ctx.ks.get(key) === undefined) return ZERO;
    if (flags) {
      const cur = ctx.ks.getExpire(key); // undefined = no TTL, i.e. infinite
      if (flags & NX && cur !== undefined) return ZERO;
      if (flags & XX && cur === undefined) return ZERO;
      if (flags & GT && (cur === undefined || at <= cur)) return ZERO;
      if (flags & LT && cur !== undefined && at >= cur) return ZERO;
    }
    // checkAlreadyExpired: not while loading (expireOnRead is off), so an AOF replays as written.
    if (at <= Date.now() && ctx.ks.expireOnRead) {
      ctx.ks.delete(key);
      rewrite(ctx, ['DEL', key]);
      return ONE;
    }
    ctx.ks.setExpire(key, at);
    rewrite(ctx, ['PEXPIREAT', key, String(at)]);
    return ONE;
  };
}

function ttl(ms: boolean) {
  return (ctx: Ctx, argv: string[]): string => {
    const key = argv[1]!;
    if (!ctx.ks.has(key)) return int(-2);
    const at = ctx.ks.getExpire(key);
    if (at === undefined) return int(-1);
    const left = Math.max(0, at - Date.now());
    return int(ms ? left : Math.floor((left + 500) / 1000));
  };
}

function persist(ctx: Ctx, argv: string[]): string {
  if (ctx.ks.get(argv[1]!) === undefined) return ZERO;
  return ctx.ks.persist(argv[1]!) ? ONE : ZERO;
}

/** True when the key's TTL has passed; does not delete (KEYS is a read). */
function isExpired(ctx: Ctx, key: string, now: number): boolean {
  if (!ctx.ks.expireOnRead) return false;
  const at = ctx.ks.getExpire(key);
  return at !== undefined && at <= now;
}

function keys(ctx: Ctx, argv: string[]): string {
  const pat = argv[1]!;
  const all = pat === '*';
  const now = Date.now();
  const out: string[] = [];
  for (const k of ctx.ks.data.keys()) {
    if ((all || globMatch(pat, k)) && !isExpired(ctx, k, now)) out.push(k);
  }
  return bulkArray(out);
}

/**
 * SCAN with the entry number as the cursor: a key keeps its number for life (the table never
 * compacts, and rehashing moves index slots, not entries), so every key present for the
 * whole iteration is returned exactly once, with no per-client state and no O(N) copy at
 * cursor 0. Like Redis, a call examines COUNT keys but steps over at most 10 × COUNT free
 * numbers, so it stays O(COUNT) on a table full of holes.
 */
function scan(ctx: Ctx, argv: string[]): string {
  const c = argv[1]!;
  if (!/^[0-9]+$/.test(c)) return '-ERR invalid cursor\r\n';
  let count = 10;
  let pat: string | null = null;
  let typeName: string | null = null;
  for (let i = 2; i < argv.length; i += 2) {
    const o = argv[i]!.toLowerCase();
    if (i + 1 >= argv.length) return SYNTAX;
    if (o === 'count') {
      const n = parseInteger(argv[i + 1]!);
      if (n === null) return NOT_INT;
      if (n < 1) return SYNTAX;
      count = n;
    } else if (o === 'match') {
      pat = argv[i + 1] === '*' ? null : argv[i + 1]!;
    } else if (o === 'type') {
      typeName = argv[i + 1]!.toLowerCase();
    } else return SYNTAX;
  }
  const table = ctx.ks.data;
  const end = table.highWater;
  // A cursor beyond every number (or beyond 2^53) has nothing left to give.
  let e = c.length > 15 ? end : Number(c);
  const out: string[] = [];
  let examined = 0;
  let holes = 0;
  for (; e < end && examined < count && holes < count * 10; e++) {
    if (!table.isLive(e)) {
      holes++;
      continue;
    }
    examined++;
    const k = table.key(e);
    if (pat !== null && !globMatch(pat, k)) continue;
    const v = ctx.ks.peek(k); // expires it when due, as Redis's scan does (no access stamp)
    if (v === undefined) continue;
    if (typeName !== null && typeOf(v) !== typeName) continue;
    out.push(k);
  }
  return '*2\r\n' + bulk(e >= end ? '0' : String(e)) + bulkArray(out);
}

function randomkey(ctx: Ctx): string {
  const ks = ctx.ks;
  // Retry a few times when the picked key turns out to be expired (get() deletes it).
  for (let tries = 0; tries < 100 && ks.size > 0; tries++) {
    const e = ks.data.randomEntry();
    const k = e < 0 ? undefined : ks.data.key(e);
    if (k !== undefined && ks.has(k)) return bulk(k);
  }
  return nullBulk(ctx.resp);
}

function renameGeneric(nx: boolean) {
  return (ctx: Ctx, argv: string[]): string => {
    const src = argv[1]!;
    const dst = argv[2]!;
    const ks = ctx.ks;
    if (ks.get(src) === undefined) return NO_KEY;
    if (src === dst) return nx ? ZERO : OK;
    if (nx && ks.get(dst) !== undefined) return ZERO;
    const r = ks.record(src)!;
    // The value object moves to dst; src's copy-on-write hook runs before it is deleted.
    ks.delete(src);
    ks.put(dst, r);
    return nx ? ONE : OK;
  };
}

const K1 = [1, 1, 1] as const;
const KALL = [1, -1, 1] as const;
const K0 = [0, 0, 0] as const;

export const keyCommands: Command[] = [
  cmd('del', -2, ['write'], KALL, del),
  cmd('unlink', -2, ['write', 'fast'], KALL, del),
  cmd('exists', -2, ['readonly', 'fast'], KALL, exists),
  cmd('type', 2, ['readonly', 'fast'], K1, type),
  cmd('expire', -3, ['write', 'fast'], K1, expireGeneric('expire', true, 1000)),
  cmd('pexpire', -3, ['write', 'fast'], K1, expireGeneric('pexpire', true, 1)),
  cmd('expireat', -3, ['write', 'fast'], K1, expireGeneric('expireat', false, 1000)),
  cmd('pexpireat', -3, ['write', 'fast'], K1, expireGeneric('pexpireat', false, 1)),
  cmd('ttl', 2, ['readonly', 'fast'], K1, ttl(false)),
  cmd('pttl', 2, ['readonly', 'fast'], K1, ttl(true)),
  cmd('persist', 2, ['write', 'fast'], K1, persist),
  cmd('keys', 2, ['readonly'], K0, keys),
  cmd('scan', -2, ['readonly'], K0, scan),
  cmd('randomkey', 1, ['readonly'], K0, randomkey),
  cmd('rename', 3, ['write'], [1, 2, 1], renameGeneric(false)),
  cmd('renamenx', 3, ['write', 'fast'], [1, 2, 1], renameGeneric(true)),
];
