import { arrayHeader, bulk, nullArray } from '../resp/encoder.js';
import { type Consumer, type ConsumerGroup, Nack } from '../stream/consumer-group.js';
import { formatId, MAX_ID } from '../stream/stream-id.js';
import { advanceGroup } from '../stream/stream-ops.js';
import type { Stream } from '../stream/stream.js';
import { err } from './args.js';
import { cmd, type Command, type Ctx, rewrite, SYNTAX, WRONGTYPE } from './command.js';
import { consumerFor, noPropagation, propagateClaim, propagateGroupId } from './stream-groups.js';
import { entryReply, INVALID_ID, longLong, mstime, streamAt, strictId } from './stream-args.js';
import { Stream as StreamClass } from '../keyspace.js';

/**
 * XREAD and XREADGROUP, with BLOCK (t_stream.c xreadCommand, blocked.c's stream serving).
 * A blocked client waits in the shared blocking registry with its argv, `$` already resolved
 * to the last ID it saw; when a write names one of its keys, the registry runs the command
 * again for that key alone, and what it delivers is propagated as Redis does (XCLAIM per
 * entry, or XGROUP SETID / CREATECONSUMER under NOACK), never the XREADGROUP itself.
 */

/** Entries a blocked reader gets at most when it gave no COUNT (XREAD_BLOCKED_DEFAULT_COUNT). */
const BLOCKED_DEFAULT_COUNT = 1000;

interface GroupRead {
  key: string;
  name: string;
  g: ConsumerGroup;
  consumer: Consumer;
  noack: boolean;
}

/** streamReplyWithRange from `start` with a group: delivers, records the PEL, propagates. */
function deliver(ctx: Ctx, s: Stream, start: bigint, count: number, r: GroupRead | null): string {
  let out = '';
  let n = 0;
  let propagateLast = false;
  const now = mstime();
  s.range(start, MAX_ID, false, (slot) => {
    const id = s.slotId(slot);
    if (r !== null && advanceGroup(s, r.g, id) && r.noack) propagateLast = true;
    out += entryReply(s, slot);
    if (r !== null && !r.noack) {
      let nack = r.g.pel.get(id);
      if (nack === undefined) {
        nack = new Nack(now, 1, r.consumer);
        r.g.pel.set(id, nack);
      } else {
        nack.consumer?.pel.delete(id);
        nack.consumer = r.consumer;
        nack.deliveryTime = now;
        nack.deliveryCount = 1;
      }
      r.consumer.pel.set(id, nack);
      propagateClaim(ctx, r.key, r.name, r.g, formatId(id), nack);
    }
    return ++n !== count;
  });
  if (r !== null && propagateLast) propagateGroupId(ctx, r.key, r.name, r.g);
  return arrayHeader(n) + out;
}

/** streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries from `start`. */
function history(s: Stream, c: Consumer, start: bigint, count: number): string {
  let out = '';
  let n = 0;
  const now = mstime();
  for (let k = c.pel.seek(start); k < c.pel.size && (!count || n < count); k++) {
    const id = c.pel.keys[k]!;
    const slot = s.find(id);
    if (slot < 0) out += '*2\r\n' + bulk(formatId(id)) + '*-1\r\n';
    else {
      out += entryReply(s, slot);
      const nack = c.pel.get(id)!;
      nack.deliveryTime = now;
      nack.deliveryCount++;
    }
    n++;
  }
  return arrayHeader(n) + out;
}

