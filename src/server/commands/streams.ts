import { Stream } from '../keyspace.js';
import { bulk, EMPTY_ARRAY, int, nullArray, nullBulk, OK, ZERO } from '../resp/encoder.js';
import { formatId, idMs, idSeq, makeId, MAX_ID, parseId, U64_MAX } from '../stream/stream-id.js';
import { STREAM_LIMITS, type TrimArgs } from '../stream/stream.js';
import { err } from './args.js';
import { cmd, type Command, type Ctx, NO_KEY, rewrite, SYNTAX, wrongArgs } from './command.js';
import { entryReply, INVALID_ID, intervalId, longLong, streamAt, strictId } from './stream-args.js';

/** XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XSETID (t_stream.c). */

interface AddTrim {
  trim: TrimArgs | null;
  /** argv index of the MAXLEN count / MINID id (rewritten for propagation after `~`). */
  trimIdx: number;
  /** XADD: argv index of the ID ("*" included). */
  idPos: number;
  id: bigint | null;
  seqGiven: boolean;
  noMkStream: boolean;
}

/** The AOF loader obeys what it replays (Redis's mustObeyClient): no LIMIT checks. */
function obeys(ctx: Ctx): boolean {
  return ctx.client.id < 0;
}

/** streamParseAddOrTrimArgsOrReply. */
function parseAddTrim(ctx: Ctx, argv: string[], xadd: boolean): AddTrim | string {
  const a: AddTrim = { trim: null, trimIdx: 0, idPos: argv.length, id: null, seqGiven: true, noMkStream: false };
  let limit = 0;
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!;
    const o = opt.toLowerCase();
    if (xadd && opt === '*') break;
    if ((o === 'maxlen' || o === 'minid') && more) {
      if (a.trim !== null) return err('syntax error, MAXLEN and MINID options at the same time are not compatible');
      let approx = false;
      const next = argv[i + 1]!;
      if (more >= 2 && next === '~') {
        approx = true;
        i++;
      } else if (more >= 2 && next === '=') i++;
      const t: TrimArgs = { strategy: o === 'maxlen' ? 'maxlen' : 'minid', maxlen: 0, minid: 0n, approx, limit: 0 };
      if (o === 'maxlen') {
        const n = longLong(argv[i + 1]!);
        if (typeof n === 'string') return n;
        if (n < 0) return err('The MAXLEN argument must be >= 0.');
        t.maxlen = n;
      } else {
        const id = strictId(argv[i + 1]!);
        if (id === null) return INVALID_ID;
        t.minid = id;
      }
      i++;
      a.trim = t;
      a.trimIdx = i;
    } else if (o === 'limit' && more) {
      const n = longLong(argv[i + 1]!);
      if (typeof n === 'string') return n;
      if (n < 0) return err('The LIMIT argument must be >= 0.');
      limit = n;
      limitGiven = true;
      i++;
    } else if (xadd && o === 'nomkstream') {
      a.noMkStream = true;
    } else if (xadd) {
      const p = parseId(opt, 0n, true, true);
      if (p === null) return INVALID_ID;
      a.id = p.id;
      a.seqGiven = p.seqGiven;
      break;
    } else return SYNTAX;
  }
  a.idPos = i;
  if (limit && a.trim === null) return err('syntax error, LIMIT cannot be used without specifying a trimming strategy');
  if (!xadd && a.trim === null) return err('syntax error, XTRIM must be called with a trimming strategy');
  if (a.trim !== null) {
    if (obeys(ctx)) a.trim.limit = 0;
    else if (limitGiven) {
      if (!a.trim.approx) return err('syntax error, LIMIT cannot be used without the special ~ option');
      a.trim.limit = limit;
    } else if (a.trim.approx) {
      let l = 100 * STREAM_LIMITS.nodeMaxEntries;
      if (l <= 0) l = 10000;
      if (l > 1000000) l = 1000000;
      a.trim.limit = l;
    }
  }
  return a;
}

/** streamRewriteApproxSpecifier + streamRewriteTrimArgument: `~ n` becomes `= <result>`. */
function rewriteTrim(out: string[], s: Stream, a: AddTrim): void {
  out[a.trimIdx - 1] = '=';
  if (a.trim!.strategy === 'maxlen') out[a.trimIdx] = String(s.length);
  else out[a.trimIdx] = formatId(s.firstSlotId() ?? MAX_ID);
}

function xadd(ctx: Ctx, argv: string[]): string {
  const a = parseAddTrim(ctx, argv, true);
  if (typeof a === 'string') return a;
  const fieldPos = a.idPos + 1;
  if (argv.length - fieldPos < 2 || (argv.length - fieldPos) % 2 === 1) return wrongArgs('xadd');
  if (a.id === 0n && a.seqGiven) return err('The ID specified in XADD must be greater than 0-0');
  const key = argv[1]!;
  const found = streamAt(ctx, key);
  if (typeof found === 'string') return found;
  if (found === undefined && a.noMkStream) return nullBulk(ctx.resp);
  // Checked against the stream as it is: a refused XADD changes nothing (a new stream
  // cannot refuse: its last ID is 0-0 and 0-0 itself was refused above).
  const lastId = found?.lastId ?? 0n;
  if (lastId === MAX_ID) return err('The stream has exhausted the last possible ID, unable to add more items');
  let id: bigint;
  if (a.id !== null) {
    if (a.seqGiven) id = a.id;
    else if (idMs(lastId) === idMs(a.id)) {
      // streamAppendItem fails here without setting errno to EDOM.
      if (idSeq(lastId) === U64_MAX) return err('Elements are too large to be stored');
      id = lastId + 1n;
    } else id = a.id;
  } else {
    const now = BigInt(Date.now());
    id = now > idMs(lastId) ? makeId(now, 0n) : lastId + 1n;
  }
  if (id <= lastId) return err('The ID specified in XADD is equal or smaller than the target stream top item');
  let total = 0;
  for (let i = fieldPos; i < argv.length; i++) total += argv[i]!.length;
  if (total > 1 << 30) return err('Elements are too large to be stored');
  let s = found;
  if (s === undefined) {
    s = new Stream();
    ctx.ks.set(key, s);
  } else ctx.ks.mutate(key, s);
  s.append(id, argv, fieldPos);
  const idStr = formatId(id);
  let out: string[] | null = null;
  if (a.trim !== null) {
    s.trim(a.trim);
    if (a.trim.approx) rewriteTrim((out = argv.slice()), s, a);
  }
  if (a.id === null || !a.seqGiven) (out ??= argv.slice())[a.idPos] = idStr;
  if (out !== null) rewrite(ctx, out);
  return bulk(idStr);
}

