import { Stream } from '../keyspace.js';
import { arrayHeader, bulk, EMPTY_ARRAY, int, nullArray, nullBulk, OK, simple, ONE, ZERO } from '../resp/encoder.js';
import { type Consumer, ConsumerGroup, ENTRIES_READ_INVALID, Nack } from '../stream/consumer-group.js';
import { formatId, MAX_ID } from '../stream/stream-id.js';
import { err } from './args.js';
import { cmd, type Command, type Ctx, rewrite, SYNTAX } from './command.js';
import { entryReply, idBulk, INVALID_ID, intervalId, longLong, mstime, streamAt, strictId } from './stream-args.js';
import { parseId } from '../stream/stream-id.js';

/** XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM (t_stream.c's consumer group commands). */

/** The command's own propagation is replaced by what it adds with rewrite() (preventCommandPropagation). */
export function noPropagation(ctx: Ctx): void {
  ctx.rewritten ??= [];
}

/** streamPropagateXCLAIM: the idempotent form replicas and the AOF replay. */
export function propagateClaim(ctx: Ctx, key: string, group: string, g: ConsumerGroup, idArg: string, n: Nack): void {
  rewrite(ctx, [
    'XCLAIM', key, group, n.consumer!.name, '0', idArg, 'TIME', String(n.deliveryTime), 'RETRYCOUNT', String(n.deliveryCount),
    'FORCE', 'JUSTID', 'LASTID', formatId(g.lastId),
  ]);
}

