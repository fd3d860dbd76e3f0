import { ZSet } from '../keyspace.js';
import { double, int, nullBulk } from '../resp/encoder.js';
import { cmd, parseFloatStrict, type Command, type Ctx, WRONGTYPE, SYNTAX, NOT_FLOAT } from './command.js';

/** Sorted-set commands (t_zset.c). Empty sorted sets are deleted, as Redis does. */

/** The zset at key, undefined when missing, null when another type. */
export function lookup(ctx: Ctx, key: string): ZSet | undefined | null {
  const v = ctx.ks.get(key);
  if (v === undefined) return undefined;
  return v instanceof ZSet ? v : null;
}

export const err = (m: string): string => '-ERR ' + m + '\r\n';

/** zaddGenericCommand; ZINCRBY is ZADD INCR with the options slot empty. */
function zaddGeneric(ctx: Ctx, argv: string[], forceIncr: boolean): string {
  let nx = false, xx = false, gt = false, lt = false, ch = false, incr = forceIncr;
  let i = 2;
  for (; i < argv.length; i++) {
    const o = argv[i]!.toLowerCase();
    if (o === 'nx') nx = true;
    else if (o === 'xx') xx = true;
    else if (o === 'ch') ch = true;
    else if (o === 'incr') incr = true;
    else if (o === 'gt') gt = true;
    else if (o === 'lt') lt = true;
    else break;
  }
  const pairs = argv.length - i;
  if (pairs === 0 || pairs % 2 !== 0) return SYNTAX;
  if (nx && xx) return err('XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) return err('GT, LT, and/or NX options at the same time are not compatible');
  if (incr && pairs > 2) return err('INCR option supports a single increment-element pair');
  // Parse every score first: the command applies fully or not at all.
  const scores: number[] = [];
  for (let j = i; j < argv.length; j += 2) {
    const s = parseFloatStrict(argv[j]!);
    if (s === null) return NOT_FLOAT;
    scores.push(s);
  }
  const key = argv[1]!;
  let z = lookup(ctx, key);
  if (z === null) return WRONGTYPE;
  let added = 0, updated = 0, processed = 0;
  let last = 0;
  let touched = false;
  for (let k = 0; k < scores.length; k++) {
    const member = argv[i + 1 + 2 * k]!;
    let score = scores[k]!;
    const cur = z?.scores.get(member);
    if (cur !== undefined) {
      if (nx) continue;
      if (incr) {
        score += cur;
        if (Number.isNaN(score)) return err('resulting score is not a number (NaN)');
      }
      if ((lt && score >= cur) || (gt && score <= cur)) continue;
      processed++;
      last = score;
      if (score === cur) continue;
      updated++;
    } else {
      if (xx) continue;
      processed++;
      last = score;
      added++;
    }
    // First change: create the key or record the copy-on-write before touching it.
    if (!touched) {
      touched = true;
      if (z === undefined) ctx.ks.set(key, (z = new ZSet()));
      else ctx.ks.mutate(key, z);
    }
    z!.add(member, score);
  }
  if (incr) return processed ? double(last, ctx.resp) : nullBulk(ctx.resp);
  return int(ch ? added + updated : added);
}

function zscore(ctx: Ctx, argv: string[]): string {
  const z = lookup(ctx, argv[1]!);
  if (z === null) return WRONGTYPE;
  const s = z?.scores.get(argv[2]!);
  return s === undefined ? nullBulk(ctx.resp) : double(s, ctx.resp);
}

function zrem(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const z = lookup(ctx, key);
  if (z === undefined) return int(0);
  if (z === null) return WRONGTYPE;
  let n = 0;
  for (let i = 2; i < argv.length; i++) {
    if (!z.scores.has(argv[i]!)) continue;
    if (n === 0) ctx.ks.mutate(key, z);
    z.remove(argv[i]!);
    n++;
  }
  if (n > 0 && z.size === 0) ctx.ks.delete(key);
  return int(n);
}

function zcard(ctx: Ctx, argv: string[]): string {
  const z = lookup(ctx, argv[1]!);
  if (z === null) return WRONGTYPE;
  return int(z === undefined ? 0 : z.size);
}

function zrank(rev: boolean) {
  return (ctx: Ctx, argv: string[]): string => {
    const z = lookup(ctx, argv[1]!);
    if (z === null) return WRONGTYPE;
    if (z === undefined || !z.scores.has(argv[2]!)) return nullBulk(ctx.resp);
    const r = z.ordered().indexOf(argv[2]!);
    return int(rev ? z.size - 1 - r : r);
  };
}

const K1 = [1, 1, 1] as const;

export const zsetCommands: Command[] = [
  cmd('zadd', -4, ['write', 'fast'], K1, (ctx, argv) => zaddGeneric(ctx, argv, false)),
  cmd('zincrby', 4, ['write', 'fast'], K1, (ctx, argv) => zaddGeneric(ctx, argv, true)),
  cmd('zscore', 3, ['readonly', 'fast'], K1, zscore),
  cmd('zrem', -3, ['write', 'fast'], K1, zrem),
  cmd('zcard', 2, ['readonly', 'fast'], K1, zcard),
  cmd('zrank', 3, ['readonly', 'fast'], K1, zrank(false)),
  cmd('zrevrank', 3, ['readonly', 'fast'], K1, zrank(true)),
];
