/**
 * redis-server's option names, types, defaults and validation. Used for the command line
 * (`--port 7000 --save "60 1000"`), an optional redis.conf-style file, and CONFIG GET/SET.
 * A bad name or value is a ConfigValueError whose message reads like Redis's.
 */
export class ConfigValueError extends Error {
  override name = 'ConfigValueError';
}

type Kind =
  | { t: 'int'; min: bigint; max: bigint }
  | { t: 'mem'; max?: bigint }
  | { t: 'bool' }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'string'; check?: (v: string) => string | null }
  | { t: 'save' };

interface Def {
  kind: Kind;
  default: string;
  /** false: only at startup (CONFIG SET refuses it) */
  mutable: boolean;
  /** The old name Redis still takes for it (hash-max-ziplist-entries...). */
  alias?: string;
}

const INT_MAX = 2n ** 31n - 1n;
const LONG_MAX = 2n ** 63n - 1n;
const int = (min: number | bigint, max: number | bigint): Kind => ({ t: 'int', min: BigInt(min), max: BigInt(max) });
const bool: Kind = { t: 'bool' };
const mem: Kind = { t: 'mem' };
/** A size_t memory option (Redis checks it against LONG_MAX). */
const size: Kind = { t: 'mem', max: LONG_MAX };
const str: Kind = { t: 'string' };
const oneOf = (...values: string[]): Kind => ({ t: 'enum', values });
const noSlash = (what: string): Kind => ({
  t: 'string',
  check: (v) => (v.includes('/') ? `${what} can't be a path, just a filename` : v === '' ? `${what} can't be empty` : null),
});

export const DEFS: Record<string, Def> = {
  port: { kind: int(0, 65535), default: '6379', mutable: false },
  bind: { kind: str, default: '127.0.0.1', mutable: false },
  requirepass: { kind: str, default: '', mutable: true },
  dir: { kind: str, default: '.', mutable: false },
  dbfilename: { kind: noSlash('dbfilename'), default: 'dump.rdb', mutable: true },
  save: { kind: { t: 'save' }, default: '3600 1 300 100 60 10000', mutable: true },
  appendonly: { kind: bool, default: 'no', mutable: true },
  appendfsync: { kind: oneOf('always', 'everysec', 'no'), default: 'everysec', mutable: true },
  appendfilename: { kind: noSlash('appendfilename'), default: 'appendonly.aof', mutable: false },
  appenddirname: { kind: noSlash('appenddirname'), default: 'appendonlydir', mutable: false },
  'aof-use-rdb-preamble': { kind: bool, default: 'yes', mutable: true },
  'aof-load-truncated': { kind: bool, default: 'yes', mutable: true },
  'auto-aof-rewrite-percentage': { kind: int(0, 2 ** 31 - 1), default: '100', mutable: true },
  'auto-aof-rewrite-min-size': { kind: mem, default: '64mb', mutable: true },
  'stop-writes-on-bgsave-error': { kind: bool, default: 'yes', mutable: true },
  rdbcompression: { kind: bool, default: 'yes', mutable: true },
  rdbchecksum: { kind: bool, default: 'yes', mutable: false },
  maxclients: { kind: int(1, 1_000_000), default: '10000', mutable: true },
  'proto-max-bulk-len': { kind: mem, default: '512mb', mutable: true },
  'client-query-buffer-limit': { kind: mem, default: '1gb', mutable: true },
  // Redis lets a normal client's output grow without limit by default; we cap it.
  'client-output-buffer-limit': { kind: str, default: 'normal 64mb 0 0', mutable: true },
  loglevel: { kind: oneOf('debug', 'verbose', 'notice', 'warning', 'nothing'), default: 'notice', mutable: true },
  logfile: { kind: str, default: '', mutable: false },
  daemonize: { kind: oneOf('no'), default: 'no', mutable: false },
  timeout: { kind: int(0, 2 ** 31 - 1), default: '0', mutable: true },
  hz: { kind: int(1, 500), default: '10', mutable: true },
  databases: { kind: int(1, 1_000_000), default: '16', mutable: false },
  maxmemory: { kind: mem, default: '0', mutable: true },
  'protected-mode': { kind: bool, default: 'yes', mutable: true },
  'tcp-backlog': { kind: int(0, 65535), default: '511', mutable: false },
  'latency-tracking': { kind: bool, default: 'yes', mutable: true },
  // When a stream starts a new listpack node (approximate trimming works by whole nodes).
  'stream-node-max-bytes': { kind: size, default: '4096', mutable: true },
  'stream-node-max-entries': { kind: int(0, LONG_MAX), default: '100', mutable: true },
  // The compact encodings (encoding.ts): small collections stay listpacks / intsets up to
  // these sizes. Redis 7.0's built-in defaults (its sample redis.conf says 128 for hashes).
  'hash-max-listpack-entries': { kind: int(0, LONG_MAX), default: '512', mutable: true, alias: 'hash-max-ziplist-entries' },
  'hash-max-listpack-value': { kind: size, default: '64', mutable: true, alias: 'hash-max-ziplist-value' },
  'zset-max-listpack-entries': { kind: int(0, LONG_MAX), default: '128', mutable: true, alias: 'zset-max-ziplist-entries' },
  'zset-max-listpack-value': { kind: size, default: '64', mutable: true, alias: 'zset-max-ziplist-value' },
  'set-max-intset-entries': { kind: int(0, LONG_MAX), default: '512', mutable: true },
  // A list's quicklist nodes: negative = bytes per node (-1 4 KB ... -5 64 KB), positive = entries.
  'list-max-listpack-size': { kind: int(-(2n ** 31n), INT_MAX), default: '-2', mutable: true, alias: 'list-max-ziplist-size' },
  // Nodes kept uncompressed at each end of a list; the ones between are LZF-compressed (0 = none).
  'list-compress-depth': { kind: int(0, INT_MAX), default: '0', mutable: true },
  // durabench's own: how BGSAVE serializes (copy-on-write chunks, or all at once like a fork
  // that copies everything) — so tables can show what copy-on-write buys.
  'snapshot-strategy': { kind: oneOf('cow', 'blocking'), default: 'cow', mutable: true },
  // durabench's own: where a copy-on-write RDB save encodes (LZF, CRC-64): on a thread of its
  // own, as redis-server's forked child does, or between clients on the main thread; `auto`
  // takes the thread wherever there is a second core (rdb-encoder-choice.ts says why).
  'snapshot-encoder': { kind: oneOf('auto', 'thread', 'main'), default: 'auto', mutable: true },
  // durabench's own: run the snapshot path once on scratch data while idle after a start, so
  // the first save under load does not run it cold (persistence/snapshot-warm-up.ts).
  'snapshot-warm-up': { kind: bool, default: 'yes', mutable: true },
};

