/**
 * A trial's temp dir and every server, connection and load driver started for it, so one
 * dispose() releases them all on every way out of the trial.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { registerTempDir } from './targets/children.js';
import type { FaultSession } from './faults/fault.js';
import type { TargetHandle } from './targets/target.js';
import type { TrialSpec } from './trial-spec.js';
import type { LoadDriver } from './workload/load-driver.js';
import type { RespConnection } from './workload/resp-connection.js';
import { settledWithin } from './with-timeout.js';

export class TrialSandbox {
  readonly handles: TargetHandle[] = [];
  readonly conns: RespConnection[] = [];
  driver: LoadDriver | null = null;
  /** the fault's per-trial state, disposed after the servers are dead */
  session: FaultSession | null = null;

  private constructor(
    readonly root: string,
    readonly dataDir: string,
    private readonly keep: boolean,
    private readonly unregister: () => void,
  ) {}

  static async create(spec: TrialSpec): Promise<TrialSandbox> {
    const root = await fs.mkdtemp(path.join(spec.tmpRoot ?? os.tmpdir(), `durabench-${spec.target.kind.replace(/[^A-Za-z0-9_-]/g, '-')}-${spec.mode.replace('+', '-')}-`));
    const dataDir = path.join(root, 'data');
    await fs.mkdir(dataDir);
    // no ':' in the path: `docker run -v {dir}:/data` splits on it
    // kept dirs are the user's: no cleanup, no reaper
    const unregister = spec.keep ? () => undefined : registerTempDir(root);
    return new TrialSandbox(root, dataDir, Boolean(spec.keep), unregister);
  }

  /** Closes the driver and connections, kills every server and removes the dir (unless kept). */
  async dispose(): Promise<void> {
    this.driver?.close();
    for (const c of this.conns) c.close();
    for (const h of this.handles) {
      if (h.alive) h.kill('SIGKILL');
      await settledWithin(h.exited, 3000);
    }
    await this.session?.dispose().catch(() => undefined);
    if (!this.keep) await fs.rm(this.root, { recursive: true, force: true }).catch(() => undefined);
    this.unregister();
  }
}
