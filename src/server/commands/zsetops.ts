import { ZSet } from '../zset.js';
import { int } from '../resp/encoder.js';
import { cmd, parseFloatStrict, parseInteger, type Command, type Ctx, WRONGTYPE, SYNTAX, NOT_INT } from './command.js';
import { err } from './args.js';
import { membersReply, storeNodes } from './zrange.js';

/**
 * ZUNION/ZINTER/ZDIFF, their STORE forms and ZINTERCARD (zunionInterDiffGenericCommand).
 * Inputs may be sorted sets or sets (members of a set score 1); missing keys are empty.
 */

type Op = 'union' | 'inter' | 'diff';
type Agg = 'sum' | 'min' | 'max';

interface Source {
  /** member → score, in the input's own iteration order */
  entries: Iterable<[string, number]>;
  has: (m: string) => number | undefined;
  size: number;
  weight: number;
}

function source(v: unknown): Source | null {
  if (v === undefined) return { entries: [], has: () => undefined, size: 0, weight: 1 };
  if (v instanceof ZSet) {
    return { entries: [...v.nodes()].map((n) => [n.member, n.score] as [string, number]), has: (m) => v.scores.get(m), size: v.size, weight: 1 };
  }
  if (v instanceof Set) {
    const s = v as Set<string>;
    return { entries: [...s].map((m) => [m, 1] as [string, number]), has: (m) => (s.has(m) ? 1 : undefined), size: s.size, weight: 1 };
  }
  return null;
}

/** zunionInterAggregate: inf + -inf is NaN, kept as 0 by convention. */
function aggregate(a: number, b: number, agg: Agg): number {
  if (agg === 'sum') {
    const s = a + b;
    return Number.isNaN(s) ? 0 : s;
  }
  return agg === 'min' ? (b < a ? b : a) : b > a ? b : a;
}

/** weight × score, with 0 × inf (NaN) kept as 0. */
function weighted(score: number, weight: number): number {
  const s = score * weight;
  return Number.isNaN(s) ? 0 : s;
}

/**
 * `at` is numkeys' index; `store` names the destination; `cardOnly` is ZINTERCARD. Replies
 * as Redis does, including its argument checks in its order (keys' types before options).
 */
function generic(ctx: Ctx, argv: string[], name: string, at: number, op: Op, store: string | null, cardOnly: boolean): string {
  const setnum = parseInteger(argv[at]!);
  if (setnum === null) return NOT_INT;
  if (setnum < 1) return err(`at least 1 input key is needed for '${name}' command`);
  if (setnum > argv.length - (at + 1)) return SYNTAX;
  const src: Source[] = [];
  let j = at + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const s = source(ctx.ks.get(argv[j]!));
    if (s === null) return WRONGTYPE;
    src.push(s);
  }
  let agg: Agg = 'sum';
  let withScores = false;
  let limit = 0;
  while (j < argv.length) {
    const o = argv[j]!.toLowerCase();
    const remaining = argv.length - j;
    if (op !== 'diff' && !cardOnly && remaining >= setnum + 1 && o === 'weights') {
      j++;
      for (let i = 0; i < setnum; i++, j++) {
        const w = parseFloatStrict(argv[j]!);
        if (w === null) return err('weight value is not a float');
        src[i]!.weight = w;
      }
    } else if (op !== 'diff' && !cardOnly && remaining >= 2 && o === 'aggregate') {
      const a = argv[j + 1]!.toLowerCase();
      if (a !== 'sum' && a !== 'min' && a !== 'max') return SYNTAX;
      agg = a;
      j += 2;
    } else if (remaining >= 1 && store === null && !cardOnly && o === 'withscores') {
      withScores = true;
      j++;
    } else if (cardOnly && remaining >= 2 && o === 'limit') {
      const l = parseInteger(argv[j + 1]!);
      if (l === null || l < 0) return err("LIMIT can't be negative");
      limit = l;
      j += 2;
    } else return SYNTAX;
  }
  // Smallest first, as Redis orders them (it only changes the order scores are summed in).
  if (op !== 'diff') src.sort((a, b) => a.size - b.size);
  const out = new ZSet();
  let card = 0;
  if (op === 'inter') {
    if (src[0]!.size > 0) {
      for (const [m, sc] of src[0]!.entries) {
        let score = weighted(sc, src[0]!.weight);
        let k = 1;
        for (; k < src.length; k++) {
          const v = src[k]!.has(m);
          if (v === undefined) break;
          score = aggregate(score, weighted(v, src[k]!.weight), agg);
        }
        if (k < src.length) continue;
        if (cardOnly) {
          card++;
          if (limit > 0 && card >= limit) break;
        } else out.add(m, score);
      }
    }
  } else if (op === 'union') {
    const acc = new Map<string, number>();
    for (const s of src) {
      for (const [m, sc] of s.entries) {
        const score = weighted(sc, s.weight);
        const cur = acc.get(m);
        acc.set(m, cur === undefined ? score : aggregate(cur, score, agg));
      }
    }
    for (const [m, sc] of acc) out.add(m, sc);
  } else {
    for (const [m, sc] of src[0]!.entries) {
      if (!src.some((s, k) => k > 0 && s.has(m) !== undefined)) out.add(m, sc);
    }
  }
  if (cardOnly) return int(card);
  if (store !== null) return storeNodes(ctx, store, out.nodes());
  return membersReply([...out.nodes()], withScores, ctx.resp);
}

export const zsetOpCommands: Command[] = [
  cmd('zunion', -3, ['readonly'], [0, 0, 0], (ctx, argv) => generic(ctx, argv, 'zunion', 1, 'union', null, false)),
  cmd('zinter', -3, ['readonly'], [0, 0, 0], (ctx, argv) => generic(ctx, argv, 'zinter', 1, 'inter', null, false)),
  cmd('zdiff', -3, ['readonly'], [0, 0, 0], (ctx, argv) => generic(ctx, argv, 'zdiff', 1, 'diff', null, false)),
  cmd('zintercard', -3, ['readonly'], [0, 0, 0], (ctx, argv) => generic(ctx, argv, 'zintercard', 1, 'inter', null, true)),
  cmd('zunionstore', -4, ['write'], [1, 1, 1], (ctx, argv) => generic(ctx, argv, 'zunionstore', 2, 'union', argv[1]!, false)),
  cmd('zinterstore', -4, ['write'], [1, 1, 1], (ctx, argv) => generic(ctx, argv, 'zinterstore', 2, 'inter', argv[1]!, false)),
  cmd('zdiffstore', -4, ['write'], [1, 1, 1], (ctx, argv) => generic(ctx, argv, 'zdiffstore', 2, 'diff', argv[1]!, false)),
];