function xread(ctx: Ctx, argv: string[]): string {
  const group = argv[0]!.length === 10;
  let timeout = -1;
  let count = 0;
  let streamsArg = 0;
  let nstreams = 0;
  let groupName: string | null = null;
  let consumerName = '';
  let noack = false;
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const o = argv[i]!.toLowerCase();
    if (o === 'block' && more) {
      const t = longLong(argv[++i]!, 'timeout is not an integer or out of range');
      if (typeof t === 'string') return t;
      if (t < 0) return err('timeout is negative');
      timeout = t > 0 ? t + Date.now() : 0;
    } else if (o === 'count' && more) {
      const c = longLong(argv[++i]!);
      if (typeof c === 'string') return c;
      count = Math.max(0, c);
    } else if (o === 'streams' && more) {
      streamsArg = i + 1;
      nstreams = argv.length - streamsArg;
      if (nstreams % 2 !== 0) {
        return err("Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
      }
      nstreams /= 2;
      break;
    } else if (o === 'group' && more >= 2) {
      if (!group) return err('The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
      groupName = argv[i + 1]!;
      consumerName = argv[i + 2]!;
      i += 2;
    } else if (o === 'noack') {
      if (!group) return err('The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
      noack = true;
    } else return SYNTAX;
  }
  if (streamsArg === 0) return SYNTAX;
  if (group && groupName === null) return err('Missing GROUP option for XREADGROUP');
  if (group) noPropagation(ctx);
  const b = ctx.blocking;
  const serving = b?.serving === true;
  const only = serving ? new Set(b!.candidates([])) : null;
  // Resolve the IDs (and groups) first: any error leaves everything untouched.
  const ids: bigint[] = [];
  const groups: ConsumerGroup[] = [];
  for (let i = 0; i < nstreams; i++) {
    const key = argv[streamsArg + i]!;
    const arg = argv[streamsArg + nstreams + i]!;
    const s = streamAt(ctx, key);
    if (s === WRONGTYPE) return s;
    const st = s as Stream | undefined;
    if (groupName !== null) {
      const g = st?.groups?.get(groupName);
      if (g === undefined) {
        if (serving) return '-NOGROUP the consumer group this client was blocked on no longer exists\r\n';
        return `-NOGROUP No such key '${key}' or consumer group '${groupName}' in XREADGROUP with GROUP option\r\n`;
      }
      groups.push(g);
    }
    if (arg === '$') {
      if (group) {
        return err(
          'The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
        );
      }
      ids.push(st === undefined ? 0n : st.lastId);
    } else if (arg === '>') {
      if (!group) return err('The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
      ids.push(MAX_ID);
    } else {
      const id = strictId(arg);
      if (id === null) return INVALID_ID;
      ids.push(id);
    }
  }
  if (serving && count === 0) count = BLOCKED_DEFAULT_COUNT;
  let out = '';
  let served = 0;
  const now = mstime();
  for (let i = 0; i < nstreams; i++) {
    const key = argv[streamsArg + i]!;
    if (only !== null && !only.has(key)) continue;
    const v = ctx.ks.get(key);
    if (!(v instanceof StreamClass)) continue;
    const s = v;
    let gt = ids[i]!;
    let fromHistory = false;
    let serve = false;
    if (groupName !== null) {
      if (gt !== MAX_ID) serve = fromHistory = true;
      else if (s.length && s.edgeId(false)! > groups[i]!.lastId) {
        serve = true;
        gt = groups[i]!.lastId;
      }
    } else if (s.length && s.edgeId(false)! > gt) serve = true;
    if (!serve) continue;
    served++;
    const start = gt === MAX_ID ? gt : gt + 1n;
    out += (ctx.resp === 2 ? '*2\r\n' : '') + bulk(key);
    if (groupName === null) {
      out += deliver(ctx, s, start, count, null);
      continue;
    }
    ctx.ks.mutate(key, s);
    const g = groups[i]!;
    let consumer = g.consumers.get(consumerName);
    if (consumer !== undefined) consumer.seenTime = now;
    else {
      consumer = consumerFor(g, consumerName, now);
      if (noack) rewrite(ctx, ['XGROUP', 'CREATECONSUMER', key, groupName, consumerName]);
    }
    out += fromHistory ? history(s, consumer, start, count) : deliver(ctx, s, start, count, { key, name: groupName, g, consumer, noack });
  }
  if (served > 0) return (ctx.resp === 2 ? '*' : '%') + served + '\r\n' + out;
  if (timeout !== -1 && b !== undefined) {
    if (ctx.client.denyBlocking) return nullArray(ctx.resp);
    // Wait with `$` resolved: new entries are those after the last ID seen now.
    const waitArgv = argv.slice();
    for (let i = 0; i < nstreams; i++) if (argv[streamsArg + nstreams + i] === '$') waitArgv[streamsArg + nstreams + i] = formatId(ids[i]!);
    const keys = argv.slice(streamsArg, streamsArg + nstreams);
    return b.block(ctx, waitArgv, keys, 'stream', timeout);
  }
  return nullArray(ctx.resp);
}

export const streamReadCommands: Command[] = [
  cmd('xread', -4, ['readonly'], [0, 0, 0], xread),
  cmd('xreadgroup', -7, ['write'], [0, 0, 0], xread),
];
