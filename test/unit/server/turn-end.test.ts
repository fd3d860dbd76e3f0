import { describe, expect, it } from 'vitest';
import { atTurnEndBackground, atTurnEndReplies, nextTurn } from '../../../src/server/turn-end.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('turn end', () => {
  it('runs the reply flushes before background steps queued earlier', async () => {
    const ran: string[] = [];
    // a snapshot step queued by the previous turn, then a read's replies
    atTurnEndBackground(() => ran.push('step'));
    await Promise.resolve();
    atTurnEndReplies(() => ran.push('replies'));
    await turn();
    expect(ran).toEqual(['replies', 'step']);
  });

  it('runs a job queued by a job at the next turn, not in the same one', async () => {
    const ran: string[] = [];
    atTurnEndBackground(() => {
      ran.push('step 1');
      atTurnEndBackground(() => ran.push('step 2'));
      atTurnEndReplies(() => ran.push('replies 2'));
    });
    await turn();
    expect(ran).toEqual(['step 1']);
    await turn();
    expect(ran).toEqual(['step 1', 'replies 2', 'step 2']);
  });

  it('keeps running the other jobs when one throws, and throws its error on', async () => {
    const ran: string[] = [];
    const errors: unknown[] = [];
    const onError = (e: unknown): void => void errors.push(e);
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onError);
    try {
      atTurnEndReplies(() => {
        throw new Error('boom');
      });
      atTurnEndReplies(() => ran.push('replies'));
      atTurnEndBackground(() => ran.push('step'));
      await turn();
      await turn();
    } finally {
      process.off('uncaughtException', onError);
      for (const l of listeners) process.on('uncaughtException', l);
    }
    expect(ran).toEqual(['replies', 'step']);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('boom');
  });

  it('nextTurn resolves after the turn’s replies', async () => {
    const ran: string[] = [];
    const p = nextTurn().then(() => ran.push('slice'));
    atTurnEndReplies(() => ran.push('replies'));
    await p;
    expect(ran).toEqual(['replies', 'slice']);
  });
});
