/**
 * How many worker threads the load generator uses (`--workers`, scenario `workers`).
 * `auto` leaves a core to the server, which usually runs on the same machine (builtin,
 * redis, and external targets in a local container): one worker per remaining core, never
 * more than there are clients, and at least one. On a 2-core machine that is 1: the
 * generator's thread and the server each get a core; a second generator thread would take
 * the server's.
 */
export type WorkersSetting = number | 'auto';

export const MAX_WORKERS = 64;

export function loadWorkers(setting: WorkersSetting, clients: number, cores: number): number {
  const n = setting === 'auto' ? Math.max(1, cores - 1) : setting;
  return Math.max(1, Math.min(n, clients));
}
