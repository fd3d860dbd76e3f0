/**
 * RDB objects (rdbLoadObject): one value of each RDB type, plain or compact (ziplist,
 * listpack, intset, zipmap, quicklist), turned into the keyspace's types. Duplicates and NaN
 * scores are rejected as Redis rejects them; empty collections come back as EMPTY.
 */
import { noteLoaded } from '../../encoding.js';
import { List, ZSet, type Value } from '../../keyspace.js';
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_NAMES,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_SET_LISTPACK,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
} from './constants.js';
import { intsetMembers } from './intset.js';
import { listpackEntries } from './listpack.js';
import { loadStream, STREAM_TYPES } from './stream-rdb.js';
import { RdbError } from './rdb-error.js';
import { parseScore, type RdbReader } from './reader.js';
import { ziplistEntries } from './ziplist.js';
import { zipmapEntries } from './zipmap.js';

/** What loadObject returns for an empty collection (Redis 7 drops such keys on load). */
export const EMPTY: unique symbol = Symbol('empty');

/** rdbLoadObject: the value of a key of the given type, or EMPTY for an empty collection. */
export function loadObject(r: RdbReader, type: number, key: string): Value | typeof EMPTY {
  switch (type) {
    case RDB_TYPE_STRING:
      return r.string('string value');
    case RDB_TYPE_LIST: {
      const n = r.count('list length');
      if (n === 0) return EMPTY;
      const items = new Array<string>(n);
      for (let i = 0; i < n; i++) items[i] = r.string('list element');
      return new List(items);
    }
    case RDB_TYPE_SET: {
      const n = r.count('set size');
      if (n === 0) return EMPTY;
      const set = new Set<string>();
      for (let i = 0; i < n; i++) set.add(r.string('set member'));
      if (set.size !== n) throw new RdbError(`set "${key}" has duplicate members`, r.pos);
      return loaded(set, false);
    }
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2: {
      const n = r.count('zset size');
      if (n === 0) return EMPTY;
      const z = new ZSet();
      for (let i = 0; i < n; i++) {
        const m = r.string('zset member');
        const s = type === RDB_TYPE_ZSET_2 ? r.binaryDouble('zset score') : r.textDouble('zset score');
        if (Number.isNaN(s)) throw new RdbError(`zset "${key}" has a NaN score`, r.pos);
        z.add(m, s);
      }
      if (z.scores.size !== n) throw new RdbError(`zset "${key}" has duplicate members`, r.pos);
      return loaded(z, false);
    }
    case RDB_TYPE_HASH: {
      const n = r.count('hash size');
      if (n === 0) return EMPTY;
      const h = new Map<string, string>();
      for (let i = 0; i < n; i++) {
        const f = r.string('hash field');
        h.set(f, r.string('hash value'));
      }
      if (h.size !== n) throw new RdbError(`hash "${key}" has duplicate fields`, r.pos);
      return loaded(h, false);
    }
    case RDB_TYPE_HASH_ZIPMAP:
      // Converted like a plain hash: Redis checks its entries' lengths too.
      return loaded(toHash(zipmapEntries(r.blob('zipmap')), key), false);
    case RDB_TYPE_LIST_ZIPLIST:
      return toList(ziplistEntries(r.blob('ziplist')));
    case RDB_TYPE_SET_INTSET:
      return loaded(toSet(intsetMembers(r.blob('intset')), key), true);
    case RDB_TYPE_SET_LISTPACK:
      // Redis 7.2's small sets of strings: judged as a set made now (7.0 has no such encoding).
      return loaded(toSet(listpackEntries(r.blob('listpack')), key), false);
    case RDB_TYPE_ZSET_ZIPLIST:
      return loaded(toZSet(ziplistEntries(r.blob('ziplist')), key), true);
    case RDB_TYPE_ZSET_LISTPACK:
      return loaded(toZSet(listpackEntries(r.blob('listpack')), key), true);
    case RDB_TYPE_HASH_ZIPLIST:
      return loaded(toHash(ziplistEntries(r.blob('ziplist')), key), true);
    case RDB_TYPE_HASH_LISTPACK:
      return loaded(toHash(listpackEntries(r.blob('listpack')), key), true);
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2: {
      const nodes = r.count('quicklist length');
      let items: string[] = [];
      for (let i = 0; i < nodes; i++) {
        if (type === RDB_TYPE_LIST_QUICKLIST) {
          items = concat(items, ziplistEntries(r.blob('quicklist ziplist')));
          continue;
        }
        const container = r.len('quicklist container');
        if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
          const b = r.blob('quicklist plain node');
          items.push(b.latin1Slice(0, b.length));
        } else if (container === QUICKLIST_NODE_CONTAINER_PACKED) {
          items = concat(items, listpackEntries(r.blob('quicklist listpack')));
        } else {
          throw new RdbError(`list "${key}": unknown quicklist container ${container}`, r.pos);
        }
      }
      return toList(items);
    }
    default: {
      if (STREAM_TYPES.has(type)) return loadStream(r, type, key);
      const name = RDB_TYPE_NAMES[type];
      throw new RdbError(
        name === undefined
          ? `unknown value type ${type} for key "${key}"`
          : `value type ${type} (${name}) of key "${key}" is not supported by durabench's loader`,
        r.pos,
      );
    }
  }
}

/** The encoding redis-server would give what it loaded (encoding.ts: noteLoaded). */
function loaded<V extends Value | typeof EMPTY>(v: V, packed: boolean): V {
  if (v !== EMPTY) noteLoaded(v as Value, packed);
  return v;
}

function concat(a: string[], b: string[]): string[] {
  if (a.length === 0) return b;
  for (let i = 0; i < b.length; i++) a.push(b[i]!);
  return a;
}

function toList(items: string[]): List | typeof EMPTY {
  return items.length === 0 ? EMPTY : new List(items);
}

function toSet(members: string[], key: string): Set<string> | typeof EMPTY {
  if (members.length === 0) return EMPTY;
  const s = new Set(members);
  if (s.size !== members.length) throw new RdbError(`set "${key}" has duplicate members`);
  return s;
}

function toHash(flat: string[], key: string): Map<string, string> | typeof EMPTY {
  if (flat.length % 2 !== 0) throw new RdbError(`hash "${key}" has a field without a value`);
  if (flat.length === 0) return EMPTY;
  const h = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) h.set(flat[i]!, flat[i + 1]!);
  if (h.size * 2 !== flat.length) throw new RdbError(`hash "${key}" has duplicate fields`);
  return h;
}

function toZSet(flat: string[], key: string): ZSet | typeof EMPTY {
  if (flat.length % 2 !== 0) throw new RdbError(`zset "${key}" has a member without a score`);
  if (flat.length === 0) return EMPTY;
  const z = new ZSet();
  for (let i = 0; i < flat.length; i += 2) z.add(flat[i]!, parseScore(flat[i + 1]!));
  if (z.scores.size * 2 !== flat.length) throw new RdbError(`zset "${key}" has duplicate members`);
  return z;
}
