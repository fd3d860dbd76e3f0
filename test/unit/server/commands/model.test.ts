import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloneValue, List, type Value } from '../../../../src/server/keyspace.js';
import { harness, table, type Reply } from './harness.js';

/**
 * Model-based property test: random command sequences over a few keys must give the same
 * replies as a tiny in-memory model, leave the same data behind, and every change must be
 * announced through the keyspace (copy-on-write hook saw the old value; dirty moved).
 */
type MV = string | string[] | Map<string, string> | Set<string>;
type Model = Map<string, MV>;

const WRONG: Reply = { err: 'WRONGTYPE Operation against a key holding the wrong kind of value' };
const NOT_INT: Reply = { err: 'ERR value is not an integer or out of range' };
const isInt = (s: string): boolean => /^-?(0|[1-9][0-9]*)$/.test(s);

function norm(len: number, s: number, e: number): [number, number] | null {
  if (s < 0) s += len;
  if (e < 0) e += len;
  if (s < 0) s = 0;
  if (e >= len) e = len - 1;
  return s > e || s >= len ? null : [s, e];
}

/** Applies argv to the model and returns the expected decoded reply. */
function apply(m: Model, argv: string[]): Reply {
  const [name, key = '', ...rest] = argv as [string, string?, ...string[]];
  const v = m.get(key);
  const want = <T extends MV>(is: (x: MV) => boolean): T | undefined | null =>
    v === undefined ? undefined : is(v) ? (v as T) : null;
  const str = want<string>((x) => typeof x === 'string');
  const list = want<string[]>(Array.isArray);
  const hash = want<Map<string, string>>((x) => x instanceof Map);
  const set = want<Set<string>>((x) => x instanceof Set);
  const gone = (c: { length?: number; size?: number }): void => {
    if ((c.length ?? c.size) === 0) m.delete(key);
  };
  switch (name) {
    case 'SET': m.set(key, rest[0]!); return 'OK';
    case 'GET': return str === null ? WRONG : str ?? null;
    case 'STRLEN': return str === null ? WRONG : (str ?? '').length;
    case 'APPEND': {
      if (str === null) return WRONG;
      m.set(key, (str ?? '') + rest[0]);
      return ((str ?? '') + rest[0]).length;
    }
    case 'INCRBY': {
      if (str === null) return WRONG;
      if (str !== undefined && !isInt(str)) return NOT_INT;
      const n = Number(str ?? '0') + Number(rest[0]);
      m.set(key, String(n));
      return n;
    }
    case 'DEL': return m.delete(key) ? 1 : 0;
    case 'EXISTS': return v === undefined ? 0 : 1;
    case 'TYPE': return v === undefined ? 'none' : typeof v === 'string' ? 'string' : Array.isArray(v) ? 'list' : v instanceof Map ? 'hash' : 'set';
    case 'LPUSH': case 'RPUSH': {
      if (list === null) return WRONG;
      const l = list ?? [];
      for (const x of rest) name === 'LPUSH' ? l.unshift(x) : l.push(x);
      m.set(key, l);
      return l.length;
    }
    case 'LPOP': case 'RPOP': {
      if (list === undefined) return null;
      if (list === null) return WRONG;
      const take = (): string => (name === 'LPOP' ? list.shift()! : list.pop()!);
      if (rest.length === 0) { const x = take(); gone(list); return x; }
      const out: string[] = [];
      for (let i = Number(rest[0]); i > 0 && list.length > 0; i--) out.push(take());
      gone(list);
      return out;
    }
    case 'LLEN': return list === null ? WRONG : (list ?? []).length;
    case 'LRANGE': {
      if (list === null) return WRONG;
      const r = norm((list ?? []).length, Number(rest[0]), Number(rest[1]));
      return r === null ? [] : list!.slice(r[0], r[1] + 1);
    }
    case 'LINDEX': {
      if (list === undefined) return null;
      if (list === null) return WRONG;
      const i = Number(rest[0]);
      return list[i < 0 ? list.length + i : i] ?? null;
    }
    case 'LSET': {
      if (list === undefined) return { err: 'ERR no such key' };
      if (list === null) return WRONG;
      let i = Number(rest[0]);
      if (i < 0) i += list.length;
      if (i < 0 || i >= list.length) return { err: 'ERR index out of range' };
      list[i] = rest[1]!;
      return 'OK';
    }
    case 'LREM': {
      if (list === undefined) return 0;
      if (list === null) return WRONG;
      const c = Number(rest[0]);
      let left = c === 0 ? Infinity : Math.abs(c);
      let n = 0;
      const idx = list.map((_, i) => i);
      if (c < 0) idx.reverse();
      const drop = new Set<number>();
      for (const i of idx) if (left > 0 && list[i] === rest[1]) { drop.add(i); left--; n++; }
      const kept = list.filter((_, i) => !drop.has(i));
      m.set(key, kept);
      gone(kept);
      return n;
    }
    case 'LTRIM': {
      if (list === undefined) return 'OK';
      if (list === null) return WRONG;
      const r = norm(list.length, Number(rest[0]), Number(rest[1]));
      const kept = r === null ? [] : list.slice(r[0], r[1] + 1);
      m.set(key, kept);
      gone(kept);
      return 'OK';
    }
    case 'HSET': case 'HSETNX': {
      if (hash === null) return WRONG;
      const h = hash ?? new Map<string, string>();
      if (name === 'HSETNX' && h.has(rest[0]!)) return 0;
      const created = h.has(rest[0]!) ? 0 : 1;
      h.set(rest[0]!, rest[1]!);
      m.set(key, h);
      return created;
    }
    case 'HGET': return hash === null ? WRONG : hash?.get(rest[0]!) ?? null;
    case 'HEXISTS': return hash === null ? WRONG : hash?.has(rest[0]!) ? 1 : 0;
    case 'HLEN': return hash === null ? WRONG : hash?.size ?? 0;
    case 'HDEL': {
      if (hash === undefined) return 0;
      if (hash === null) return WRONG;
      const n = hash.delete(rest[0]!) ? 1 : 0;
      gone(hash);
      return n;
    }
    case 'HGETALL': return hash === null ? WRONG : [...(hash ?? [])].flat();
    case 'HKEYS': return hash === null ? WRONG : [...(hash?.keys() ?? [])];
    case 'HINCRBY': {
      if (hash === null) return WRONG;
      const h = hash ?? new Map<string, string>();
      const old = h.get(rest[0]!);
      if (old !== undefined && !isInt(old)) return { err: 'ERR hash value is not an integer' };
      const n = Number(old ?? '0') + Number(rest[1]);
      h.set(rest[0]!, String(n));
      m.set(key, h);
      return n;
    }
    case 'SADD': {
      if (set === null) return WRONG;
      const s = set ?? new Set<string>();
      const before = s.size;
      for (const x of rest) s.add(x);
      m.set(key, s);
      return s.size - before;
    }
    case 'SREM': {
      if (set === undefined) return 0;
      if (set === null) return WRONG;
      let n = 0;
      for (const x of rest) if (set.delete(x)) n++;
      gone(set);
      return n;
    }
    case 'SCARD': return set === null ? WRONG : set?.size ?? 0;
    case 'SISMEMBER': return set === null ? WRONG : set?.has(rest[0]!) ? 1 : 0;
    case 'SMEMBERS': return set === null ? WRONG : [...(set ?? [])].sort();
    case 'HSTRLEN': return hash === null ? WRONG : (hash?.get(rest[0]!) ?? '').length;
    case 'LINSERT': {
      if (list === undefined) return 0;
      if (list === null) return WRONG;
      const i = list.indexOf(rest[1]!);
      if (i < 0) return -1;
      list.splice(rest[0] === 'AFTER' ? i + 1 : i, 0, rest[2]!);
      return list.length;
    }
    case 'LMOVE': case 'RPOPLPUSH': {
      const [dst, from = 'RIGHT', to = 'LEFT'] = rest as [string, string?, string?];
      if (list === undefined) return null;
      const d = m.get(dst);
      if (list === null || (d !== undefined && !Array.isArray(d))) return WRONG;
      const x = from === 'LEFT' ? list.shift()! : list.pop()!;
      const dl = (m.get(dst) as string[] | undefined) ?? [];
      if (to === 'LEFT') dl.unshift(x);
      else dl.push(x);
      m.set(dst, dl);
      if (list.length === 0 && m.get(key) === list) m.delete(key);
      return x;
    }
    case 'SMOVE': {
      const [dst, x] = rest as [string, string];
      if (set === undefined) return 0;
      const d = m.get(dst);
      if (set === null || (d !== undefined && !(d instanceof Set))) return WRONG;
      if (d === set) return set.has(x) ? 1 : 0;
      if (!set.delete(x)) return 0;
      gone(set);
      m.set(dst, ((d as Set<string> | undefined) ?? new Set()).add(x));
      return 1;
    }
    case 'SINTERSTORE': case 'SUNIONSTORE': case 'SDIFFSTORE': {
      const ins = rest.map((k) => m.get(k));
      if (ins.some((x) => x !== undefined && !(x instanceof Set))) return WRONG;
      const ss = ins.map((x) => (x as Set<string> | undefined) ?? new Set<string>());
      let out: string[];
      if (name === 'SUNIONSTORE') out = [...new Set(ss.flatMap((x) => [...x]))];
      else if (name === 'SINTERSTORE') out = [...ss[0]!].filter((x) => ss.every((t) => t.has(x)));
      else out = [...ss[0]!].filter((x) => !ss.slice(1).some((t) => t.has(x)));
      if (out.length > 0) m.set(key, new Set(out));
      else m.delete(key);
      return out.length;
    }
    case 'COPY': {
      const dst = rest[0]!;
      if (dst === key) return { err: 'ERR source and destination objects are the same' };
      if (v === undefined) return 0;
      if (m.has(dst)) return 0;
      m.set(dst, cloneModel(new Map([['x', v]])).get('x')!);
      return 1;
    }
  }
  throw new Error('model lacks ' + name);
}

