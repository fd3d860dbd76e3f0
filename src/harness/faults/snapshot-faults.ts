/**
 * SIGKILL while a snapshot runs: at the seeded time, start a BGSAVE (or BGREWRITEAOF), poll
 * INFO until the server says it is in progress, then kill the process group at once (redis's
 * fork child dies with it, as in a crash of the machine's process tree). If the snapshot was
 * never seen running, or a BGSAVE's file was complete before the kill, the fault missed and
 * the trial says so rather than report a sigkill as a kill-during-snapshot. Every INFO read
 * while waiting is handed to the trial's snapshot monitor (ctx.observe): a save killed a few
 * ms after it started falls between the monitor's polls, and would otherwise leave no trace
 * in fork_usec / cow_bytes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DATA_FILES } from '../targets/modes.js';
import { infoNumber, parseInfo } from '../measure/info.js';
import { RespError } from '../workload/resp-reader.js';
import { replyText } from '../workload/resp-connection.js';
import { planKillTime, sleepUntil, type Fault, type FaultContext, type FaultOutcome } from './fault.js';

const OBSERVE_TIMEOUT_MS = 3000;

async function killWhenInProgress(
  ctx: FaultContext,
  command: 'BGSAVE' | 'BGREWRITEAOF',
  field: 'rdb_bgsave_in_progress' | 'aof_rewrite_in_progress',
): Promise<FaultOutcome> {
  await sleepUntil(ctx.t0 + ctx.plan.atMs);
  const triggeredAtEpochMs = Date.now();
  const triggeredAt = performance.now();
  let error: string | undefined;
  try {
    const r = await ctx.control.send([command]);
    // "already in progress" is fine: one is running, which is what we want to kill
    // (with appendonly no, both servers rewrite a base file they will not load: the kill
    // still lands while a snapshot runs, which is what this fault measures)
    if (r instanceof RespError && !/in progress/i.test(r.message)) error = `${command} refused: ${r.message}`;
  } catch (err) {
    error = `${command} failed: ${(err as Error).message}`;
  }
  let seen = false;
  const deadline = performance.now() + OBSERVE_TIMEOUT_MS;
  while (!error && performance.now() < deadline) {
    try {
      // the whole INFO, not just # Persistence: the fork figures are in # Stats, and this
      // reading, taken while the save runs, may be the only one that sees it
      const info = parseInfo(replyText(await ctx.control.call('INFO')));
      ctx.observe(info);
      if (infoNumber(info, field) === 1) {
        seen = true;
        break;
      }
    } catch (err) {
      error = `INFO failed while waiting for ${command}: ${(err as Error).message}`;
    }
  }
  const killedAt = ctx.signal('SIGKILL');
  if (!error && !seen) error = `${command} was never seen in progress within ${OBSERVE_TIMEOUT_MS} ms (finished too fast? use a preload)`;
  const note = seen ? `${command} in progress, killed ${(killedAt - triggeredAt).toFixed(1)} ms after issuing it` : undefined;
  return { signal: 'SIGKILL', killedAt, triggeredAtEpochMs, ...(note ? { note } : {}), ...(error ? { error } : {}) };
}

export const sigkillDuringBgsave = {
  kind: 'sigkill-during-bgsave',
  style: 'crash',
  describe: (plan) => `BGSAVE at ${plan.atMs} ms, SIGKILL while it runs`,
  plan: (rng, scenario) => ({ kind: 'sigkill-during-bgsave', atMs: planKillTime(rng, scenario) }),
  inject: (ctx) => killWhenInProgress(ctx, 'BGSAVE', 'rdb_bgsave_in_progress'),
  async afterExit({ dataDir, outcome }) {
    if (outcome.error || outcome.triggeredAtEpochMs === undefined) return;
    try {
      const st = await fs.stat(path.join(dataDir, DATA_FILES.dbfilename));
      if (st.mtimeMs >= outcome.triggeredAtEpochMs) {
        return { ...outcome, error: 'the BGSAVE completed its file before the kill landed (too little data: use a preload)' };
      }
    } catch {
      /* no snapshot file: killed mid-save, as planned */
    }
  },
} satisfies Fault;

export const sigkillDuringRewrite = {
  kind: 'sigkill-during-rewrite',
  style: 'crash',
  describe: (plan) => `BGREWRITEAOF at ${plan.atMs} ms, SIGKILL while it runs`,
  plan: (rng, scenario) => ({ kind: 'sigkill-during-rewrite', atMs: planKillTime(rng, scenario) }),
  inject: (ctx) => killWhenInProgress(ctx, 'BGREWRITEAOF', 'aof_rewrite_in_progress'),
} satisfies Fault;
