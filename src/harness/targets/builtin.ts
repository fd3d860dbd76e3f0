/** The built-in TypeScript server: `node bin/durabench server <redis-server flags>`. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { RunError } from '../../shared/errors.js';
import type { Mode } from '../../shared/types.js';
import { repoRoot, toolVersion } from '../repo.js';
import { baseFlags, flagsFor } from './modes.js';
import { spawnServer } from './spawn.js';
import type { LaunchSpec, SnapshotOptions, StartOptions, Target } from './target.js';

const BIN = path.join(repoRoot, 'bin', 'durabench');
const COMPILED_CLI = path.join(repoRoot, 'dist', 'cli', 'index.js');

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
 * Node flags for the server process: its own (bin/server-node-flags.cjs says why), then
 * DURABENCH_SERVER_NODE_FLAGS (profiling, tracing, experiments; the last of a flag wins).
 */
export const SERVER_NODE_FLAGS = [
  ...(createRequire(import.meta.url)(path.join(repoRoot, 'bin', 'server-node-flags.cjs')) as string[]),
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
