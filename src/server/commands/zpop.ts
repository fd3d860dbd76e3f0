import { ZSet, type ZNode } from '../zset.js';
import { bulk, double, nullArray, EMPTY_ARRAY } from '../resp/encoder.js';
import { cmd, rewrite, type Command, type Ctx, WRONGTYPE, SYNTAX } from './command.js';
import { blockTimeout, positiveLong, rangeLong } from './args.js';
import { lookup } from './zsets.js';

/** ZPOPMIN/ZPOPMAX, ZMPOP and the blocking BZPOPMIN/BZPOPMAX/BZMPOP (t_zset.c genericZpopCommand). */

interface PopShape {
  /** Emit the key first (BZPOP*, [B]ZMPOP). */
  emitKey: boolean;
  /** [member, score] pairs as nested arrays (ZMPOP always, ZPOP* with COUNT in RESP3). */
  nested: boolean;
}

/** Pops up to `count` (-1 = one, plain) from the first existing key; null when none exists. */
function popFrom(ctx: Ctx, keys: readonly string[], max: boolean, count: number, shape: PopShape): string | null {
  let key = '';
  let z: ZSet | undefined;
  for (const k of keys) {
    const v = lookup(ctx, k);
    if (v === undefined) continue;
    if (v === null) return WRONGTYPE;
    key = k;
    z = v;
    break;
  }
  if (z === undefined) return null;
  if (count === 0) return EMPTY_ARRAY;
  const n = Math.min(count === -1 ? 1 : count, z.size);
  const popped: ZNode[] = [];
  for (let node = max ? z.last() : z.first(); popped.length < n && node !== null; node = max ? node.prev : node.next[0]!) popped.push(node);
  if (n === z.size) ctx.ks.delete(key);
  else {
    ctx.ks.mutate(key, z);
    for (const p of popped) z.remove(p.member);
  }
  let out: string;
  if (!shape.nested && !shape.emitKey) out = '*' + n * 2 + '\r\n';
  else if (shape.nested && !shape.emitKey) out = '*' + n + '\r\n';
  else if (!shape.nested) out = '*' + (n * 2 + 1) + '\r\n' + bulk(key);
  else out = '*2\r\n' + bulk(key) + '*' + n + '\r\n';
  for (const p of popped) out += (shape.nested ? '*2\r\n' : '') + bulk(p.member) + double(p.score, ctx.resp);
  // Propagated as ZPOPMIN/ZPOPMAX key [count actually popped] (ZPOP* itself propagates as sent).
  if (shape.emitKey) rewrite(ctx, count === -1 ? [max ? 'ZPOPMAX' : 'ZPOPMIN', key] : [max ? 'ZPOPMAX' : 'ZPOPMIN', key, String(n)]);
  return out;
}

function zpop(max: boolean) {
  return (ctx: Ctx, argv: string[]): string => {
    if (argv.length > 3) return SYNTAX;
    let count = -1;
    if (argv.length === 3) {
      const c = positiveLong(argv[2]!);
      if (typeof c === 'string') return c;
      count = c;
    }
    const r = popFrom(ctx, [argv[1]!], max, count, { emitKey: false, nested: ctx.resp === 3 && count !== -1 });
    return r ?? EMPTY_ARRAY;
  };
}

/** numkeys key... MIN|MAX [COUNT n] from argv[at]: [keys, max, count] or the error reply. */
function parseMpop(argv: string[], at: number): [string[], boolean, number] | string {
  const numkeys = rangeLong(argv[at]!, 1, Number.MAX_SAFE_INTEGER, 'numkeys should be greater than 0');
  if (typeof numkeys === 'string') return numkeys;
  const whereAt = at + numkeys + 1;
  if (whereAt >= argv.length) return SYNTAX;
  const where = argv[whereAt]!.toLowerCase();
  if (where !== 'min' && where !== 'max') return SYNTAX;
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && argv[j]!.toLowerCase() === 'count' && j + 1 < argv.length) {
      const c = rangeLong(argv[++j]!, 1, Number.MAX_SAFE_INTEGER, 'count should be greater than 0');
      if (typeof c === 'string') return c;
      count = c;
    } else return SYNTAX;
  }
  return [argv.slice(at + 1, whereAt), where === 'max', count === -1 ? 1 : count];
}

const MPOP: PopShape = { emitKey: true, nested: true };

function zmpop(ctx: Ctx, argv: string[]): string {
  const p = parseMpop(argv, 1);
  if (typeof p === 'string') return p;
  return popFrom(ctx, p[0], p[1], p[2], MPOP) ?? nullArray(ctx.resp);
}

/** BZPOPMIN/BZPOPMAX key... timeout: [key, member, score], or block. */
function bzpop(max: boolean) {
  return (ctx: Ctx, argv: string[]): string => {
    const deadline = blockTimeout(argv[argv.length - 1]!);
    if (typeof deadline === 'string') return deadline;
    const keys = argv.slice(1, -1);
    const r = popFrom(ctx, ctx.blocking?.candidates(keys) ?? keys, max, -1, { emitKey: true, nested: false });
    if (r !== null) return r;
    return block(ctx, argv, keys, deadline);
  };
}

function bzmpop(ctx: Ctx, argv: string[]): string {
  const p = parseMpop(argv, 2);
  if (typeof p === 'string') return p;
  const deadline = blockTimeout(argv[1]!);
  if (typeof deadline === 'string') return deadline;
  const r = popFrom(ctx, ctx.blocking?.candidates(p[0]) ?? p[0], p[1], p[2], MPOP);
  if (r !== null) return r;
  return block(ctx, argv, p[0], deadline);
}

function block(ctx: Ctx, argv: string[], keys: string[], deadline: number): string {
  if (ctx.client.denyBlocking || ctx.blocking === undefined) return nullArray(ctx.resp);
  return ctx.blocking.block(ctx, argv, keys, 'zset', deadline);
}

const K1 = [1, 1, 1] as const;

export const zpopCommands: Command[] = [
  cmd('zpopmin', -2, ['write', 'fast'], K1, zpop(false)),
  cmd('zpopmax', -2, ['write', 'fast'], K1, zpop(true)),
  cmd('zmpop', -4, ['write'], [0, 0, 0], zmpop),
  cmd('bzpopmin', -3, ['write', 'fast'], [1, -2, 1], bzpop(false)),
  cmd('bzpopmax', -3, ['write', 'fast'], [1, -2, 1], bzpop(true)),
  cmd('bzmpop', -5, ['write'], [0, 0, 0], bzmpop),
];
