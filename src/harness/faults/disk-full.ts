/**
 * disk-full: the data dir is a small tmpfs of its own (tmpfs.ts), filled at the planned time
 * until the file system says ENOSPC, while the workload writes. What the server then does is
 * recorded, not assumed:
 *
 *  1. fill, then watch (≤ WATCH_MS, or until the server exits): the first write it refused
 *     (a workload error reply, a load connection it closed, or the fault's own probe — a
 *     `DEL` of a key that does not exist, a write command that changes nothing, so servers
 *     that refuse writes refuse it), the error text, and the writes it acknowledged after
 *     the disk filled. Its state: `exited`, `refused-writes`, `kept-acking` (no refusal, acks
 *     went on), or `stalled` (writes were sent, neither acknowledged nor refused);
 *  2. free the space and watch (≤ RETRY_MS) whether it accepts writes again (the probe
 *     succeeds): redis retries the AOF write every cron tick, the built-in server too;
 *  3. fill again and SIGKILL once it refused a write (or after REFILL_MS), so the process
 *     dies while the disk is full: a write acknowledged but never written (held in a
 *     buffer for a retry) is lost, and the restart's check counts it. Freeing the space
 *     first and letting the retry write it would hide exactly that.
 *
 * After the death the filler is deleted and the normal restart judges the loss. A server
 * that exits on its own (an AOF write error under appendfsync always: redis-server and the
 * built-in server both exit) has done what the fault measures: the outcome's kill instant
 * is then the exit instant and the trial goes on to the restart.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Scenario } from '../../shared/types.js';
import { RespError } from '../workload/resp-reader.js';
import { RespConnection } from '../workload/resp-connection.js';
import { Probes, Watcher } from './disk-full-watch.js';
import { planKillTime, sleepUntil, type Fault, type FaultContext, type FaultOutcome, type FaultSession, type RestartContext, type RestartOutcome } from './fault.js';
import { fillUntilFull, mountTmpfs, tmpfsUnavailable, type Tmpfs } from './tmpfs.js';
import { settledWithin } from '../with-timeout.js';

export const FILLER = 'durabench-filler';
const WATCH_MS = 1500;
/** after the first refusal, how long to keep watching whether acknowledgements go on */
const AFTER_REFUSAL_MS = 300;
const RETRY_MS = 1500;
const REFILL_MS = 600;
/** after the refill's first refusal, before the kill */
const REFILL_AFTER_REFUSAL_MS = 50;
/** the whole fault, fill to kill, at most: the planned fill moves earlier to fit the write phase */
const BUDGET_MS = WATCH_MS + RETRY_MS + REFILL_MS;

export type ServerState = 'refused-writes' | 'kept-acking' | 'exited' | 'stalled';

/**
 * The tmpfs size: the preload as the AOF and an RDB hold it (×3: AOF, dump.rdb, a snapshot's
 * temp file), plus headroom for the writes before the fill (tmpfs takes memory only as used).
 */
export function tmpfsBytes(s: Pick<Scenario, 'preload' | 'valueSize'>): number {
  const perKey = s.valueSize + 64; // key, RESP framing / RDB encoding
  return 3 * s.preload * perKey + 64 * 1024 * 1024;
}

/** The fill time: seeded in the kill window, moved earlier so the whole fault fits the write phase. */
export function planFillTime(seeded: number, durationMs: number): number {
  return Math.max(0, Math.min(seeded, durationMs - BUDGET_MS));
}

