/**
 * The six workloads. Each is seeded (keys come from one Rng consumed in op order), writes
 * values that name their op (see values.ts), and knows how to read its keys back.
 */
import type { WorkloadKind } from '../../shared/types.js';
import type { Ledger } from './ledger.js';
import { ACKED } from './ledger.js';
import { deriveSeed, Rng } from '../../shared/prng.js';
import { countExisting, dbsize, mgetAll, readLists } from './read-back.js';
import type { RespConnection } from './resp-connection.js';
import { commandHead, type CommandWriter } from './resp-writer.js';
import { decodeInteger, MALFORMED, MISSING, ValueCodec } from './values.js';
import type { ReadBack, Workload, WorkloadParams } from './workload.js';

const SET = commandHead(3, 'SET');
const GET = commandHead(2, 'GET');
const INCR = commandHead(2, 'INCR');
const RPUSH = commandHead(3, 'RPUSH');
const MULTI = commandHead(1, 'MULTI');
const EXEC = commandHead(1, 'EXEC');
/** The keys a transaction writes, `<prefix><op>`; its counter is `xn:<k>`. */
const TX_KEYS = ['xa:', 'xb:', 'xc:'] as const;

export const keyName = {
  unique: (op: number): string => `u:${op}`,
  hot: (k: number): string => `k:${k}`,
  counter: (k: number): string => `c:${k}`,
  list: (k: number): string => `l:${k}`,
  preload: (i: number): string => `p:${i}`,
  /** the j-th key of transaction op */
  txKey: (op: number, j: number): string => `${TX_KEYS[j]}${op}`,
  txCounter: (k: number): string => `xn:${k}`,
};

/** The key stream of a generator (workload.ts `stream`): stream 0 is the seed's own. */
function keyRng(p: WorkloadParams): Rng {
  return new Rng(p.stream ? deriveSeed(p.seed, 0x6b657973, p.stream) : p.seed);
}

function sumAcked(ledger: Ledger, bytes: (op: number) => number): number {
  let total = 0;
  for (let i = 0; i < ledger.size; i++) if (ledger.state[i] === ACKED) total += bytes(i);
  return total;
}

/** dbsize minus the keys we know about: what nobody wrote. */
async function extraKeys(conn: RespConnection, p: WorkloadParams, present: number): Promise<{ extra: number; size: number }> {
  const size = await dbsize(conn);
  const preloaded = p.preload > 0 ? await countExisting(conn, p.preload, keyName.preload) : 0;
  return { extra: Math.max(0, size - preloaded - present), size };
}

function uniqueSet(p: WorkloadParams): Workload {
  const codec = new ValueCodec(p.seed, p.valueSize);
  return {
    kind: 'unique-set',
    ledgerOptions: {},
    readShare: 0,
    next(w: CommandWriter, ledger: Ledger, sendAt: number): number {
      const op = ledger.add(0, sendAt);
      w.raw(SET);
      w.argNum('u:', op);
      codec.write(w, op);
      return op;
    },
    logicalBytes: (ledger) => sumAcked(ledger, (op) => keyName.unique(op).length + codec.length(op)),
    async readBack(conn, ledger): Promise<ReadBack> {
      const found = new Int32Array(ledger.size).fill(MISSING);
      let present = 0;
      await mgetAll(conn, ledger.size, keyName.unique, (i, v) => {
        if (v === null) return;
        present++;
        found[i] = codec.decode(v);
      });
      const { extra, size } = await extraKeys(conn, p, present);
      return { kind: 'unique-set', found, extraKeys: extra, dbsize: size };
    },
  };
}

/** overwrite (all SETs) and mixed (half GETs) share keys, values and the read-back. */
function hotKeys(p: WorkloadParams, kind: 'overwrite' | 'mixed'): Workload {
  const codec = new ValueCodec(p.seed, p.valueSize);
  const rng = keyRng(p);
  const readShare = kind === 'mixed' ? 0.5 : 0;
  return {
    kind,
    ledgerOptions: { keys: true, reads: readShare > 0 },
    readShare,
    next(w: CommandWriter, ledger: Ledger, sendAt: number): number {
      if (readShare > 0 && rng.next() < readShare) {
        const k = rng.int(p.keys);
        w.raw(GET);
        w.argNum('k:', k);
        return ledger.reads!.add(k, sendAt);
      }
      const k = rng.int(p.keys);
      const op = ledger.add(k, sendAt);
      w.raw(SET);
      w.argNum('k:', k);
      codec.write(w, op);
      return op;
    },
    decodeRead: (v) => (v === null ? MISSING : codec.decode(v)),
    logicalBytes: (ledger) => sumAcked(ledger, (op) => keyName.hot(ledger.keyOf(op)).length + codec.length(op)),
    async readBack(conn): Promise<ReadBack> {
      const found = new Int32Array(p.keys).fill(MISSING);
      let present = 0;
      await mgetAll(conn, p.keys, keyName.hot, (i, v) => {
        if (v === null) return;
        present++;
        found[i] = codec.decode(v);
      });
      const { extra, size } = await extraKeys(conn, p, present);
      return { kind, found, extraKeys: extra, dbsize: size };
    },
  };
}

