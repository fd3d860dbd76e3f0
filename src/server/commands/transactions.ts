import * as R from '../resp/encoder.js';
import { TxState } from '../tx-state.js';
import { watchRegistry } from '../watch-registry.js';
import { cmd, type Client, type Command, type Ctx } from './command.js';

/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH, with Redis 7.0's replies (multi.c). Queuing the
 * commands between MULTI and EXEC, and running them at EXEC, is dispatch's job (it owns the
 * checks and propagation, as processCommand and call() do in Redis); these handlers change
 * the client's transaction state.
 */

export function txOf(client: Client): TxState {
  return (client.tx ??= new TxState());
}

function multi(ctx: Ctx): string {
  const tx = txOf(ctx.client);
  if (tx.multi) return R.error('ERR MULTI calls can not be nested');
  tx.multi = true;
  return R.OK;
}

function discard(ctx: Ctx): string {
  const tx = ctx.client.tx;
  if (tx === undefined || !tx.multi) return R.error('ERR DISCARD without MULTI');
  tx.discard();
  return R.OK;
}

function watch(ctx: Ctx, argv: string[]): string {
  const tx = txOf(ctx.client);
  if (tx.multi) return R.error('ERR WATCH inside MULTI is not allowed');
  // no point in watching once a watched key was touched
  if (tx.dirtyCas) return R.OK;
  const reg = (tx.registry ??= watchRegistry(ctx.ks));
  for (let i = 1; i < argv.length; i++) reg.watch(tx, argv[i]!);
  return R.OK;
}

function unwatch(ctx: Ctx): string {
  const tx = ctx.client.tx;
  if (tx !== undefined) {
    tx.unwatch();
    tx.dirtyCas = false;
  }
  return R.OK;
}

export const EXEC_WITHOUT_MULTI = '-ERR EXEC without MULTI\r\n';

export const transactionCommands: Command[] = [
  cmd('multi', 1, ['noscript', 'loading', 'fast'], [0, 0, 0], multi),
  // In MULTI, dispatch runs the queue instead (execTransaction); this is EXEC anywhere else.
  cmd('exec', 1, ['noscript', 'loading'], [0, 0, 0], () => EXEC_WITHOUT_MULTI),
  cmd('discard', 1, ['noscript', 'loading', 'fast'], [0, 0, 0], discard),
  cmd('watch', -2, ['noscript', 'loading', 'fast'], [1, -1, 1], watch),
  cmd('unwatch', 1, ['noscript', 'loading', 'fast'], [0, 0, 0], unwatch),
];
