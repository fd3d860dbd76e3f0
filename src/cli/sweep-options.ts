/**
 * The flags of `durabench sweep` (and the sweep part of `durabench claims`), checked before
 * any server starts: a bad one is one UsageError line naming the flag.
 */
import type { Argv } from 'yargs';
import type { SweepOptions } from '../harness/sweep/sweep.js';
import { VALUE_KINDS, type ValueKind } from '../harness/workload/preload.js';
import { parseDurationMs } from '../scenario/index.js';
import { UsageError } from '../shared/errors.js';
import { MODES, TARGETS, type Mode, type LocalTargetKind } from '../shared/types.js';

export interface SweepArgs {
  sizes: string;
  'value-size': number;
  values: string;
  target: string;
  modes: string;
  rate: number;
  clients: number;
  window: string;
  seed: number;
  out: string;
  json?: string;
  csv?: string;
  quiet?: boolean;
  color?: boolean;
  html?: string;
  charts?: boolean;
}

export const DEFAULT_SIZES = '100k,1M,4M';
const SWEEP_MODES: readonly Mode[] = ['rdb', 'aof-always', 'aof-everysec', 'aof-no'];
const MAX_KEYS = 100_000_000;

const list = (v: string): string[] => v.split(',').map((x) => x.trim()).filter(Boolean);

/** "100k" → 100000, "1M" → 1000000, "2500" → 2500; null when not a whole count. */
export function parseCount(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]) * (m[2] === '' ? 1 : m[2]!.toLowerCase() === 'k' ? 1e3 : 1e6);
  return Number.isInteger(n) ? n : null;
}

export function parseSizes(text: string): number[] {
  const sizes = list(text).map((s) => {
    const n = parseCount(s);
    if (n === null || n < 1 || n > MAX_KEYS) throw new UsageError(`--sizes: '${s}' is not a key count from 1 to 100M (e.g. 100k,1M,4M)`);
    return n;
  });
  if (sizes.length === 0) throw new UsageError('--sizes: name at least one size (e.g. 100k,1M)');
  return [...new Set(sizes)].sort((a, b) => a - b);
}

export function parseTargets(text: string): LocalTargetKind[] {
  const ts = list(text);
  for (const t of ts) if (!(TARGETS as readonly string[]).includes(t)) throw new UsageError(`--target: unknown target '${t}' (known: ${TARGETS.join(', ')})`);
  if (ts.length === 0) throw new UsageError(`--target: name at least one of ${TARGETS.join(', ')}`);
  return [...new Set(ts)] as LocalTargetKind[];
}

/** rdb and/or one AOF mode: the files the sweep writes and loads. */
export function parseSweepModes(text: string): Mode[] {
  const ms = [...new Set(list(text))];
  for (const m of ms) {
    if (!(MODES as readonly string[]).includes(m)) throw new UsageError(`--modes: unknown mode '${m}' (known: ${MODES.join(', ')})`);
    if (!SWEEP_MODES.includes(m as Mode)) throw new UsageError(`--modes: a sweep loads rdb and/or one AOF mode (${SWEEP_MODES.join(', ')}); '${m}' is not one`);
  }
  if (ms.filter((m) => m.startsWith('aof')).length > 1) throw new UsageError('--modes: at most one AOF mode (its fsync policy writes the AOF the sweep loads)');
  if (ms.length === 0) throw new UsageError('--modes: name rdb and/or an AOF mode');
  return ms as Mode[];
}

export function sweepOptions(a: Omit<SweepArgs, 'out'>): Omit<SweepOptions, 'onEvent'> {
  const valueSize = a['value-size'];
  if (!Number.isInteger(valueSize) || valueSize < 16 || valueSize > 1_000_000) throw new UsageError(`--value-size: ${valueSize} is not a whole number of bytes from 16 to 1000000`);
  if (!(VALUE_KINDS as readonly string[]).includes(a.values)) throw new UsageError(`--values: '${a.values}' is not one of ${VALUE_KINDS.join(', ')}`);
  if (!Number.isFinite(a.rate) || a.rate < 100 || a.rate > 1_000_000) throw new UsageError(`--rate: ${a.rate} SET/s is outside 100 to 1000000`);
  if (!Number.isInteger(a.clients) || a.clients < 1 || a.clients > 512) throw new UsageError(`--clients: ${a.clients} is not a whole number from 1 to 512`);
  if (!Number.isInteger(a.seed)) throw new UsageError(`--seed: ${a.seed} is not a whole number`);
  const windowMs = parseDurationMs(a.window);
  if (windowMs === null || windowMs < 200 || windowMs > 600_000) throw new UsageError(`--window: '${a.window}' is not a duration from 200ms to 10m (e.g. 2s)`);
  return {
    sizes: parseSizes(a.sizes),
    valueSize,
    values: a.values as ValueKind,
    targets: parseTargets(a.target),
    modes: parseSweepModes(a.modes),
    rate: a.rate,
    clients: a.clients,
    windowMs,
    seed: a.seed,
  };
}

export function sweepFlags<T>(y: Argv<T>, defaults: { sizes: string }): Argv<T> {
  return y
    .option('sizes', { type: 'string', default: defaults.sizes, describe: 'dataset sizes in keys, comma list (100k, 1M, 2500)' })
    .option('value-size', { type: 'number', default: 100, describe: 'value bytes' })
    .option('values', { type: 'string', default: 'random', describe: 'random (incompressible) or repetitive (one repeated byte, as redis-benchmark)' })
    .option('modes', { type: 'string', default: 'rdb,aof-everysec', describe: 'files to write and load: rdb and/or one of aof-always, aof-everysec, aof-no' })
    .option('rate', { type: 'number', default: 5000, describe: 'SET/s of the open-loop load in the latency windows' })
    .option('clients', { type: 'number', default: 16, describe: 'load connections in the latency windows' })
    .option('window', { type: 'string', default: '2s', describe: 'latency window without a snapshot (with one: until it ends + 0.5 s)' }) as Argv<T>;
}
