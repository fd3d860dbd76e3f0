/**
 * The plain signal faults: SIGKILL (a crash) and SIGTERM (a graceful shutdown) at a seeded
 * time. The INFO read just before the signal lets a snapshot that started since the last
 * monitor poll count in the fork figures.
 */
import { planKillTime, sleepUntil, type Fault } from './fault.js';

export const sigkill = {
  kind: 'sigkill',
  style: 'crash',
  describe: (plan) => `SIGKILL at ${plan.atMs} ms`,
  plan: (rng, scenario) => ({ kind: 'sigkill', atMs: planKillTime(rng, scenario) }),
  async inject(ctx) {
    await sleepUntil(ctx.t0 + ctx.plan.atMs);
    await ctx.finalInfo();
    return { signal: 'SIGKILL', killedAt: ctx.signal('SIGKILL') };
  },
} satisfies Fault;

export const sigterm = {
  kind: 'sigterm',
  style: 'graceful',
  describe: (plan) => `SIGTERM (graceful shutdown) at ${plan.atMs} ms`,
  plan: (rng, scenario) => ({ kind: 'sigterm', atMs: planKillTime(rng, scenario) }),
  async inject(ctx) {
    await sleepUntil(ctx.t0 + ctx.plan.atMs);
    await ctx.finalInfo();
    return { signal: 'SIGTERM', killedAt: ctx.signal('SIGTERM') };
  },
} satisfies Fault;
