import type { Hash } from '../keyspace.js';
import { arrayHeader, bulk, bulkArray, bulkOrNull, int, map, nullBulk, OK, ONE, ZERO } from '../resp/encoder.js';
import { cmd, parseInteger, rewrite, wrongArgs, type Command, type Ctx, WRONGTYPE, NOT_INT, OVERFLOW, SYNTAX, MAX_REPLY_ELEMENTS, REPLY_TOO_LONG } from './command.js';
import { noteGrowth } from '../encoding.js';
import { incrByFloat, parseLongDouble } from '../long-double.js';
import { err } from './args.js';
import { scanCollection } from './scan-collection.js';

/** Hash commands (t_hash.c). Hashes are Maps; empty hashes are deleted, as Redis does. */

/** The hash at key, undefined when missing, null when another type. */
function lookup(ctx: Ctx, key: string): Hash | undefined | null {
  const v = ctx.ks.get(key);
  if (v === undefined) return undefined;
  return v instanceof Map ? v : null;
}

/** HSET (reply: fields created) and HMSET (reply: OK). Always a write, even if unchanged. */
function hset(name: string) {
  return (ctx: Ctx, argv: string[]): string => {
    if (argv.length % 2 === 1) return wrongArgs(name);
    const key = argv[1]!;
    let h = lookup(ctx, key);
    if (h === null) return WRONGTYPE;
    if (h === undefined) ctx.ks.set(key, (h = new Map()));
    else ctx.ks.mutate(key, h);
    let created = 0;
    for (let i = 2; i < argv.length; i += 2) {
      if (!h.has(argv[i]!)) created++;
      h.set(argv[i]!, argv[i + 1]!);
    }
    noteGrowth(h, argv, 2);
    return name === 'hset' ? int(created) : OK;
  };
}

function hsetnx(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const h = lookup(ctx, key);
  if (h === null) return WRONGTYPE;
  if (h === undefined) {
    const created = new Map([[argv[2]!, argv[3]!]]);
    ctx.ks.set(key, created);
    noteGrowth(created);
    return ONE;
  }
  if (h.has(argv[2]!)) return ZERO;
  ctx.ks.mutate(key, h).set(argv[2]!, argv[3]!);
  noteGrowth(h, argv, 2);
  return ONE;
}

function hget(ctx: Ctx, argv: string[]): string {
  const h = lookup(ctx, argv[1]!);
  if (h === null) return WRONGTYPE;
  return bulkOrNull(h?.get(argv[2]!), ctx.resp);
}

function hmget(ctx: Ctx, argv: string[]): string {
  const h = lookup(ctx, argv[1]!);
  if (h === null) return WRONGTYPE;
  let out = arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const v = h?.get(argv[i]!);
    out += v === undefined ? nullBulk(ctx.resp) : bulk(v);
  }
  return out;
}

function hdel(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const h = lookup(ctx, key);
  if (h === undefined) return ZERO;
  if (h === null) return WRONGTYPE;
  let n = 0;
  for (let i = 2; i < argv.length; i++) {
    if (!h.has(argv[i]!)) continue;
    if (n === 0) ctx.ks.mutate(key, h); // only a real removal is a write
    h.delete(argv[i]!);
    n++;
  }
  if (n > 0 && h.size === 0) ctx.ks.delete(key);
  return int(n);
}

function hgetall(ctx: Ctx, argv: string[]): string {
  const h = lookup(ctx, argv[1]!);
  if (h === null) return WRONGTYPE;
  const pairs: Array<[string, string]> = [];
  if (h !== undefined) for (const [f, v] of h) pairs.push([f, bulk(v)]);
  return map(pairs, ctx.resp);
}

function hlen(ctx: Ctx, argv: string[]): string {
  const h = lookup(ctx, argv[1]!);
  if (h === null) return WRONGTYPE;
  return int(h === undefined ? 0 : h.size);
}

function hexists(ctx: Ctx, argv: string[]): string {
  const h = lookup(ctx, argv[1]!);
  if (h === null) return WRONGTYPE;
  return h !== undefined && h.has(argv[2]!) ? ONE : ZERO;
}

/** HINCRBY: 64-bit in Redis; refused beyond 2^53 here (see strings.ts). */
function hincrby(ctx: Ctx, argv: string[]): string {
  const incr = parseInteger(argv[3]!);
  if (incr === null) return NOT_INT;
  const key = argv[1]!;
  const field = argv[2]!;
  const h = lookup(ctx, key);
  if (h === null) return WRONGTYPE;
  let cur = 0;
  const old = h?.get(field);
  if (old !== undefined) {
    const n = parseInteger(old);
    if (n === null) return '-ERR hash value is not an integer\r\n';
    cur = n;
  }
  const next = cur + incr;
  if (!Number.isSafeInteger(next)) return OVERFLOW;
  const value = String(next);
  let target = h;
  if (target === undefined) ctx.ks.set(key, (target = new Map([[field, value]])));
  else ctx.ks.mutate(key, target).set(field, value);
  noteGrowth(target, [field, value]);
  return int(next);
}

