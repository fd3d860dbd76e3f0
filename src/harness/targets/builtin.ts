/** The built-in TypeScript server: `node bin/durabench server <redis-server flags>`. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { RunError } from '../../shared/errors.js';
import type { Mode } from '../../shared/types.js';
import { repoRoot, toolVersion } from '../repo.js';
import { baseFlags, flagsFor } from './modes.js';
import { spawnServer } from './spawn.js';
import type { LaunchSpec, SnapshotOptions, StartOptions, Target } from './target.js';

const BIN = path.join(repoRoot, 'bin', 'durabench');
const COMPILED_CLI = path.join(repoRoot, 'dist', 'cli', 'index.js');

/** The V8 flags every built-in server is launched with: bin/server-flags.cjs says why (and keeps its code cache). */
function serverV8Flags(): string[] {
  const require = createRequire(import.meta.url);
  return (require(path.join(repoRoot, 'bin', 'server-flags.cjs')) as { SERVER_V8_FLAGS: string[] }).SERVER_V8_FLAGS;
}

/** True when the compiled CLI exists (the built-in server needs `npm run build`). */
export function builtinAvailable(): boolean {
  return fs.existsSync(COMPILED_CLI) && fs.existsSync(BIN);
}

/** The mode's flags, plus the snapshot strategy and encoder when they are not the defaults. */
function builtinFlags(mode: Mode, savePoints: string, snapshot: SnapshotOptions = {}): string[] {
  const flags = flagsFor(mode, savePoints);
  if (snapshot.snapshotStrategy === 'blocking') flags.push('--snapshot-strategy', 'blocking');
  const encoder = snapshot.snapshotEncoder;
  if (encoder !== undefined && encoder !== 'auto') flags.push('--snapshot-encoder', encoder);
  return flags;
}

/**
 * Node and V8 flags for the server process. Young generation: with V8's default 16 MB
 * semi-spaces each scavenge copied megabytes and paused clients for tens of ms; 1 MB ones
 * (opt-in: DURABENCH_SERVER_NODE_FLAGS=--max-semi-space-size=1, measured 2026-12-04) made
 * Mark-Compacts 30 times as frequent and steady p99.9 1.89-2.17x redis-server's. Every
 * server is launched with fixed 4 MB semi-spaces (bin/server-flags.cjs: a young generation
 * that cannot shrink leaves no pooled pages for a Mark-Compact to unmap in its pause).
 *
 * On 2 cores or fewer the server runs with one V8 helper thread instead of four
 * (`--v8-pool-size`, a Node option: the code cache still applies). A Mark-Compact's final
 * pause hands work to the helpers and joins them; with the load generator on one core the
 * main thread and four helpers shared the other, and perf's sched_switch showed the main
 * thread preempted by its own helpers and asleep in DefaultJobHandle::Join for 8.8 ms of one
 * pause. Pauses (1M keys, 20k SET/s, BGSAVE windows, --trace-gc-nvp): 6.1-7.9 ms against
 * 11-14. bench:latency at 1M, 3 interleaved pairs of runs: steady p99.9 0.66-1.11x
 * redis-server's against 1.00-1.86x, BGSAVE/BGREWRITEAOF windows' max 11.8-16.6 ms against
 * 12.4-24.8 in two pairs (16-27 against 12-17 in the first). DURABENCH_SERVER_NODE_FLAGS
 * adds flags after it (`--v8-pool-size=4` undoes it). The same 2-core line as bin/durabench's
 * GC flags, which the bin sets itself; this one only a command line can give.
 */
export const SERVER_NODE_FLAGS = [
  ...(os.availableParallelism() <= 2 ? ['--v8-pool-size=1'] : []),
  ...serverV8Flags(),
  ...(process.env.DURABENCH_SERVER_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
];

const modeFlags = (opts: StartOptions): string[] => builtinFlags(opts.mode, opts.savePoints, opts);

export const builtinTarget: Target = {
  kind: 'builtin',
  caps: { launches: true, dataDir: 'own', signals: ['SIGKILL', 'SIGTERM', 'SIGSTOP', 'SIGCONT'] },
  async check() {
    if (!builtinAvailable()) {
      throw new RunError(`the built-in server is not built (${path.relative(process.cwd(), COMPILED_CLI) || COMPILED_CLI} missing): run \`npm run build\` first`);
    }
    return `durabench ${toolVersion()}`;
  },
  flagsFor: builtinFlags,
  launchSpec(opts: StartOptions): LaunchSpec {
    return {
      command: process.execPath,
      args: [...SERVER_NODE_FLAGS, BIN, 'server', ...baseFlags(opts.port, opts.dir), ...modeFlags(opts)],
    };
  },
  async start(opts: StartOptions) {
    const v = await this.check();
    let spec = this.launchSpec!(opts);
    if (opts.wrapLaunch) spec = opts.wrapLaunch(spec);
    return spawnServer('builtin', v, spec, opts, modeFlags(opts));
  },
};
