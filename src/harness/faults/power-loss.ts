/**
 * Power loss: the server runs under strace; at the seeded time the server (not the tracer)
 * is SIGKILLed, the tracer writes out its trace, and the crash model replays it to rebuild
 * the data directory as only what was made durable (see crash/crash-model.ts). A process
 * kill leaves the page cache to reach the disk, so it cannot tell the fsync policies apart;
 * this can. Judged from outside, the same way for redis-server and the built-in server.
 * `power-loss-torn` also keeps a seeded part of the unsynced bytes, cut inside a write.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CrashModel } from '../crash/crash-model.js';
import { applyPowerCut } from '../crash/power-cut.js';
import { Preserver } from '../crash/preserver.js';
import { replayTrace, straceArgs } from '../crash/replay.js';
import { planKillTime, sleepUntil, type Fault, type FaultSession } from './fault.js';
import { straceUnavailable } from './strace-available.js';

function initialTree(root: string, prefix = ''): { rel: string; kind: 'file' | 'dir'; size: number }[] {
  const out: { rel: string; kind: 'file' | 'dir'; size: number }[] = [];
  for (const e of fs.readdirSync(path.join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push({ rel, kind: 'dir', size: 0 }, ...initialTree(root, rel));
    else if (e.isFile()) out.push({ rel, kind: 'file', size: fs.statSync(path.join(root, rel)).size });
  }
  return out;
}

function powerLoss(kind: 'power-loss' | 'power-loss-torn'): Fault {
  const torn = kind === 'power-loss-torn';
  return {
    kind,
    style: 'crash',
    describe: (plan) => `power cut at ${plan.atMs} ms${torn ? ' (torn: part of the unsynced bytes survives)' : ''}`,
    plan: (rng, scenario) => ({ kind, atMs: planKillTime(rng, scenario) }),
    unavailable: straceUnavailable,
    async prepare({ root, dataDir, scenario }): Promise<FaultSession> {
      const trace = path.join(root, 'strace.txt');
      const dataPath = fs.realpathSync(dataDir);
      const preserver = new Preserver(dataPath, path.join(root, 'preserved'));
      const initial = initialTree(dataPath);
      const startTs = (performance.timeOrigin + performance.now()) / 1000;
      preserver.start();
      return {
        wrapLaunch: (spec) => ({ ...spec, command: 'strace', args: [...straceArgs(trace), spec.command, ...spec.args], tracer: true }),
        async afterExit({ rng, outcome }) {
          preserver.stop();
          const model = new CrashModel(dataPath, scenario.crashModel, initial, process.cwd(), startTs);
          const stats = await replayTrace(trace, model);
          const cut = applyPowerCut(model, preserver, dataPath, path.join(root, 'data-before-power-cut'), torn ? rng : null, startTs);
          // the AOF's durable horizon: how far before the kill its oldest dropped bytes' file was
          // last synced (a lost acknowledged write cannot be older than that)
          const killedEpoch = (performance.timeOrigin + outcome.killedAt) / 1000;
          const aof = cut.dropped.filter((d) => d.rel.endsWith('.aof'));
          const horizonMs = aof.length === 0 ? null : Math.round((killedEpoch - Math.min(...aof.map((d) => d.since))) * 1e4) / 10;
          // Negative when the cut brought back more than was there: deletes (an AOF rewrite's old
          // base and incr files) or truncations that no fsync made durable are undone too.
          const dropped = cut.beforeBytes - cut.keptBytes;
          const change = dropped >= 0 ? `dropped ${dropped} B unsynced` : `${-dropped} B more than at the kill (unsynced deletes or truncations undone)`;
          const caveats = [
            cut.unknownContent > 0 ? `${cut.unknownContent} file(s) brought back without their bytes` : '',
            cut.unmodelledBytes > 0 ? `${cut.unmodelledBytes} B overwritten after a sync (kept as written)` : '',
          ].filter(Boolean);
          return {
            ...outcome,
            note: `power cut (${scenario.crashModel} model): kept ${cut.keptBytes} B, ${change}, ${cut.namesUndone} name change(s) undone${torn ? `, ${cut.tornBytesKept} B of torn tail kept` : ''}${caveats.length ? `; ${caveats.join('; ')}` : ''}`,
            detail: {
              trace_bytes: stats.bytes,
              trace_lines: stats.lines,
              replay_ms: stats.ms,
              dropped_bytes: dropped,
              files_reverted: cut.namesUndone,
              durable_horizon_ms: horizonMs,
              ...(torn ? { torn_bytes_kept: cut.tornBytesKept } : {}),
              ...(cut.unknownContent > 0 ? { unknown_content_files: cut.unknownContent } : {}),
              ...(cut.unmodelledBytes > 0 ? { unmodelled_bytes: cut.unmodelledBytes } : {}),
            },
          };
        },
        async dispose() {
          preserver.stop();
        },
      };
    },
    async inject(ctx) {
      await sleepUntil(ctx.t0 + ctx.plan.atMs);
      await ctx.finalInfo();
      return { signal: 'SIGKILL', killedAt: ctx.signal('SIGKILL') };
    },
  } satisfies Fault;
}

export const powerLossFault = powerLoss('power-loss');
export const powerLossTornFault = powerLoss('power-loss-torn');
