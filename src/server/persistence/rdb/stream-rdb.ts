/**
 * Streams in the RDB (rdbSaveObject / rdbLoadObject for OBJ_STREAM), as redis-server 7.0
 * writes RDB_TYPE_STREAM_LISTPACKS_2: the node count, then per node its master ID (16 bytes,
 * big-endian) and its listpack —
 *
 *   count | deleted | num-fields | field… | 0            (the master entry)
 *   flags | ms-diff | seq-diff | [num-fields | field…] value… | lp-count   (each entry)
 *
 * — then length, last ID, first ID, max deleted ID, entries added, and the consumer groups
 * with their PELs (16-byte IDs, delivery time, count) and consumers (name, seen time, the
 * IDs they own). The loader also takes the v1 (15) and Redis 7.2 v3 (21) layouts.
 */
import { ConsumerGroup, ENTRIES_READ_INVALID, Nack, sortedNames } from '../../stream/consumer-group.js';
import { ListpackBuilder } from '../../stream/listpack-encoding.js';
import { bytesId, idBytes, idMs, idSeq, makeId, U64_MAX } from '../../stream/stream-id.js';
import { estimateEntriesRead } from '../../stream/stream-ops.js';
import { FLAG_DELETED, FLAG_SAMEFIELDS, type NodeView, Stream } from '../../stream/stream.js';
import { RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2, RDB_TYPE_STREAM_LISTPACKS_3 } from './constants.js';
import { listpackEntries } from './listpack.js';
import { RdbError } from './rdb-error.js';
import type { RdbReader } from './reader.js';
import type { RdbWriter } from './writer.js';

/** The listpack redis-server would hold for one node. */
export function nodeListpack(s: Stream, node: NodeView): Buffer {
  const lp = new ListpackBuilder();
  const master = s.masterOf(node.start);
  const masterId = s.slotId(node.start);
  const mms = idMs(masterId);
  const mseq = idSeq(masterId);
  lp.int(node.live);
  lp.int(node.deleted);
  lp.int(master.length);
  for (const f of master) lp.str(f);
  lp.int(0);
  for (let slot = node.start; slot < node.end; slot++) {
    const flags = s.slotFlags(slot) & (FLAG_DELETED | FLAG_SAMEFIELDS);
    const id = s.slotId(slot);
    lp.int(flags);
    lp.int(BigInt.asIntN(64, idMs(id) - mms));
    lp.int(BigInt.asIntN(64, idSeq(id) - mseq));
    const fv = s.fields(slot);
    const n = fv.length >> 1;
    if (flags & FLAG_SAMEFIELDS) {
      for (let i = 1; i < fv.length; i += 2) lp.str(fv[i]!);
      lp.int(n + 3);
    } else {
      lp.int(n);
      for (const x of fv) lp.str(x);
      lp.int(2 * n + 4);
    }
  }
  return lp.finish();
}

/** rdbSaveObject for a stream (the type byte is the caller's). */
export function writeStream(w: RdbWriter, s: Stream): void {
  w.len(s.nodeCount);
  for (const node of s.nodes()) {
    const key = idBytes(s.slotId(node.start));
    w.stringBytes(key, 0, 16);
    const lp = nodeListpack(s, node);
    w.stringBytes(lp, 0, lp.length);
  }
  w.len(s.length);
  for (const id of [s.lastId, s.firstId, s.maxDeletedId]) {
    w.lenU64(idMs(id));
    w.lenU64(idSeq(id));
  }
  w.len(s.entriesAdded);
  const groups = s.groups;
  w.len(groups === null ? 0 : groups.size);
  if (groups === null) return;
  for (const name of sortedNames(groups)) {
    const g = groups.get(name)!;
    w.string(name);
    w.lenU64(idMs(g.lastId));
    w.lenU64(idSeq(g.lastId));
    w.lenU64(BigInt(g.entriesRead));
    w.len(g.pel.size);
    for (const id of g.pel.keys) {
      const n = g.pel.get(id)!;
      w.raw(idBytes(id));
      w.millis(n.deliveryTime);
      w.len(n.deliveryCount);
    }
    const consumers = g.sortedConsumers();
    w.len(consumers.length);
    for (const c of consumers) {
      w.string(c.name);
      w.millis(c.seenTime);
      w.len(c.pel.size);
      for (const id of c.pel.keys) w.raw(idBytes(id));
    }
  }
}

function bad(key: string, what: string, r: RdbReader): RdbError {
  return new RdbError(`stream "${key}": ${what}`, r.pos);
}

