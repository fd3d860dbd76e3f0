/**
 * `durabench sweep` as terminal tables, pure (result → string): one table for what a snapshot
 * costs at each size (pause, duration, copy-on-write, the client's latency without → with
 * it), one for the files and the restart (sizes, load times, memory), then the skipped sizes
 * and the failed points, one line each.
 */
import Table from 'cli-table3';
import type { SweepPoint, SweepResult } from '../shared/sweep-result.js';
import { fmtBytes, fmtDuration, fmtNum } from './format.js';

const dash = '—';
const ms = (x: number | null): string => (x === null ? dash : fmtDuration(x));
const bytes = (x: number | null): string => (x === null ? dash : fmtBytes(x));
const perKey = (x: number | null, keys: number): string => (x === null || keys === 0 ? dash : fmtBytes(Math.round(x / keys)));
/** latency in ms, without the unit (it is in the header): "3.1 → 76" */
const msNum = (x: number | null): string => (x === null ? dash : fmtNum(x));
const pair = (a: number | null, b: number | null): string => `${msNum(a)} → ${msNum(b)}`;

/** 100000 → 100k, 4000000 → 4M (sizes as users type them in --sizes). */
export function fmtKeys(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`;
  return String(n);
}

function table(head: string[], color: boolean): Table.Table {
  return new Table({
    head,
    colAligns: head.map((_, i) => (i < 2 ? 'left' : 'right')),
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true },
  });
}

const measured = (p: SweepPoint): boolean => p.skipped === null;

export function renderSweepTables(r: SweepResult, opts: { color?: boolean } = {}): string {
  const color = opts.color ?? false;
  const e = r.environment;
  const versions = r.targets.map((t) => `${t} (${e.targetVersions[t] ?? '?'})`).join(', ');
  const out: string[] = [
    `durabench ${r.tool.version} sweep — ${r.sizes.map(fmtKeys).join(', ')} keys of ${r.valueBytes} B ${r.values} values · seed ${r.seed}`,
    `targets: ${versions} · files of ${r.modes.join(', ')}`,
    `latency: open loop ${fmtNum(r.rate)} SET/s over the dataset's keys, ${r.clients} clients, ${fmtDuration(r.windowMs)} windows, AOF off · ` +
      `${e.cores} × ${e.cpu}, load average ${r.loadAverage} at the start · wall ${fmtDuration(r.wallMs)}`,
    '',
    'Snapshot (BGSAVE under load): start pause (latest_fork_usec), duration, copy-on-write;',
    'client latency without a snapshot → with one running',
  ];
  const snap = table(['keys', 'target', 'pause', 'snapshot', 'COW', 'writes\nduring', 'p99 ms', 'p99.9 ms', 'max ms', 'gen. lag\nmax ms'], color);
  for (const p of r.points.filter(measured)) {
    snap.push([
      fmtKeys(p.keys), p.target,
      p.forkUsec === null ? dash : fmtDuration(p.forkUsec / 1000),
      ms(p.snapshotMs), bytes(p.cowBytes), p.snapshotWrites === null ? dash : fmtNum(p.snapshotWrites),
      pair(p.baseline.p99Ms, p.duringSnapshot.p99Ms),
      pair(p.baseline.p999Ms, p.duringSnapshot.p999Ms),
      pair(p.baseline.maxMs, p.duringSnapshot.maxMs),
      msNum(p.sendLagMaxMs),
    ]);
  }
  out.push(snap.toString(), '', 'Files and restart: size on disk, load time (listening → ready; spawn → ready), RSS after loading');
  const files = table(['keys', 'target', 'RDB', 'AOF', 'RDB\n/key', 'AOF\n/key', 'RDB\nload', 'spawn\n→ready', 'AOF\nload', 'spawn\n→ready', 'RSS', 'RSS\n/key'], color);
  for (const p of r.points.filter(measured)) {
    files.push([
      fmtKeys(p.keys), p.target,
      bytes(p.rdbBytes), bytes(p.aofBytes), perKey(p.rdbBytes, p.keys), perKey(p.aofBytes, p.keys),
      ms(p.rdbLoad.loadMs), ms(p.rdbLoad.recoveryMs), ms(p.aofLoad.loadMs), ms(p.aofLoad.recoveryMs),
      bytes(p.rssBytes), perKey(p.rssBytes, p.keys),
    ]);
  }
  out.push(files.toString());
  const skipped = [...new Map(r.points.filter((p) => p.skipped !== null).map((p) => [p.keys, p.skipped!])).entries()];
  for (const [keys, why] of skipped) out.push(`skipped ${fmtKeys(keys)} keys: ${why}`);
  for (const p of r.points.filter((x) => x.error !== null)) out.push(`FAILED ${fmtKeys(p.keys)} ${p.target}: ${p.error}`);
  out.push(
    'COW: redis-server counts the fork child\'s dirtied pages, the built-in server the old values it kept:',
    'compare within a target. gen. lag: how late the load generator sent; near the latency figures,',
    'the tail is the generator\'s, not the server\'s.',
  );
  return `${out.join('\n')}\n`;
}
