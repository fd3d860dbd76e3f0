/**
 * sigkill-during-load: SIGKILL at a seeded time as sigkill does; then the restart is killed
 * while it is still loading the data, and started again. The check reads the third server:
 * nothing more may be lost than the first crash lost (loading only reads the files, except
 * that a truncated AOF tail is trimmed, which a second load trims the same).
 *
 * The restarted server is launched without waiting for it to be ready; a raw socket PINGs it
 * about every millisecond. From the first -LOADING reply on, the kill waits a seeded 0–20 ms,
 * then lands right after the next -LOADING reply (synchronously, in the same callback). If
 * the server answers PONG first, the load finished before the kill could land: the trial
 * fails with that error (use a preload), never reported as a kill during a load. In mode
 * `none` nothing is ever loaded: the restart is a plain one, and the detail and note say so.
 * The servers it starts go through RestartContext.start, so the trial's sandbox kills them on
 * every way out.
 */
import net from 'node:net';
import { RunError } from '../../shared/errors.js';
import type { Rng } from '../../shared/prng.js';
import { logReason, waitExit } from '../targets/spawn.js';
import type { TargetHandle } from '../targets/target.js';
import { sigkill } from './signal-faults.js';
import { planKillTime, type Fault, type RestartContext, type RestartOutcome } from './fault.js';

export const KILL_DELAY_MAX_MS = 20;
const LOAD_WATCH_TIMEOUT_MS = 120_000;
const EXIT_TIMEOUT_MS = 10_000;
const PING = Buffer.from('*1\r\n$4\r\nPING\r\n');

export type LoadWatch =
  | { state: 'killed'; firstLoadingAt: number; killedAt: number; loadingReplies: number }
  | { state: 'ready'; firstLoadingAt: number | null; loadingReplies: number }
  | { state: 'exited' | 'timeout'; firstLoadingAt: number | null; loadingReplies: number };

/**
 * PINGs a starting server on a raw socket until it answers PONG, exits, or, once it answered
 * -LOADING and `delayMs` passed since the first such reply, calls kill() right on the next
 * -LOADING reply.
 */
export function killWhileLoading(h: TargetHandle, delayMs: number, kill: () => void, timeoutMs = LOAD_WATCH_TIMEOUT_MS): Promise<LoadWatch> {
  return new Promise((resolve) => {
    let done = false;
    let socket: net.Socket | null = null;
    let firstLoadingAt: number | null = null;
    let loadingReplies = 0;
    const finish = (w: LoadWatch): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve(w);
    };
    const timer = setTimeout(() => finish({ state: 'timeout', firstLoadingAt, loadingReplies }), timeoutMs);
    void h.exited.then(() => finish({ state: 'exited', firstLoadingAt, loadingReplies }));
    const attempt = (): void => {
      if (done) return;
      const s = net.connect({ port: h.port, host: '127.0.0.1', noDelay: true });
      socket = s;
      let pending = '';
      s.on('connect', () => s.write(PING));
      s.on('data', (chunk: Buffer) => {
        pending += chunk.toString('latin1');
        let eol: number;
        while (!done && (eol = pending.indexOf('\r\n')) >= 0) {
          const line = pending.slice(0, eol);
          pending = pending.slice(eol + 2);
          const now = performance.now();
          if (line.startsWith('-LOADING')) {
            loadingReplies++;
            firstLoadingAt ??= now;
            if (now - firstLoadingAt >= delayMs) {
              kill();
              finish({ state: 'killed', firstLoadingAt, killedAt: performance.now(), loadingReplies });
              return;
            }
            setTimeout(() => !done && s.write(PING), 1);
          } else if (line.startsWith('-')) {
            setTimeout(() => !done && s.write(PING), 1);
          } else {
            finish({ state: 'ready', firstLoadingAt, loadingReplies });
          }
        }
      });
      s.on('error', () => undefined);
      s.on('close', () => {
        if (!done) setTimeout(attempt, 1);
      });
    };
    attempt();
  });
}

/** The seeded wait between the first -LOADING reply and the kill. */
export function planKillDelay(rng: Rng): number {
  return Math.round(rng.range(0, KILL_DELAY_MAX_MS));
}

export async function restartKillingLoad(ctx: RestartContext): Promise<RestartOutcome> {
  const delay = planKillDelay(ctx.rng);
  if (ctx.mode === 'none') {
    // nothing is ever loaded in this mode: a plain restart, and the detail says the fault did not apply
    return { handle: await ctx.start(), note: 'mode none loads nothing: the restart was not killed', detail: { killed_during_load: 0, load_killed_after_ms: null } };
  }
  const first = await ctx.start({ waitFor: 'spawned' });
  const w = await killWhileLoading(first, delay, () => first.kill('SIGKILL'));
  if (w.state === 'ready') {
    return {
      handle: first,
      detail: { killed_during_load: 0, load_killed_after_ms: null },
      error: `the load finished before the kill landed (${w.loadingReplies} -LOADING replies seen): too little data, use a preload`,
    };
  }
  if (w.state !== 'killed') {
    if (first.alive) first.kill('SIGKILL');
    await waitExit(first, EXIT_TIMEOUT_MS, 'SIGKILL').catch(() => undefined);
    const tail = logReason(first.logFile);
    const why = w.state === 'exited' ? 'exited while starting' : `neither loaded nor answered within ${LOAD_WATCH_TIMEOUT_MS} ms`;
    throw new RunError(`${first.kind} server on port ${first.port} ${why}${tail ? ` — log: ${tail}` : ''}`);
  }
  await waitExit(first, EXIT_TIMEOUT_MS, 'SIGKILL during the load');
  const second = await ctx.start();
  const ms = (x: number): number => Math.round(x * 10) / 10;
  return {
    handle: second,
    note: `restart killed ${ms(w.killedAt - first.spawnedAt)} ms after its spawn, ${ms(w.killedAt - w.firstLoadingAt)} ms into its load (${w.loadingReplies} -LOADING replies); started again`,
    detail: {
      killed_during_load: 1,
      load_killed_after_ms: ms(w.killedAt - first.spawnedAt),
      load_seen_after_ms: ms(w.firstLoadingAt - first.spawnedAt),
    },
  };
}

export const sigkillDuringLoad = {
  kind: 'sigkill-during-load',
  style: 'crash',
  describe: (plan) => `SIGKILL at ${plan.atMs} ms; the restart SIGKILLed while it loads, then started again`,
  plan: (rng, scenario) => ({ kind: 'sigkill-during-load', atMs: planKillTime(rng, scenario) }),
  inject: (ctx) => sigkill.inject(ctx),
  restart: restartKillingLoad,
} satisfies Fault;
