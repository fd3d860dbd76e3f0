import { ZSet, type ZNode } from '../zset.js';
import { bulk, double, int, EMPTY_ARRAY, type Proto } from '../resp/encoder.js';
import { cmd, parseInteger, type Command, type Ctx, WRONGTYPE, SYNTAX, NOT_INT } from './command.js';
import { noteGrowth } from '../encoding.js';
import { err, lookup } from './zsets.js';
import { lexRange, MIN_OR_MAX_FLOAT, MIN_OR_MAX_LEX, rankNodes, scoreRange, walk } from './zrange-spec.js';

/**
 * ZRANGE and its older forms (ZREVRANGE, Z[REV]RANGEBYSCORE, Z[REV]RANGEBYLEX) and
 * ZRANGESTORE: zrangeGenericCommand of t_zset.c.
 */

type By = 'rank' | 'score' | 'lex';

/** Members, with scores when asked: RESP2 flat, RESP3 [member, score] pairs, as Redis 7. */
export function membersReply(nodes: readonly ZNode[], withScores: boolean, resp: Proto): string {
  if (!withScores) {
    let out = '*' + nodes.length + '\r\n';
    for (const n of nodes) out += bulk(n.member);
    return out;
  }
  const r3 = resp === 3;
  let out = '*' + (r3 ? nodes.length : nodes.length * 2) + '\r\n';
  for (const n of nodes) out += (r3 ? '*2\r\n' : '') + bulk(n.member) + double(n.score, resp);
  return out;
}

/**
 * `at` is the source key's index; `store` is ZRANGESTORE (destination at argv[1]); `fixedBy`
 * and `fixedRev` are set by the older commands, whose options cannot change them.
 */
function zrangeGeneric(ctx: Ctx, argv: string[], at: number, store: boolean, fixedBy: By | null, fixedRev: boolean | null): string {
  let withScores = false;
  let rev = fixedRev;
  let by = fixedBy;
  let offset = 0;
  let limit = -1;
  for (let j = at + 3; j < argv.length; j++) {
    const o = argv[j]!.toLowerCase();
    if (!store && o === 'withscores') withScores = true;
    else if (o === 'limit' && argv.length - j - 1 >= 2) {
      const a = parseInteger(argv[j + 1]!);
      const b = parseInteger(argv[j + 2]!);
      if (a === null || b === null) return NOT_INT;
      offset = a;
      limit = b;
      j += 2;
    } else if (fixedRev === null && o === 'rev') rev = true;
    else if (fixedBy === null && o === 'bylex') by = 'lex';
    else if (fixedBy === null && o === 'byscore') by = 'score';
    else return SYNTAX;
  }
  rev ??= false;
  by ??= 'rank';
  if (limit !== -1 && by === 'rank') {
    return err('syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withScores && by === 'lex') return err('syntax error, WITHSCORES not supported in combination with BYLEX');
  // With REV, BYSCORE/BYLEX ranges are written max first.
  const [minArg, maxArg] = rev && by !== 'rank' ? [argv[at + 2]!, argv[at + 1]!] : [argv[at + 1]!, argv[at + 2]!];
  // Parse the range fully before the lookup: argument errors win over WRONGTYPE, as in Redis.
  let pick: (z: ZSet) => ZNode[];
  if (by === 'rank') {
    const start = parseInteger(minArg);
    const end = parseInteger(maxArg);
    if (start === null || end === null) return NOT_INT;
    pick = (z) => rankNodes(z, start, end, rev!);
  } else {
    const r = by === 'score' ? scoreRange(minArg, maxArg) : lexRange(minArg, maxArg);
    if (r === null) return by === 'score' ? MIN_OR_MAX_FLOAT : MIN_OR_MAX_LEX;
    pick = (z) => walk(z, r, rev!, offset, limit);
  }
  const z = lookup(ctx, argv[at]!);
  if (z === null) return WRONGTYPE;
  const nodes = z === undefined ? [] : pick(z);
  if (!store) return z === undefined ? EMPTY_ARRAY : membersReply(nodes, withScores, ctx.resp);
  return storeNodes(ctx, argv[1]!, nodes);
}

/** Stores nodes as a new sorted set at dst (deleting dst when there are none); replies the count. */
export function storeNodes(ctx: Ctx, dst: string, nodes: Iterable<{ member: string; score: number }>): string {
  const out = new ZSet();
  for (const n of nodes) out.add(n.member, n.score);
  if (out.size > 0) {
    ctx.ks.set(dst, out);
    noteGrowth(out);
  }
  else if (ctx.ks.get(dst) !== undefined) ctx.ks.delete(dst);
  return int(out.size);
}

const K1 = [1, 1, 1] as const;

export const zrangeCommands: Command[] = [
  cmd('zrange', -4, ['readonly'], K1, (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, null, null)),
  cmd('zrangestore', -5, ['write'], [1, 2, 1], (ctx, argv) => zrangeGeneric(ctx, argv, 2, true, null, null)),
  cmd('zrevrange', -4, ['readonly'], K1, (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, 'rank', true)),
  cmd('zrangebyscore', -4, ['readonly'], K1, (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, 'score', false)),
  cmd('zrevrangebyscore', -4, ['readonly'], K1, (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, 'score', true)),
  cmd('zrangebylex', -4, ['readonly'], K1, (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, 'lex', false)),
  cmd('zrevrangebylex', -4, ['readonly'], K1, (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, 'lex', true)),
];
