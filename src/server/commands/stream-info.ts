import { arrayHeader, bulk, int, nullBulk } from '../resp/encoder.js';
import type { Proto } from '../resp/encoder.js';
import { ENTRIES_READ_INVALID, sortedNames } from '../stream/consumer-group.js';
import { MAX_ID } from '../stream/stream-id.js';
import { groupLag } from '../stream/stream-ops.js';
import type { Stream } from '../stream/stream.js';
import { cmd, type Command, type Ctx, NO_KEY } from './command.js';
import { helpReply, subcommandCheck } from './stream-groups.js';
import { entryReply, idBulk, longLong, mstime, streamAt } from './stream-args.js';

/**
 * XINFO STREAM [FULL [COUNT n]] / GROUPS / CONSUMERS / HELP (t_stream.c xinfoCommand).
 * radix-tree-keys is the node count, as redis-server's; radix-tree-nodes counts the radix
 * tree's inner nodes too, which this layout does not have: it reports the node count plus
 * one (the root), a documented difference.
 */

function mapHeader(n: number, resp: Proto): string {
  return resp === 3 ? '%' + n + '\r\n' : '*' + 2 * n + '\r\n';
}

const XINFO_HELP = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

function lagReply(s: Stream, read: number | null, resp: Proto): string {
  return read === null ? nullBulk(resp) : int(read);
}

function entriesReadReply(n: number, resp: Proto): string {
  return n === ENTRIES_READ_INVALID ? nullBulk(resp) : int(n);
}

function streamInfo(ctx: Ctx, argv: string[], s: Stream): string {
  const opts = argv.length - 3;
  let full = false;
  let count = 10;
  const syntax = `-ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try XINFO HELP.\r\n`;
  if (opts > 0) {
    if (opts !== 1 && opts !== 3) return syntax;
    if (argv[3]!.toLowerCase() !== 'full') return syntax;
    if (opts === 3) {
      if (argv[4]!.toLowerCase() !== 'count') return syntax;
      const c = longLong(argv[5]!);
      if (typeof c === 'string') return c;
      count = c < 0 ? 10 : c;
    }
    full = true;
  }
  const r = ctx.resp;
  let out = mapHeader(full ? 9 : 10, r);
  out += bulk('length') + int(s.length);
  out += bulk('radix-tree-keys') + int(s.nodeCount);
  out += bulk('radix-tree-nodes') + int(s.nodeCount + 1);
  out += bulk('last-generated-id') + idBulk(s.lastId);
  out += bulk('max-deleted-entry-id') + idBulk(s.maxDeletedId);
  out += bulk('entries-added') + int(s.entriesAdded);
  out += bulk('recorded-first-entry-id') + idBulk(s.firstId);
  if (!full) {
    out += bulk('groups') + int(s.groups?.size ?? 0);
    let first = '';
    let last = '';
    s.range(0n, MAX_ID, false, (slot) => ((first = entryReply(s, slot)), false));
    s.range(0n, MAX_ID, true, (slot) => ((last = entryReply(s, slot)), false));
    out += bulk('first-entry') + (first || nullBulk(r));
    out += bulk('last-entry') + (last || nullBulk(r));
    return out;
  }
  let entries = '';
  let n = 0;
  s.range(0n, MAX_ID, false, (slot) => {
    entries += entryReply(s, slot);
    return ++n !== count;
  });
  out += bulk('entries') + arrayHeader(n) + entries;
  out += bulk('groups');
  const groups = s.groups;
  if (groups === null) return out + arrayHeader(0);
  out += arrayHeader(groups.size);
  for (const name of sortedNames(groups)) {
    const g = groups.get(name)!;
    out += mapHeader(7, r) + bulk('name') + bulk(name) + bulk('last-delivered-id') + idBulk(g.lastId);
    out += bulk('entries-read') + entriesReadReply(g.entriesRead, r) + bulk('lag') + lagReply(s, groupLag(s, g), r);
    out += bulk('pel-count') + int(g.pel.size) + bulk('pending');
    let pel = '';
    let pn = 0;
    for (const id of g.pel.keys) {
      if (count && pn >= count) break;
      const nack = g.pel.get(id)!;
      pel += '*4\r\n' + idBulk(id) + bulk(nack.consumer!.name) + int(nack.deliveryTime) + int(nack.deliveryCount);
      pn++;
    }
    out += arrayHeader(pn) + pel + bulk('consumers') + arrayHeader(g.consumers.size);
    for (const c of g.sortedConsumers()) {
      out += mapHeader(4, r) + bulk('name') + bulk(c.name) + bulk('seen-time') + int(c.seenTime);
      out += bulk('pel-count') + int(c.pel.size) + bulk('pending');
      let cp = '';
      let cn = 0;
      for (const id of c.pel.keys) {
        if (count && cn >= count) break;
        const nack = c.pel.get(id)!;
        cp += '*3\r\n' + idBulk(id) + int(nack.deliveryTime) + int(nack.deliveryCount);
        cn++;
      }
      out += arrayHeader(cn) + cp;
    }
  }
  return out;
}

function xinfo(ctx: Ctx, argv: string[]): string {
  const bad = subcommandCheck(argv, 'xinfo', { stream: -3, groups: 3, consumers: 4, help: 2 });
  if (bad !== null) return bad;
  const sub = argv[1]!.toLowerCase();
  if (sub === 'help') return helpReply(XINFO_HELP);
  const key = argv[2]!;
  const s = streamAt(ctx, key);
  if (s === undefined) return NO_KEY;
  if (typeof s === 'string') return s;
  const r = ctx.resp;
  if (sub === 'consumers') {
    const g = s.groups?.get(argv[3]!);
    if (g === undefined) return `-NOGROUP No such consumer group '${argv[3]!}' for key name '${key}'\r\n`;
    const now = mstime();
    let out = arrayHeader(g.consumers.size);
    for (const c of g.sortedConsumers()) {
      out += mapHeader(3, r) + bulk('name') + bulk(c.name) + bulk('pending') + int(c.pel.size) + bulk('idle') + int(Math.max(0, now - c.seenTime));
    }
    return out;
  }
  if (sub === 'groups') {
    const groups = s.groups;
    if (groups === null) return arrayHeader(0);
    let out = arrayHeader(groups.size);
    for (const name of sortedNames(groups)) {
      const g = groups.get(name)!;
      out += mapHeader(6, r) + bulk('name') + bulk(name) + bulk('consumers') + int(g.consumers.size) + bulk('pending') + int(g.pel.size);
      out += bulk('last-delivered-id') + idBulk(g.lastId) + bulk('entries-read') + entriesReadReply(g.entriesRead, r);
      out += bulk('lag') + lagReply(s, groupLag(s, g), r);
    }
    return out;
  }
  return streamInfo(ctx, argv, s);
}

export const streamInfoCommands: Command[] = [cmd('xinfo', -2, ['readonly'], [2, 2, 1], xinfo)];