function hkeysOrVals(values: boolean) {
  return (ctx: Ctx, argv: string[]): string => {
    const h = lookup(ctx, argv[1]!);
    if (h === null) return WRONGTYPE;
    if (h === undefined) return '*0\r\n';
    return bulkArray(values ? h.values() : h.keys());
  };
}

/** HINCRBYFLOAT, in Redis's long double arithmetic; propagated as HSET of the result. */
function hincrbyfloat(ctx: Ctx, argv: string[]): string {
  const [, key, field, incr] = argv as [string, string, string, string];
  if (/^[+-]?(inf|infinity|nan)$/i.test(incr)) return err('value is NaN or Infinity');
  if (parseLongDouble(incr) === null) return err('value is not a valid float');
  const h = lookup(ctx, key);
  if (h === null) return WRONGTYPE;
  const r = incrByFloat(h?.get(field) ?? '0', incr);
  if (r === 'bad-incr') return err('value is not a valid float');
  if (r === 'not-float') return err('hash value is not a float');
  if (r === 'overflow') return err('increment would produce NaN or Infinity');
  let target = h;
  if (target === undefined) ctx.ks.set(key, (target = new Map([[field, r]])));
  else ctx.ks.mutate(key, target).set(field, r);
  noteGrowth(target, [field, r]);
  rewrite(ctx, ['HSET', key, field, r]);
  return bulk(r);
}

function hstrlen(ctx: Ctx, argv: string[]): string {
  const h = lookup(ctx, argv[1]!);
  if (h === null) return WRONGTYPE;
  return int(h?.get(argv[2]!)?.length ?? 0);
}

/** HRANDFIELD key [count [WITHVALUES]]: count < 0 allows repeats. */
function hrandfield(ctx: Ctx, argv: string[]): string {
  if (argv.length === 2) {
    const h = lookup(ctx, argv[1]!);
    if (h === undefined) return nullBulk(ctx.resp);
    if (h === null) return WRONGTYPE;
    let i = Math.floor(Math.random() * h.size);
    for (const f of h.keys()) if (i-- === 0) return bulk(f);
  }
  const l = parseInteger(argv[2]!);
  if (l === null) return NOT_INT;
  if (argv.length > 4 || (argv.length === 4 && argv[3]!.toLowerCase() !== 'withvalues')) return SYNTAX;
  const withValues = argv.length === 4;
  if (withValues && Math.abs(l) > Number.MAX_SAFE_INTEGER / 2) return err('value is out of range');
  const h = lookup(ctx, argv[1]!);
  if (h === undefined) return '*0\r\n';
  if (h === null) return WRONGTYPE;
  if (l === 0) return '*0\r\n';
  if (-l > MAX_REPLY_ELEMENTS) return REPLY_TOO_LONG;
  const fields = [...h.keys()];
  let picked: string[];
  if (l < 0) {
    picked = [];
    for (let i = 0; i < -l; i++) picked.push(fields[Math.floor(Math.random() * fields.length)]!);
  } else if (l >= fields.length) {
    picked = fields;
  } else {
    for (let i = 0; i < l; i++) {
      const j = i + Math.floor(Math.random() * (fields.length - i));
      [fields[i], fields[j]] = [fields[j]!, fields[i]!];
    }
    picked = fields.slice(0, l);
  }
  const r3 = ctx.resp === 3;
  let out = arrayHeader(withValues && !r3 ? picked.length * 2 : picked.length);
  for (const f of picked) out += withValues ? (r3 ? '*2\r\n' : '') + bulk(f) + bulk(h.get(f)!) : bulk(f);
  return out;
}

const K1 = [1, 1, 1] as const;

export const hashCommands: Command[] = [
  cmd('hset', -4, ['write', 'fast'], K1, hset('hset')),
  cmd('hmset', -4, ['write', 'fast'], K1, hset('hmset')),
  cmd('hsetnx', 4, ['write', 'fast'], K1, hsetnx),
  cmd('hget', 3, ['readonly', 'fast'], K1, hget),
  cmd('hmget', -3, ['readonly', 'fast'], K1, hmget),
  cmd('hdel', -3, ['write', 'fast'], K1, hdel),
  cmd('hgetall', 2, ['readonly'], K1, hgetall),
  cmd('hlen', 2, ['readonly', 'fast'], K1, hlen),
  cmd('hexists', 3, ['readonly', 'fast'], K1, hexists),
  cmd('hincrby', 4, ['write', 'fast'], K1, hincrby),
  cmd('hkeys', 2, ['readonly'], K1, hkeysOrVals(false)),
  cmd('hvals', 2, ['readonly'], K1, hkeysOrVals(true)),
  cmd('hincrbyfloat', 4, ['write', 'fast'], K1, hincrbyfloat),
  cmd('hstrlen', 3, ['readonly', 'fast'], K1, hstrlen),
  cmd('hrandfield', -2, ['readonly'], K1, hrandfield),
  cmd('hscan', -3, ['readonly'], K1, (ctx, argv) => scanCollection(ctx, argv, 'hash')),
];
