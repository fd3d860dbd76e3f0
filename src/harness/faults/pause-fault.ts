/**
 * pause: the server is frozen (SIGSTOP) for a seeded 300–1500 ms, resumed (SIGCONT), and
 * SIGKILLed as sigkill does once writes flowed again for a while. What it shows is the
 * latency a stall costs the clients, and that a stall adds no loss (none is expected: a
 * stopped process loses nothing, and every write answered after SIGCONT went through the
 * same path as any other).
 *
 * The plan: the kill at a seeded time of the kill window; the pause ends at least SETTLE_MS
 * before it (a pause is shortened when the kill is too early for it) and starts at a seeded
 * time in the last three quarters of the room left before that. With a short kill window the
 * pause therefore starts before the window; the kill itself stays in it.
 *
 * The load driver never gives up on a write, so `client_timeouts` counts the writes a client
 * with a CLIENT_TIMEOUT_MS timeout would have given up on (answered later than that after they
 * were due, or not at all by then): to such a client they are indeterminate, though the
 * server applied them. The stall also shows as the trial's maximum write latency (maxMs), and
 * in `stalled_ping_ms`, the reply time of a PING the fault sends on its own connection right
 * after SIGSTOP (an independent reading).
 *
 * SIGSTOP and SIGCONT go to the server process only (TargetHandle.kill): a redis-server fork
 * child (a BGSAVE or rewrite in progress) keeps running through the pause. The SIGKILL, to the
 * process group, takes it too.
 */
import type { Scenario } from '../../shared/types.js';
import type { Rng } from '../../shared/prng.js';
import { withTimeout } from '../with-timeout.js';
import { planKillTime, sleepUntil, type Fault, type FaultPlan } from './fault.js';

export const PAUSE_MIN_MS = 300;
export const PAUSE_MAX_MS = 1500;
/** writes flow at least this long between SIGCONT and SIGKILL */
export const SETTLE_MS = 200;
/** the client timeout `client_timeouts` is counted against (ioredis and redis-py have none by default; 1 s is a common setting) */
export const CLIENT_TIMEOUT_MS = 1000;

/** Kill time, pause start and length; reproducible from the seed. */
export function planPause(rng: Rng, scenario: Scenario): FaultPlan {
  const atMs = planKillTime(rng, scenario);
  const seeded = rng.range(PAUSE_MIN_MS, PAUSE_MAX_MS);
  // leave at least 50 ms of writes before the pause and SETTLE_MS after it
  const pauseMs = Math.max(1, Math.min(seeded, atMs - SETTLE_MS - 50));
  const room = Math.max(0, atMs - SETTLE_MS - pauseMs);
  const pauseAtMs = Math.round(room / 4 + rng.range(0, Math.floor((3 * room) / 4)));
  return { kind: 'pause', atMs, params: { pauseAtMs, pauseMs } };
}

export const pause = {
  kind: 'pause',
  style: 'crash',
  describe: (plan) => `SIGSTOP at ${plan.params?.pauseAtMs} ms for ${plan.params?.pauseMs} ms, SIGCONT, SIGKILL at ${plan.atMs} ms`,
  plan: planPause,
  async inject(ctx) {
    const { pauseAtMs = 0, pauseMs = 0 } = ctx.plan.params ?? {};
    await sleepUntil(ctx.t0 + pauseAtMs);
    // an external target's stop is a command: the pause starts when it has run
    await ctx.handle.kill('SIGSTOP');
    const stoppedAt = performance.now();
    let pingMs: number | null = null;
    const ping = withTimeout(ctx.control.call('PING'), pauseMs + 5000, 'PING during the pause').then(
      () => void (pingMs = performance.now() - stoppedAt),
      () => undefined,
    );
    let resumedAt: number;
    try {
      await sleepUntil(stoppedAt + pauseMs);
    } finally {
      await ctx.handle.kill('SIGCONT');
      resumedAt = performance.now();
    }
    await ping;
    await sleepUntil(Math.max(ctx.t0 + ctx.plan.atMs, resumedAt + SETTLE_MS));
    await ctx.finalInfo();
    const timeouts = await ctx.load().slowWrites(CLIENT_TIMEOUT_MS);
    const killedAt = ctx.signal('SIGKILL');
    const paused = Math.round(resumedAt - stoppedAt);
    const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);
    return {
      signal: 'SIGKILL',
      killedAt,
      note: `paused ${paused} ms (SIGSTOP at ${Math.round(stoppedAt - ctx.t0)} ms), SIGKILL ${Math.round(killedAt - resumedAt)} ms after SIGCONT; ${timeouts} write(s) a client with a ${CLIENT_TIMEOUT_MS} ms timeout would have given up on`,
      detail: {
        pause_ms: paused,
        pause_at_ms: Math.round(stoppedAt - ctx.t0),
        client_timeouts: timeouts,
        client_timeout_ms: CLIENT_TIMEOUT_MS,
        stalled_ping_ms: round(pingMs),
      },
    };
  },
} satisfies Fault;