function toModel(v: Value): MV {
  if (typeof v === 'string') return v;
  if (v instanceof List) return v.items.slice();
  if (v instanceof Map) return new Map(v);
  if (v instanceof Set) return new Set(v);
  throw new Error('zset in string/list/hash/set test');
}

const cloneModel = (m: Model): Model => new Map([...m].map(([k, v]) => [k, typeof v === 'string' ? v : Array.isArray(v) ? v.slice() : v instanceof Map ? new Map(v) : new Set(v)]));

const NOOP_CLEAN = new Set(['DEL', 'LPOP', 'RPOP', 'LREM', 'LTRIM', 'HDEL', 'HSETNX', 'SADD', 'SREM']);

const key = fc.constantFrom('a', 'b', 'c');
const val = fc.constantFrom('x', 'y', '1', '-3', '', '10');
const field = fc.constantFrom('f', 'g', 'h');
const small = fc.integer({ min: -4, max: 4 });
const n = (a: fc.Arbitrary<number>): fc.Arbitrary<string> => a.map(String);
const c = (...parts: Array<fc.Arbitrary<string> | string>): fc.Arbitrary<string[]> =>
  fc.tuple(...parts.map((p) => (typeof p === 'string' ? fc.constant(p) : p)));

const command: fc.Arbitrary<string[]> = fc.oneof(
  c('SET', key, val), c('GET', key), c('STRLEN', key), c('APPEND', key, val), c('INCRBY', key, n(small)),
  c('DEL', key), c('EXISTS', key), c('TYPE', key),
  fc.tuple(fc.constantFrom('LPUSH', 'RPUSH'), key, fc.array(val, { minLength: 1, maxLength: 3 })).map(([a, k, vs]) => [a, k, ...vs]),
  c(fc.constantFrom('LPOP', 'RPOP'), key), c(fc.constantFrom('LPOP', 'RPOP'), key, n(fc.nat(3))),
  c('LLEN', key), c('LRANGE', key, n(small), n(small)), c('LINDEX', key, n(small)), c('LSET', key, n(small), val),
  c('LREM', key, n(small), val), c('LTRIM', key, n(small), n(small)),
  c(fc.constantFrom('HSET', 'HSETNX'), key, field, val), c('HGET', key, field), c('HEXISTS', key, field), c('HLEN', key),
  c('HDEL', key, field), c('HGETALL', key), c('HKEYS', key), c('HINCRBY', key, field, n(small)),
  fc.tuple(fc.constantFrom('SADD', 'SREM'), key, fc.array(val, { minLength: 1, maxLength: 3 })).map(([a, k, vs]) => [a, k, ...vs]),
  c('SCARD', key), c('SISMEMBER', key, val), c('SMEMBERS', key),
  c('HSTRLEN', key, field), c('LINSERT', key, fc.constantFrom('BEFORE', 'AFTER'), val, val),
  c('LMOVE', key, key, fc.constantFrom('LEFT', 'RIGHT'), fc.constantFrom('LEFT', 'RIGHT')), c('RPOPLPUSH', key, key),
  c('SMOVE', key, key, val), c(fc.constantFrom('SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'), key, key, key), c('COPY', key, key),
);

