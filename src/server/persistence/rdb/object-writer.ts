/**
 * rdbSaveObjectType + rdbSaveObject for one value, in the encoding redis-server 7.0 would
 * hold it in (encoding.ts, the same test as OBJECT ENCODING): small hashes and sorted sets as
 * listpacks (HASH_LISTPACK, ZSET_LISTPACK), small integer sets as intsets (SET_INTSET), every
 * list as a quicklist of listpack nodes (LIST_QUICKLIST_2), the rest plain (HASH, SET, ZSET_2,
 * a skiplist from the highest score down as Redis walks it), streams as STREAM_LISTPACKS_2.
 * Used by the RDB encoder (snapshots, AOF preambles) and by DUMP. The listpack, intset and
 * node-split scratch is reused from one value to the next.
 */
import { isCompact, LIMITS, listLayout } from '../../encoding.js';
import { List, Stream, type Value, type ZSet } from '../../keyspace.js';
import { formatDouble } from '../../resp/encoder.js';
import { ListpackBuilder } from '../../stream/listpack-encoding.js';
import {
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
} from './constants.js';
import { IntsetBuilder } from './intset.js';
import { writeQuicklist } from './quicklist.js';
import { writeStream } from './stream-rdb.js';
import type { RdbWriter } from './writer.js';

/** double2ll's range: integral scores within ±2^62 are listpack integers. */
const LL_HALF = 2 ** 62;
/** Scratch larger than this is dropped after use rather than kept for the next value. */
const SCRATCH_KEEP = 1 << 20;

export class ObjectWriter {
  private lp = new ListpackBuilder(4096);
  private readonly intset = new IntsetBuilder();
  private readonly ends: number[] = [];

  constructor(private readonly w: RdbWriter) {}

  /** rdbSaveObjectType's type byte for v, or -1 for an empty collection (never written). */
  type(v: Value): number {
    if (typeof v === 'string') return RDB_TYPE_STRING;
    if (v instanceof List) return v.items.length === 0 ? -1 : RDB_TYPE_LIST_QUICKLIST_2;
    // A stream may be empty (consumer groups on it, or everything deleted): Redis keeps those.
    if (v instanceof Stream) return RDB_TYPE_STREAM_LISTPACKS_2;
    if (v.size === 0) return -1;
    if (v instanceof Map) return isCompact(v) ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
    if (v instanceof Set) return isCompact(v) ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
    return isCompact(v) ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
  }

  /** rdbSaveObject: the value in the encoding `type` (from type()) names. */
  write(v: Value, type: number): void {
    const w = this.w;
    switch (type) {
      case RDB_TYPE_STRING:
        w.string(v as string);
        return;
      case RDB_TYPE_LIST_QUICKLIST_2: {
        const [fill, depth] = listLayout(v as List);
        writeQuicklist(w, (v as List).items, { fill, depth, threshold: LIMITS.listPackedThreshold }, this.lp, this.ends);
        break;
      }
      case RDB_TYPE_HASH_LISTPACK: {
        const lp = this.lp;
        lp.reset();
        // forEach: no [field, value] array per entry, as for-of over entries makes.
        (v as Map<string, string>).forEach((x, f) => {
          lp.str(f);
          lp.str(x);
        });
        w.stringBytes(lp.buffer, 0, lp.seal());
        break;
      }
      case RDB_TYPE_HASH:
        w.len((v as Map<string, string>).size);
        (v as Map<string, string>).forEach((x, f) => {
          w.string(f);
          w.string(x);
        });
        return;
      case RDB_TYPE_SET_INTSET: {
        const blob = this.intset.build(v as Set<string>);
        w.stringBytes(blob, 0, blob.length);
        return;
      }
      case RDB_TYPE_SET:
        w.len((v as Set<string>).size);
        for (const m of v as Set<string>) w.string(m);
        return;
      case RDB_TYPE_ZSET_LISTPACK:
        this.zsetListpack(v as ZSet);
        break;
      case RDB_TYPE_ZSET_2: {
        const z = v as ZSet;
        w.len(z.size);
        for (let n = z.last(); n !== null; n = n.prev) {
          w.string(n.member);
          w.binaryDouble(n.score);
        }
        return;
      }
      case RDB_TYPE_STREAM_LISTPACKS_2:
        writeStream(w, v as Stream);
        return;
      default:
        throw new Error(`ObjectWriter: no encoding ${type}`);
    }
    if (this.lp.bytes > SCRATCH_KEEP) this.lp = new ListpackBuilder(4096);
  }

  /** zzlInsertAt's layout: member, then the score as an integer (double2ll) or its %.17g text. */
  private zsetListpack(z: ZSet): void {
    const lp = this.lp;
    lp.reset();
    for (let n = z.first(); n !== null; n = n.next[0]!) {
      lp.str(n.member);
      const s = n.score;
      if (Number.isInteger(s) && s >= -LL_HALF && s <= LL_HALF) lp.int(Number.isSafeInteger(s) ? s : BigInt(s));
      else lp.text(formatDouble(s));
    }
    this.w.stringBytes(lp.buffer, 0, lp.seal());
  }
}
