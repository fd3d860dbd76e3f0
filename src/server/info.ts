import type { Stats } from './stats.js';
import { VERSION } from './version.js';
import { lru } from './lru-clock.js';
import { idleCollections } from './idle-gc.js';

/** What INFO reads, declared here so that INFO never imports the Server. */
export interface InfoSource {
  config: { num(name: 'port' | 'hz' | 'maxclients' | 'maxmemory'): number };
  stats: Stats;
  loading: boolean;
  clientCount(): number;
  /** Clients waiting in blocking commands. */
  blocking: { waiting: number };
  /** The databases made so far, in id order. */
  dbs: { made(): ReadonlyArray<{ id: number; size: number; expiresCount: number; avgTtl: number }> };
  persistence: { infoPersistence(): Record<string, string | number>; latestForkUsec: number; totalForks: number };
  /** GC pause figures (gc_* fields of # Stats). */
  gc: { info(): Record<string, number> };
  /** cmdstat_* and errorstat_* fields, total_error_replies */
  commandStats(): { commands: Record<string, string>; errors: Record<string, string>; totalErrorReplies: number };
}

/** INFO: the server's state as Redis's sections and field names, and their rendering. */
export type InfoSection = [title: string, fields: Record<string, string | number>];

/** Redis 7.0's default sections (commandstats only with `all`, `everything` or by name). */
const DEFAULT = new Set(['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'errorstats', 'keyspace']);

/** `wanted`: undefined/"default"/"all"/"everything" or one section name, case-insensitive. */
export function renderInfo(sections: InfoSection[], wanted?: string): string {
  const w = wanted?.toLowerCase();
  const pick = (title: string) =>
    w === undefined || w === 'default' ? DEFAULT.has(title.toLowerCase()) : w === 'all' || w === 'everything' || w === title.toLowerCase();
  const out: string[] = [];
  for (const [title, fields] of sections) {
    if (!pick(title)) continue;
    let block = `# ${title}\r\n`;
    for (const [k, v] of Object.entries(fields)) block += `${k}:${v}\r\n`;
    out.push(block);
  }
  return out.join('\r\n');
}

/** The sections, with Redis's field names, so one parser reads both targets. */
export function infoSections(s: InfoSource): InfoSection[] {
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  const used = mem.heapUsed + mem.external;
  const cs = s.commandStats();
  return [
    ['Server', {
      redis_version: VERSION,
      server_name: 'durabench',
      redis_mode: 'standalone',
      os: `${process.platform} ${process.arch}`,
      arch_bits: 64,
      process_id: process.pid,
      tcp_port: s.config.num('port'),
      uptime_in_seconds: Math.floor((Date.now() - s.stats.startedAt) / 1000),
      hz: s.config.num('hz'),
      lru_clock: lru.now,
      executable: process.argv[1] ?? '',
      node_version: process.version,
    }],
    ['Clients', { connected_clients: s.clientCount(), maxclients: s.config.num('maxclients'), blocked_clients: s.blocking.waiting }],
    ['Memory', {
      used_memory: used,
      used_memory_human: `${(used / 1048576).toFixed(2)}M`,
      used_memory_rss: mem.rss,
      used_memory_rss_human: `${(mem.rss / 1048576).toFixed(2)}M`,
      maxmemory: s.config.num('maxmemory'),
    }],
    ['Persistence', { loading: s.loading ? 1 : 0, ...s.persistence.infoPersistence() }],
    ['Stats', {
      total_connections_received: s.stats.totalConnections,
      total_commands_processed: s.stats.totalCommands,
      instantaneous_ops_per_sec: s.stats.opsPerSec(),
      rejected_connections: s.stats.rejectedConnections,
      expired_keys: s.stats.expiredKeys,
      total_error_replies: cs.totalErrorReplies,
      latest_fork_usec: s.persistence.latestForkUsec,
      total_forks: s.persistence.totalForks,
      ...s.gc.info(),
      gc_idle_collections: idleCollections(),
    }],
    ['Replication', { role: 'master', connected_slaves: 0 }],
    ['CPU', { used_cpu_sys: (cpu.system / 1e6).toFixed(6), used_cpu_user: (cpu.user / 1e6).toFixed(6) }],
    ['Commandstats', cs.commands],
    ['Errorstats', cs.errors],
    ['Keyspace', keyspaceFields(s.dbs.made())],
  ];
}

/** `db3:keys=…,expires=…,avg_ttl=…` for every non-empty database, as Redis's INFO keyspace. */
function keyspaceFields(dbs: ReadonlyArray<{ id: number; size: number; expiresCount: number; avgTtl: number }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of dbs) if (d.size > 0) out[`db${d.id}`] = `keys=${d.size},expires=${d.expiresCount},avg_ttl=${d.avgTtl}`;
  return out;
}