/** The server's answer to the full disk, from what was observed. */
export function serverState(o: { exited: boolean; refused: boolean; ackedAfterFull: number }): ServerState {
  if (o.exited) return 'exited';
  if (o.refused) return 'refused-writes';
  return o.ackedAfterFull > 0 ? 'kept-acking' : 'stalled';
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

export const diskFull = {
  kind: 'disk-full',
  style: 'crash',
  describe: (plan) => `disk full at ${plan.atMs} ms (tmpfs), free, fill again, SIGKILL`,
  plan: (rng, scenario) => ({ kind: 'disk-full', atMs: planFillTime(planKillTime(rng, scenario), scenario.durationMs) }),
  unavailable: () => {
    const why = tmpfsUnavailable();
    return why === null ? null : `disk-full ${why}`;
  },

  /** The mount and the probes live in the trial's session: inject and restart use them. */
  async prepare(p): Promise<FaultSession> {
    const fsys = mountTmpfs(p.dataDir, tmpfsBytes(p.scenario));
    const probes = new Probes();
    return {
      inject: (ctx) => injectDiskFull(ctx, fsys, probes),
      restart: (ctx) => restartAndJudgeProbes(ctx, probes),
      // the filler may still be there when the fault never got to delete it
      async afterExit() {
        fs.rmSync(path.join(p.dataDir, FILLER), { force: true });
      },
      async dispose() {
        fsys.unmount();
      },
    };
  },
} satisfies Fault;

/** One start, then the probes judged and deleted (the workload's check must not see them). */
async function restartAndJudgeProbes(ctx: RestartContext, probes: Probes): Promise<RestartOutcome> {
const handle = await ctx.start();
if (probes.sent === 0) return { handle };
  const conn = await RespConnection.connect(handle.port);
  try {
    const keys = Array.from({ length: probes.sent }, (_, i) => Probes.key(i));
    const present = new Set<number>();
    for (let at = 0; at < keys.length; at += 500) {
      const r = await conn.send(['MGET', ...keys.slice(at, at + 500)]);
      if (!Array.isArray(r)) throw new Error(`MGET of the probes: ${r instanceof RespError ? r.message : 'not an array'}`);
      r.forEach((v, j) => {
        if (v !== null) present.add(at + j);
      });
      await conn.send(['DEL', ...keys.slice(at, at + 500)]);
    }
    const lost = probes.acked.filter((i) => !present.has(i)).length;
    return { handle, detail: { probes_lost: lost }, ...(lost > 0 ? { note: `${lost} acknowledged probe writes lost` } : {}) };
  } finally {
    conn.close();
  }
}

async function injectDiskFull(ctx: FaultContext, fsys: Tmpfs, probes: Probes): Promise<FaultOutcome> {
  const { handle } = ctx;
  const filler = path.join(handle.dir, FILLER);
  const w = new Watcher(ctx, probes);
  try {
    await sleepUntil(ctx.t0 + ctx.plan.atMs);
    const triggeredAtEpochMs = Date.now();
    w.reset();
    fillUntilFull(filler);
    const fullAt = performance.now();
    const acked0 = ctx.load().acked;

    // 1. the disk is full: what does the server do?
    await w.until(fullAt + WATCH_MS, () => w.refusal !== null && performance.now() - w.refusal.at >= AFTER_REFUSAL_MS);
    const first = w.answer();
    const ackedNow = ctx.load().acked;
    const state = serverState({ exited: w.exitAt !== null, refused: first !== null, ackedAfterFull: ackedNow - acked0 });
    const detail: Record<string, number | string | null> = {
      fs_bytes: fsys.bytes,
      first_refused_ms: first ? round(first.at - fullAt) : null,
      refusal_error: first ? first.error.slice(0, 200) : null,
      server_state: state,
      acked_after_full: ackedNow - acked0,
      acked_after_refused: first ? ackedNow - first.ackedAt : null,
      exited_ms: w.exitAt !== null ? round(w.exitAt - fullAt) : null,
      accepts_after_free_ms: null,
      killed_while_full: 0,
    };

    // 2. free the space: does it take writes again?
    if (w.exitAt === null) {
      fs.rmSync(filler, { force: true });
      const freedAt = performance.now();
      w.reset();
      await w.until(freedAt + RETRY_MS, () => w.lastAccepted > freedAt);
      if (w.lastAccepted > freedAt) detail.accepts_after_free_ms = round(w.lastAccepted - freedAt);
    }

    // 3. full again, and the kill while it is full
    if (w.exitAt === null) {
      w.reset();
      fillUntilFull(filler);
      const refullAt = performance.now();
      await w.until(refullAt + REFILL_MS, () => w.refusal !== null && performance.now() - w.refusal.at >= REFILL_AFTER_REFUSAL_MS);
      const again = w.answer();
      detail.refill_refused_ms = again ? round(again.at - refullAt) : null;
    }
    let killedAt: number;
    let note: string;
    if (w.exitAt === null) {
      await ctx.finalInfo();
      killedAt = ctx.signal('SIGKILL');
      detail.killed_while_full = 1;
      note = `disk full: ${state}${first ? ` (${first.error.slice(0, 80)})` : ''}; killed while full`;
    } else {
      ctx.signal('SIGKILL'); // halts the workload; the server is not signalled again
      killedAt = w.exitAt;
      detail.exited_ms = round(w.exitAt - fullAt);
      note = `disk full: the server exited on its own ${round(w.exitAt - fullAt)} ms after the fill`;
    }
    // free the space for the restart once the process is gone (a write of a dying process
    // must not find room the crash would not have left it)
    await settledWithin(handle.exited, 5000);
    fs.rmSync(filler, { force: true });
    detail.probes_acked = probes.acked.length;
    return { signal: 'SIGKILL', killedAt, triggeredAtEpochMs, note, detail } satisfies FaultOutcome;
  } finally {
    w.close();
  }
}
