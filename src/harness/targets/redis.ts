/** A real redis-server from PATH. */
import { spawnSync } from 'node:child_process';
import { RunError } from '../../shared/errors.js';
import { baseFlags, flagsFor } from './modes.js';
import { spawnServer } from './spawn.js';
import type { LaunchSpec, StartOptions, Target } from './target.js';

const BINARY = 'redis-server';
let cachedVersion: string | null = null;

function version(): string {
  if (cachedVersion) return cachedVersion;
  const r = spawnSync(BINARY, ['-v'], { encoding: 'utf8', timeout: 5000 });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new RunError(
      missing
        ? `${BINARY} not found on PATH: install it (Debian/Ubuntu: apt-get install redis-server) or use --target builtin`
        : `${BINARY} -v failed: ${r.error.message}`,
    );
  }
  const m = /v=(\S+)/.exec(r.stdout);
  cachedVersion = `redis-server ${m?.[1] ?? r.stdout.trim()}`;
  return cachedVersion;
}

/** True when redis-server is on PATH (tests skip with a reason otherwise). */
export function redisAvailable(): boolean {
  const r = spawnSync(BINARY, ['-v'], { encoding: 'utf8', timeout: 5000 });
  return !r.error && r.status === 0;
}

export const redisTarget: Target = {
  kind: 'redis',
  caps: { launches: true, dataDir: 'own', signals: ['SIGKILL', 'SIGTERM', 'SIGSTOP', 'SIGCONT'] },
  async check() {
    return version();
  },
  flagsFor,
  launchSpec(opts: StartOptions): LaunchSpec {
    return { command: BINARY, args: [...baseFlags(opts.port, opts.dir), ...flagsFor(opts.mode, opts.savePoints)] };
  },
  async start(opts: StartOptions) {
    const v = version();
    let spec = this.launchSpec!(opts);
    if (opts.wrapLaunch) spec = opts.wrapLaunch(spec);
    return spawnServer('redis', v, spec, opts, flagsFor(opts.mode, opts.savePoints));
  },
};