function counter(p: WorkloadParams): Workload {
  const rng = keyRng(p);
  return {
    kind: 'counter',
    ledgerOptions: { keys: true, replies: true },
    readShare: 0,
    next(w: CommandWriter, ledger: Ledger, sendAt: number): number {
      const k = rng.int(p.keys);
      const op = ledger.add(k, sendAt);
      w.raw(INCR);
      w.argNum('c:', k);
      return op;
    },
    logicalBytes: (ledger) => sumAcked(ledger, (op) => keyName.counter(ledger.keyOf(op)).length + 8),
    async readBack(conn): Promise<ReadBack> {
      const values = new Float64Array(p.keys).fill(MISSING);
      let present = 0;
      await mgetAll(conn, p.keys, keyName.counter, (i, v) => {
        if (v === null) return;
        present++;
        values[i] = decodeInteger(v);
      });
      const { extra, size } = await extraKeys(conn, p, present);
      return { kind: 'counter', values, extraKeys: extra, dbsize: size };
    },
  };
}

function listAppend(p: WorkloadParams): Workload {
  const rng = keyRng(p);
  return {
    kind: 'list-append',
    ledgerOptions: { keys: true, replies: true },
    readShare: 0,
    next(w: CommandWriter, ledger: Ledger, sendAt: number): number {
      const k = rng.int(p.keys);
      const op = ledger.add(k, sendAt);
      w.raw(RPUSH);
      w.argNum('l:', k);
      w.argNum('', op);
      return op;
    },
    logicalBytes: (ledger) => sumAcked(ledger, (op) => keyName.list(ledger.keyOf(op)).length + String(op).length),
    async readBack(conn): Promise<ReadBack> {
      const lists = await readLists(conn, p.keys, keyName.list, decodeInteger);
      let present = 0;
      for (const l of lists) if (l.length > 0) present++;
      const { extra, size } = await extraKeys(conn, p, present);
      return { kind: 'list-append', lists, extraKeys: extra, dbsize: size };
    },
  };
}

/**
 * transaction: each op is MULTI, SET of three keys named after the op (values naming it),
 * INCR of one of `keys` counters (seeded), EXEC: all of it or none must survive a crash.
 * The three keys tell a half-applied transaction apart; the counters check it across keys
 * (a counter must equal the number of whole transactions that chose it).
 */
function transaction(p: WorkloadParams): Workload {
  const codec = new ValueCodec(p.seed, p.valueSize);
  const rng = keyRng(p);
  const bytes = (op: number): number => {
    let n = keyName.txCounter(0).length + 8;
    for (let j = 0; j < TX_KEYS.length; j++) n += keyName.txKey(op, j).length + codec.length(op);
    return n;
  };
  return {
    kind: 'transaction',
    ledgerOptions: { keys: true, replies: true },
    readShare: 0,
    repliesPerOp: TX_KEYS.length + 3, // MULTI, each command, EXEC
    next(w: CommandWriter, ledger: Ledger, sendAt: number): number {
      const k = rng.int(p.keys);
      const op = ledger.add(k, sendAt);
      w.raw(MULTI);
      for (const prefix of TX_KEYS) {
        w.raw(SET);
        w.argNum(prefix, op);
        codec.write(w, op);
      }
      w.raw(INCR);
      w.argNum('xn:', k);
      w.raw(EXEC);
      return op;
    },
    logicalBytes: (ledger) => sumAcked(ledger, bytes),
    async readBack(conn, ledger): Promise<ReadBack> {
      const n = TX_KEYS.length;
      const found = new Int32Array(ledger.size * n).fill(MISSING);
      let present = 0;
      await mgetAll(conn, ledger.size * n, (i) => keyName.txKey(Math.floor(i / n), i % n), (i, v) => {
        if (v === null) return;
        present++;
        found[i] = codec.decode(v);
      });
      const counters = new Float64Array(p.keys).fill(MISSING);
      await mgetAll(conn, p.keys, keyName.txCounter, (k, v) => {
        if (v === null) return;
        present++;
        counters[k] = decodeInteger(v);
      });
      const { extra, size } = await extraKeys(conn, p, present);
      return { kind: 'transaction', found, counters, extraKeys: extra, dbsize: size };
    },
  };
}

export const generators = {
  'unique-set': uniqueSet,
  overwrite: (p) => hotKeys(p, 'overwrite'),
  counter,
  'list-append': listAppend,
  mixed: (p) => hotKeys(p, 'mixed'),
  transaction,
} satisfies Record<WorkloadKind, (p: WorkloadParams) => Workload>;

export function createWorkload(kind: WorkloadKind, p: WorkloadParams): Workload & { params: WorkloadParams } {
  return { ...generators[kind](p), params: p };
}

export { MALFORMED, MISSING };
