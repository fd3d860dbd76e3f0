import { sortedNames } from '../../stream/consumer-group.js';
import { formatId } from '../../stream/stream-id.js';
import type { Stream } from '../../stream/stream.js';

/**
 * A stream as AOF commands, as aof.c's rewriteStreamObject writes it: one XADD per entry (an
 * empty stream is made by XADD … MAXLEN 0 0-1 x y), XSETID with the last ID, entries added and
 * max deleted ID, then per group XGROUP CREATE … ENTRIESREAD, an XCLAIM … FORCE JUSTID per
 * pending entry (with its delivery time and count) and XGROUP CREATECONSUMER for consumers
 * with nothing pending.
 */
export function* streamRewrite(key: string, s: Stream): Generator<string[]> {
  if (s.length > 0) {
    const out: string[][] = [];
    s.range(0n, (1n << 128n) - 1n, false, (slot) => {
      out.push(['XADD', key, s.slotIdString(slot), ...s.fields(slot)]);
      return true;
    });
    yield* out;
  } else yield ['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y'];
  yield ['XSETID', key, formatId(s.lastId), 'ENTRIESADDED', String(s.entriesAdded), 'MAXDELETEDID', formatId(s.maxDeletedId)];
  if (s.groups === null) return;
  for (const name of sortedNames(s.groups)) {
    const g = s.groups.get(name)!;
    yield ['XGROUP', 'CREATE', key, name, formatId(g.lastId), 'ENTRIESREAD', String(g.entriesRead)];
    for (const c of g.sortedConsumers()) {
      if (c.pel.size === 0) {
        yield ['XGROUP', 'CREATECONSUMER', key, name, c.name];
        continue;
      }
      for (const id of c.pel.keys) {
        const n = c.pel.get(id)!;
        yield ['XCLAIM', key, name, c.name, '0', formatId(id), 'TIME', String(n.deliveryTime), 'RETRYCOUNT', String(n.deliveryCount), 'JUSTID', 'FORCE'];
      }
    }
  }
}