export type ConfigName = keyof typeof DEFS;

/** Old name → option (Redis 7.0 takes both everywhere and lists both in CONFIG GET *). */
export const ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(DEFS).flatMap(([name, d]) => (d.alias === undefined ? [] : [[d.alias, name]])),
);

/** The option a name or alias stands for, or undefined. */
export function canonicalName(name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(DEFS, name)) return name;
  return Object.prototype.hasOwnProperty.call(ALIASES, name) ? ALIASES[name] : undefined;
}

export function isConfigName(name: string): boolean {
  return canonicalName(name) !== undefined;
}

const UNITS: Record<string, bigint> = { b: 1n, k: 1000n, kb: 1024n, m: 1000n ** 2n, mb: 1024n ** 2n, g: 1000n ** 3n, gb: 1024n ** 3n };

/** memtoull exactly: digits and an optional unit (1k=1000, 1kb=1024, m/mb, g/gb). */
function memoryAmount(v: string): bigint | null {
  const m = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(v.trim());
  return m ? BigInt(m[1]!) * UNITS[(m[2] ?? 'b').toLowerCase()]! : null;
}

/** Parses a memory amount as Redis's memtoull: 1k=1000, 1kb=1024, m/mb, g/gb. */
export function parseMemory(v: string): number | null {
  const n = memoryAmount(v);
  return n === null ? null : Number(n);
}

/** Validates and normalizes one value; throws ConfigValueError with Redis-like wording. */
export function normalize(name: string, value: string): string {
  const canonical = canonicalName(name);
  const def = canonical === undefined ? undefined : DEFS[canonical];
  if (!def) throw new ConfigValueError(`Bad directive or wrong number of arguments: '${name}'`);
  const k = def.kind;
  switch (k.t) {
    case 'int': {
      // string2ll: canonical decimal only ("007", "+5", "1k" are not integers), within int64.
      const n = /^(0|-?[1-9]\d{0,18})$/.test(value) ? BigInt(value) : null;
      if (n === null || n < -(2n ** 63n) || n > LONG_MAX) throw new ConfigValueError(`argument couldn't be parsed into an integer`);
      if (n < k.min || n > k.max) throw new ConfigValueError(`argument must be between ${k.min} and ${k.max} inclusive`);
      return String(n);
    }
    case 'mem': {
      const n = memoryAmount(value);
      if (n === null) throw new ConfigValueError(`argument must be a memory value`);
      if (k.max !== undefined && n > k.max) throw new ConfigValueError(`argument must be between 0 and ${k.max} inclusive`);
      return String(n);
    }
    case 'bool': {
      const l = value.toLowerCase();
      if (l !== 'yes' && l !== 'no') throw new ConfigValueError(`argument must be 'yes' or 'no'`);
      return l;
    }
    case 'enum': {
      const l = value.toLowerCase();
      if (!k.values.includes(l)) throw new ConfigValueError(`argument(s) must be one of the following: ${k.values.join(', ')}`);
      return l;
    }
    case 'string': {
      const err = k.check?.(value);
      if (err) throw new ConfigValueError(err);
      return value;
    }
    case 'save': {
      parseSavePoints(value);
      return value.trim().split(/\s+/).filter(Boolean).join(' ');
    }
  }
}

export interface SavePoint {
  seconds: number;
  changes: number;
}

export function parseSavePoints(v: string): SavePoint[] {
  const parts = v.trim().split(/\s+/).filter(Boolean);
  if (parts.length % 2 !== 0) throw new ConfigValueError('Invalid save parameters');
  const out: SavePoint[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    if (!/^\d+$/.test(parts[i]!) || !/^\d+$/.test(parts[i + 1]!)) throw new ConfigValueError('Invalid save parameters');
    out.push({ seconds: Number(parts[i]), changes: Number(parts[i + 1]) });
  }
  return out;
}