/** rdbLoadObject for the stream types (15, 19, 21). */
export function loadStream(r: RdbReader, type: number, key: string): Stream {
  const s = new Stream();
  const nodes = r.len('stream listpack count');
  let prev = -1n;
  let live = 0;
  for (let i = 0; i < nodes; i++) {
    const k = r.string('stream node key');
    if (k.length !== 16) throw bad(key, 'node key entry is not the size of a stream ID', r);
    const master = bytesId(Buffer.from(k, 'latin1'));
    const lp = r.blob('stream listpack');
    const size = lp.length;
    const e = listpackEntries(lp);
    if (e.length === 0) throw bad(key, 'empty listpack inside stream', r);
    const count = Number(e[0]);
    const deleted = Number(e[1]);
    const nm = Number(e[2]);
    if (!(count >= 0 && deleted >= 0 && nm >= 0) || e[3 + nm] !== '0') throw bad(key, 'corrupt master entry', r);
    const masterFields = e.slice(3, 3 + nm);
    const mms = idMs(master);
    const mseq = idSeq(master);
    let p = 4 + nm;
    for (let j = 0; j < count + deleted; j++) {
      if (p + 3 > e.length) throw bad(key, 'listpack ends inside an entry', r);
      const flags = Number(e[p]);
      const id = makeId(BigInt.asUintN(64, mms + BigInt(e[p + 1]!)), BigInt.asUintN(64, mseq + BigInt(e[p + 2]!)));
      p += 3;
      let own: string[] | null = null;
      let values: string[];
      if (flags & FLAG_SAMEFIELDS) {
        values = e.slice(p, p + nm);
        p += nm;
      } else {
        const nf = Number(e[p++]);
        own = new Array<string>(nf);
        values = new Array<string>(nf);
        for (let f = 0; f < nf; f++) {
          own[f] = e[p + 2 * f]!;
          values[f] = e[p + 2 * f + 1]!;
        }
        p += 2 * nf;
      }
      const lpCount = Number(e[p++]);
      if (lpCount !== values.length + 3 + (own === null ? 0 : own.length + 1) || values.some((v) => v === undefined)) {
        throw bad(key, 'corrupt entry in listpack', r);
      }
      if (id <= prev) throw bad(key, 'entry IDs are not in ascending order', r);
      prev = id;
      if (!(flags & FLAG_DELETED)) live++;
      s.loadEntry(id, flags, j === 0 ? masterFields : null, own, values);
    }
    if (p !== e.length) throw bad(key, 'listpack holds more than its counters say', r);
    s.loadedNode(size);
  }
  s.length = r.len('stream length');
  if (s.length !== live) throw bad(key, `length ${s.length} but ${live} live entries`, r);
  s.lastId = makeId(r.lenU64('stream last ID'), r.lenU64('stream last ID'));
  if (type === RDB_TYPE_STREAM_LISTPACKS) {
    s.maxDeletedId = 0n;
    s.entriesAdded = s.length;
    s.firstId = s.edgeId(true) ?? 0n;
  } else {
    s.firstId = makeId(r.lenU64('stream first ID'), r.lenU64('stream first ID'));
    s.maxDeletedId = makeId(r.lenU64('stream max deleted ID'), r.lenU64('stream max deleted ID'));
    s.entriesAdded = Number(r.lenU64('stream entries added'));
  }
  const ngroups = r.len('stream consumer group count');
  for (let i = 0; i < ngroups; i++) {
    const name = r.string('consumer group name');
    const lastId = makeId(r.lenU64('consumer group ID'), r.lenU64('consumer group ID'));
    const entriesRead =
      type === RDB_TYPE_STREAM_LISTPACKS ? estimateEntriesRead(s, lastId) : Number(BigInt.asIntN(64, r.lenU64('consumer group entries read')));
    s.groups ??= new Map();
    if (s.groups.has(name)) throw bad(key, `duplicated consumer group name ${name}`, r);
    const g = new ConsumerGroup(lastId, entriesRead < 0 ? ENTRIES_READ_INVALID : entriesRead);
    s.groups.set(name, g);
    const pel = r.len('stream PEL size');
    for (let j = 0; j < pel; j++) {
      const id = bytesId(r.raw(16, 'stream PEL ID'));
      const time = r.millis('stream PEL delivery time');
      const count = Number(r.lenU64('stream PEL delivery count') & U64_MAX);
      if (!g.pel.tryInsert(id, new Nack(time, count, null))) throw bad(key, 'duplicated global PEL entry', r);
    }
    const consumers = r.len('stream consumer count');
    for (let j = 0; j < consumers; j++) {
      const cname = r.string('consumer name');
      const seen = r.millis('consumer seen time');
      if (type === RDB_TYPE_STREAM_LISTPACKS_3) r.millis('consumer active time');
      const c = g.createConsumer(cname, seen);
      if (c === null) throw bad(key, 'duplicate stream consumer', r);
      const n = r.len('consumer PEL size');
      for (let q = 0; q < n; q++) {
        const id = bytesId(r.raw(16, 'consumer PEL ID'));
        const nack = g.pel.get(id);
        if (nack === undefined) throw bad(key, 'consumer entry not found in group global PEL', r);
        nack.consumer = c;
        if (!c.pel.tryInsert(id, nack)) throw bad(key, 'duplicated consumer PEL entry', r);
      }
    }
    for (const id of g.pel.keys) if (g.pel.get(id)!.consumer === null) throw bad(key, 'a pending entry has no consumer', r);
  }
  return s;
}

/** The stream types the loader reads. */
export const STREAM_TYPES: ReadonlySet<number> = new Set([RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2, RDB_TYPE_STREAM_LISTPACKS_3]);