function xrange(rev: boolean) {
  return (ctx: Ctx, argv: string[]): string => {
    const startArg = rev ? argv[3]! : argv[2]!;
    const endArg = rev ? argv[2]! : argv[3]!;
    const start = intervalId(startArg, 0n, true);
    if (typeof start === 'string') return start;
    const end = intervalId(endArg, U64_MAX, false);
    if (typeof end === 'string') return end;
    let count = -1;
    for (let j = 4; j < argv.length; j++) {
      if (argv[j]!.toLowerCase() === 'count' && argv.length - j - 1 >= 1) {
        const n = longLong(argv[++j]!);
        if (typeof n === 'string') return n;
        count = n < 0 ? 0 : n;
      } else return SYNTAX;
    }
    const s = streamAt(ctx, argv[1]!);
    if (s === undefined) return EMPTY_ARRAY;
    if (typeof s === 'string') return s;
    if (count === 0) return nullArray(ctx.resp);
    let out = '';
    let n = 0;
    s.range(start, end, rev, (slot) => {
      out += entryReply(s, slot);
      return ++n !== count;
    });
    return '*' + n + '\r\n' + out;
  };
}

function xlen(ctx: Ctx, argv: string[]): string {
  const s = streamAt(ctx, argv[1]!);
  if (s === undefined) return ZERO;
  if (typeof s === 'string') return s;
  return int(s.length);
}

function xdel(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const s = streamAt(ctx, key);
  if (s === undefined) return ZERO;
  if (typeof s === 'string') return s;
  const ids: bigint[] = [];
  for (let j = 2; j < argv.length; j++) {
    const id = strictId(argv[j]!);
    if (id === null) return INVALID_ID;
    ids.push(id);
  }
  let deleted = 0;
  let first = false;
  for (const id of ids) {
    if (s.find(id) < 0) continue;
    if (deleted === 0) ctx.ks.mutate(key, s);
    s.delete(id);
    if (id === s.firstId) first = true;
    if (id > s.maxDeletedId) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted) {
    if (s.length === 0) s.firstId = 0n;
    else if (first) s.firstId = s.edgeId(true)!;
    ctx.ks.dirty += deleted - 1;
  }
  return int(deleted);
}

function xtrim(ctx: Ctx, argv: string[]): string {
  const a = parseAddTrim(ctx, argv, false);
  if (typeof a === 'string') return a;
  const key = argv[1]!;
  const s = streamAt(ctx, key);
  if (s === undefined) return ZERO;
  if (typeof s === 'string') return s;
  // A running snapshot preserves the value before trimming touches it; dirty counts what went.
  ctx.ks.beforeWrite?.preserve(key);
  const deleted = s.trim(a.trim!);
  if (deleted) {
    if (a.trim!.approx) {
      const out = argv.slice();
      rewriteTrim(out, s, a);
      rewrite(ctx, out);
    }
    ctx.ks.dirty += deleted;
  }
  return int(deleted);
}

function xsetid(ctx: Ctx, argv: string[]): string {
  const id = strictId(argv[2]!);
  if (id === null) return INVALID_ID;
  let entriesAdded = -1;
  let maxDel = 0n;
  for (let i = 3; i < argv.length; i += 2) {
    const more = argv.length - 1 - i;
    const o = argv[i]!.toLowerCase();
    if (o === 'entriesadded' && more) {
      const n = longLong(argv[i + 1]!);
      if (typeof n === 'string') return n;
      if (n < 0) return err('entries_added must be positive');
      entriesAdded = n;
    } else if (o === 'maxdeletedid' && more) {
      const m = strictId(argv[i + 1]!);
      if (m === null) return INVALID_ID;
      if (id < m) return err('The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      maxDel = m;
    } else return SYNTAX;
  }
  const key = argv[1]!;
  const s = streamAt(ctx, key);
  if (s === undefined) return NO_KEY;
  if (typeof s === 'string') return s;
  if (s.length > 0) {
    if (id < s.edgeId(false)!) return err('The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1 && s.length > entriesAdded) {
      return err('The entries_added specified in XSETID is smaller than the target stream length');
    }
  }
  ctx.ks.mutate(key, s);
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (maxDel !== 0n) s.maxDeletedId = maxDel;
  return OK;
}

const K1 = [1, 1, 1] as const;

export const streamCommands: Command[] = [
  cmd('xadd', -5, ['write', 'fast'], K1, xadd),
  cmd('xrange', -4, ['readonly'], K1, xrange(false)),
  cmd('xrevrange', -4, ['readonly'], K1, xrange(true)),
  cmd('xlen', 2, ['readonly', 'fast'], K1, xlen),
  cmd('xdel', -3, ['write', 'fast'], K1, xdel),
  cmd('xtrim', -4, ['write'], K1, xtrim),
  cmd('xsetid', -3, ['write', 'fast'], K1, xsetid),
];