/** streamPropagateGroupID. */
export function propagateGroupId(ctx: Ctx, key: string, group: string, g: ConsumerGroup): void {
  rewrite(ctx, ['XGROUP', 'SETID', key, group, formatId(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
}

const XGROUP_HELP = [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
];

/** A container command's subcommand table check, as processCommand does it. */
export function subcommandCheck(argv: string[], name: string, arities: Record<string, number>): string | null {
  const sub = argv[1]!.toLowerCase();
  const arity = arities[sub];
  if (arity === undefined) return err(`unknown subcommand '${argv[1]!.slice(0, 128)}'. Try ${name.toUpperCase()} HELP.`);
  if ((arity > 0 && argv.length !== arity) || argv.length < -arity) return err(`wrong number of arguments for '${name}|${sub}' command`);
  return null;
}

function subSyntax(argv: string[]): string {
  return err(`unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`);
}

export function helpReply(lines: string[]): string {
  return arrayHeader(lines.length) + lines.map(simple).join('');
}

function xgroup(ctx: Ctx, argv: string[]): string {
  const bad = subcommandCheck(argv, 'xgroup', { create: -5, setid: -5, destroy: 4, createconsumer: 5, delconsumer: 5, help: 2 });
  if (bad !== null) return bad;
  const sub = argv[1]!.toLowerCase();
  if (sub === 'help') return helpReply(XGROUP_HELP);
  let mkstream = false;
  let entriesRead = ENTRIES_READ_INVALID;
  for (let i = 5; i < argv.length; ) {
    const o = argv[i]!.toLowerCase();
    if (sub === 'create' && o === 'mkstream') {
      mkstream = true;
      i++;
    } else if ((sub === 'create' || sub === 'setid') && o === 'entriesread' && i + 1 < argv.length) {
      const n = longLong(argv[i + 1]!);
      if (typeof n === 'string') return n;
      if (n < 0 && n !== ENTRIES_READ_INVALID) return err('value for ENTRIESREAD must be positive or -1');
      entriesRead = n;
      i += 2;
    } else return subSyntax(argv);
  }
  const key = argv[2]!;
  const name = argv[3]!;
  let s = streamAt(ctx, key);
  if (typeof s === 'string') return s;
  let g: ConsumerGroup | undefined;
  if (!mkstream) {
    if (s === undefined) {
      return err(
        'The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
    }
    g = s.groups?.get(name);
    if (g === undefined && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) {
      return `-NOGROUP No such consumer group '${name}' for key name '${key}'\r\n`;
    }
  }
  switch (sub) {
    case 'create': {
      if (argv.length > 8) return subSyntax(argv);
      let id: bigint;
      if (argv[4] === '$') id = s === undefined ? 0n : s.lastId;
      else {
        const p = strictId(argv[4]!);
        if (p === null) return INVALID_ID;
        id = p;
      }
      if (s === undefined) {
        s = new Stream();
        ctx.ks.set(key, s);
      }
      if (s.groups?.has(name)) return '-BUSYGROUP Consumer Group name already exists\r\n';
      ctx.ks.mutate(key, s);
      (s.groups ??= new Map()).set(name, new ConsumerGroup(id, entriesRead));
      return OK;
    }
    case 'setid': {
      if (argv.length !== 5 && argv.length !== 7) return subSyntax(argv);
      let id: bigint;
      if (argv[4] === '$') id = s!.lastId;
      else {
        const p = parseId(argv[4]!, 0n, false);
        if (p === null) return INVALID_ID;
        id = p.id;
      }
      ctx.ks.mutate(key, s!);
      g!.lastId = id;
      g!.entriesRead = entriesRead;
      return OK;
    }
    case 'destroy': {
      if (g === undefined) return ZERO;
      ctx.ks.mutate(key, s!);
      s!.groups!.delete(name);
      return ONE;
    }
    case 'createconsumer': {
      if (g!.consumers.has(argv[4]!)) return ZERO;
      ctx.ks.mutate(key, s!);
      g!.createConsumer(argv[4]!, mstime());
      return ONE;
    }
    default: {
      const c = g!.consumers.get(argv[4]!);
      if (c === undefined) return ZERO;
      const pending = c.pel.size;
      ctx.ks.mutate(key, s!);
      g!.deleteConsumer(c);
      return int(pending);
    }
  }
}

function xack(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const s = streamAt(ctx, key);
  if (typeof s === 'string') return s;
  const g = s?.groups?.get(argv[2]!);
  if (s === undefined || g === undefined) return ZERO;
  const ids: bigint[] = [];
  for (let j = 3; j < argv.length; j++) {
    const id = strictId(argv[j]!);
    if (id === null) return INVALID_ID;
    ids.push(id);
  }
  let acked = 0;
  for (const id of ids) {
    if (!g.pel.has(id)) continue;
    if (acked === 0) ctx.ks.mutate(key, s);
    g.ack(id);
    acked++;
  }
  if (acked > 1) ctx.ks.dirty += acked - 1;
  return int(acked);
}

function noGroup(key: string, group: string): string {
  return `-NOGROUP No such key '${key}' or consumer group '${group}'\r\n`;
}

function xpending(ctx: Ctx, argv: string[]): string {
  const argc = argv.length;
  if (argc !== 3 && (argc < 6 || argc > 9)) return SYNTAX;
  let start = 0n;
  let end = MAX_ID;
  let count = 0;
  let minIdle = 0;
  let consumerName: string | null = null;
  if (argc >= 6) {
    let i = 3;
    if (argv[3]!.toLowerCase() === 'idle') {
      const n = longLong(argv[4]!);
      if (typeof n === 'string') return n;
      minIdle = n;
      if (argc < 8) return SYNTAX;
      i += 2;
    }
    const c = longLong(argv[i + 2]!);
    if (typeof c === 'string') return c;
    count = c < 0 ? 0 : c;
    const a = intervalId(argv[i]!, 0n, true);
    if (typeof a === 'string') return a;
    const b = intervalId(argv[i + 1]!, (1n << 64n) - 1n, false);
    if (typeof b === 'string') return b;
    start = a;
    end = b;
    if (i + 3 < argc) consumerName = argv[i + 3]!;
  }
  const key = argv[1]!;
  const s = streamAt(ctx, key);
  if (typeof s === 'string') return s;
  const g = s?.groups?.get(argv[2]!);
  if (s === undefined || g === undefined) return noGroup(key, argv[2]!);
  if (argc === 3) {
    if (g.pel.size === 0) return '*4\r\n:0\r\n' + nullBulk(ctx.resp) + nullBulk(ctx.resp) + nullArray(ctx.resp);
    let out = '*4\r\n' + int(g.pel.size) + idBulk(g.pel.keys[0]!) + idBulk(g.pel.keys[g.pel.size - 1]!);
    let n = 0;
    let list = '';
    for (const c of g.sortedConsumers()) {
      if (c.pel.size === 0) continue;
      list += '*2\r\n' + bulk(c.name) + bulk(String(c.pel.size));
      n++;
    }
    return out + arrayHeader(n) + list;
  }
  let pel = g.pel;
  if (consumerName !== null) {
    const c = g.consumers.get(consumerName);
    if (c === undefined) return EMPTY_ARRAY;
    pel = c.pel;
  }
  const now = mstime();
  let out = '';
  let n = 0;
  for (let k = pel.seek(start); count > 0 && k < pel.size; k++) {
    const id = pel.keys[k]!;
    if (id > end) break;
    const nack = pel.get(id)!;
    if (minIdle && now - nack.deliveryTime < minIdle) continue;
    n++;
    count--;
    const elapsed = Math.max(0, now - nack.deliveryTime);
    out += '*4\r\n' + idBulk(id) + bulk(nack.consumer!.name) + int(elapsed) + int(nack.deliveryCount);
  }
  return arrayHeader(n) + out;
}

/** streamLookupConsumer (refreshing seen-time) or streamCreateConsumer. */
export function consumerFor(g: ConsumerGroup, name: string, now: number): Consumer {
  const c = g.consumers.get(name);
  if (c !== undefined) {
    c.seenTime = now;
    return c;
  }
  return g.createConsumer(name, now)!;
}

/** Moves a pending entry to consumer c (both PELs). */
function reassign(n: Nack, id: bigint, c: Consumer): void {
  if (n.consumer === c) return;
  n.consumer?.pel.delete(id);
  c.pel.set(id, n);
  n.consumer = c;
}

function xclaim(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const group = argv[2]!;
  const s = streamAt(ctx, key);
  if (typeof s === 'string') return s;
  const g = s?.groups?.get(group);
  if (s === undefined || g === undefined) return noGroup(key, group);
  const mi = longLong(argv[4]!, 'Invalid min-idle-time argument for XCLAIM');
  if (typeof mi === 'string') return mi;
  const minIdle = Math.max(0, mi);
  const ids: bigint[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const id = strictId(argv[j]!);
    if (id === null) break;
    ids.push(id);
  }
  const lastIdArg = j - 1;
  const now = mstime();
  let force = false;
  let justid = false;
  let deliveryTime = -1;
  let retryCount = -1;
  let lastId = 0n;
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const o = argv[j]!.toLowerCase();
    if (o === 'force') force = true;
    else if (o === 'justid') justid = true;
    else if (o === 'idle' && more) {
      const n = longLong(argv[++j]!, 'Invalid IDLE option argument for XCLAIM');
      if (typeof n === 'string') return n;
      deliveryTime = now - n;
    } else if (o === 'time' && more) {
      const n = longLong(argv[++j]!, 'Invalid TIME option argument for XCLAIM');
      if (typeof n === 'string') return n;
      deliveryTime = n;
    } else if (o === 'retrycount' && more) {
      const n = longLong(argv[++j]!, 'Invalid RETRYCOUNT option argument for XCLAIM');
      if (typeof n === 'string') return n;
      retryCount = n;
    } else if (o === 'lastid' && more) {
      const id = strictId(argv[++j]!);
      if (id === null) return INVALID_ID;
      lastId = id;
    } else return err(`Unrecognized XCLAIM option '${argv[j]!}'`);
  }
  noPropagation(ctx);
  const dirty = (): void => {
    ctx.ks.mutate(key, s);
  };
  let propagateLast = false;
  if (lastId > g.lastId) {
    dirty();
    g.lastId = lastId;
    propagateLast = true;
  }
  if (deliveryTime !== -1) {
    if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  } else deliveryTime = now;
  let consumer: Consumer | null = null;
  let out = '';
  let n = 0;
  for (let k = 5; k <= lastIdArg; k++) {
    const id = ids[k - 5]!;
    let nack = g.pel.get(id);
    if (s.find(id) < 0) {
      if (nack !== undefined) {
        dirty();
        propagateClaim(ctx, key, group, g, argv[k]!, nack);
        propagateLast = false;
        g.ack(id);
      }
      continue;
    }
    if (force && nack === undefined) {
      dirty();
      nack = new Nack(now, 1, null);
      g.pel.set(id, nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer !== null && minIdle && now - nack.deliveryTime < minIdle) continue;
    dirty();
    consumer ??= consumerFor(g, argv[3]!, now);
    nack.deliveryTime = deliveryTime;
    if (retryCount >= 0) nack.deliveryCount = retryCount;
    else if (!justid) nack.deliveryCount++;
    reassign(nack, id, consumer);
    out += justid ? idBulk(id) : entryReply(s, s.find(id));
    n++;
    propagateClaim(ctx, key, group, g, argv[k]!, nack);
    propagateLast = false;
  }
  if (propagateLast) propagateGroupId(ctx, key, group, g);
  return arrayHeader(n) + out;
}

function xautoclaim(ctx: Ctx, argv: string[]): string {
  const key = argv[1]!;
  const group = argv[2]!;
  const mi = longLong(argv[4]!, 'Invalid min-idle-time argument for XAUTOCLAIM');
  if (typeof mi === 'string') return mi;
  const minIdle = Math.max(0, mi);
  const start = intervalId(argv[5]!, 0n, true);
  if (typeof start === 'string') return start;
  let count = 100;
  let justid = false;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const o = argv[j]!.toLowerCase();
    if (o === 'count' && more) {
      const c = longLong(argv[j + 1]!, 'COUNT must be > 0');
      if (typeof c === 'string') return c;
      if (c < 1 || c > Math.floor(Number.MAX_SAFE_INTEGER / 16)) return err('COUNT must be > 0');
      count = c;
      j++;
    } else if (o === 'justid') justid = true;
    else return SYNTAX;
  }
  const s = streamAt(ctx, key);
  if (typeof s === 'string') return s;
  const g = s?.groups?.get(group);
  if (s === undefined || g === undefined) return noGroup(key, group);
  noPropagation(ctx);
  let attempts = count * 10;
  const now = mstime();
  let consumer: Consumer | null = null;
  let out = '';
  let n = 0;
  const deleted: bigint[] = [];
  let k = g.pel.seek(start);
  while (attempts-- > 0 && count > 0 && k < g.pel.size) {
    const id = g.pel.keys[k]!;
    const nack = g.pel.get(id)!;
    if (s.find(id) < 0) {
      ctx.ks.mutate(key, s);
      propagateClaim(ctx, key, group, g, formatId(id), nack);
      g.ack(id);
      deleted.push(id);
      count--;
      continue; // the next entry moved into position k
    }
    k++;
    if (minIdle && now - nack.deliveryTime < minIdle) continue;
    ctx.ks.mutate(key, s);
    consumer ??= consumerFor(g, argv[3]!, now);
    nack.deliveryTime = now;
    if (!justid) nack.deliveryCount++;
    reassign(nack, id, consumer);
    out += justid ? idBulk(id) : entryReply(s, s.find(id));
    n++;
    count--;
    propagateClaim(ctx, key, group, g, formatId(id), nack);
  }
  const next = k < g.pel.size ? g.pel.keys[k]! : 0n;
  return '*3\r\n' + idBulk(next) + arrayHeader(n) + out + arrayHeader(deleted.length) + deleted.map(idBulk).join('');
}

const K1 = [1, 1, 1] as const;

export const streamGroupCommands: Command[] = [
  cmd('xgroup', -2, ['write'], [2, 2, 1], xgroup),
  cmd('xack', -4, ['write', 'fast'], K1, xack),
  cmd('xpending', -3, ['readonly'], K1, xpending),
  cmd('xclaim', -6, ['write', 'fast'], K1, xclaim),
  cmd('xautoclaim', -6, ['write', 'fast'], K1, xautoclaim),
];