describe('data commands against a model', () => {
  it('replies, data and write announcements agree', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), fc.constantFrom(2 as const, 3 as const), (cmds, resp) => {
        const h = harness(resp);
        const model: Model = new Map();
        // What the copy-on-write hook saw: the value of each key before its first change.
        let seen = new Map<string, MV | undefined>();
        h.ks.beforeWrite = {
          preserve: (k) => {
            if (!seen.has(k)) {
              const cur = h.ks.data.get(k);
              seen.set(k, cur === undefined ? undefined : toModel(cloneValue(cur)));
            }
          },
        };
        for (const argv of cmds) {
          const before = cloneModel(model);
          seen = new Map();
          const dirty = h.ks.dirty;
          const want = apply(model, argv);
          let got = h.call(...argv);
          if (argv[0] === 'SMEMBERS' && Array.isArray(got)) got = [...(got as string[])].sort();
          const what = argv.join(' ');
          expect(got, what).toEqual(want);
          // Same data, and no empty collections left behind.
          expect(new Map([...h.ks.data].map(([k, v]) => [k, toModel(v)])), what).toEqual(model);
          let changed = false;
          for (const k of new Set([...before.keys(), ...model.keys()])) {
            if (JSON.stringify(toJson(before.get(k))) === JSON.stringify(toJson(model.get(k)))) continue;
            changed = true;
            expect(seen.has(k), `${what}: ${k} changed without the keyspace hook`).toBe(true);
            expect(toJson(seen.get(k)), `${what}: ${k} mutated before mutate()`).toEqual(toJson(before.get(k)));
          }
          if (changed) expect(h.ks.dirty, what).toBeGreaterThan(dirty);
          // These are only writes when they change something (Redis does not propagate them otherwise).
          else if (NOOP_CLEAN.has(argv[0]!)) expect(h.ks.dirty, what).toBe(dirty);
          if (!table.get(argv[0]!.toLowerCase())!.flags.includes('write')) expect(h.ks.dirty, what).toBe(dirty);
        }
      }),
      { numRuns: 400 },
    );
  });
});

function toJson(v: MV | undefined): unknown {
  if (v === undefined || typeof v === 'string' || Array.isArray(v)) return v ?? null;
  if (v instanceof Map) return { hash: [...v] };
  return { set: [...v].sort() };
}
