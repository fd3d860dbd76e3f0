import * as R from '../resp/encoder.js';
import { cmd, type Command, type Ctx, NOT_FLOAT } from './command.js';
import { globMatch } from './glob.js';
import { setEncodingLimits } from '../encoding.js';
import { parseMemory } from '../config-options.js';

/** Server-level commands: INFO, CONFIG, COMMAND, TIME, DEBUG, SHUTDOWN and persistence triggers. */

function config(ctx: Ctx, argv: string[]): string {
  const sub = argv[1]!.toLowerCase();
  if (sub === 'get') {
    if (argv.length < 3) return R.error(`ERR wrong number of arguments for 'config|get' command`);
    // configGetCommand: a name without glob characters is looked up and answered as typed;
    // a pattern matches every name and alias, case-insensitively. Each option once.
    const all = ctx.server.configGet('*');
    const found = new Map<string, [string, string]>();
    for (const p of argv.slice(2)) {
      const l = p.toLowerCase();
      if (!/[[*?]/.test(p)) {
        const hit = all.find(([k]) => k === l);
        if (hit && !found.has(l)) found.set(l, [p, hit[1]]);
        continue;
      }
      for (const [k, v] of all) if (!found.has(k) && globMatch(l, k)) found.set(k, [k, v]);
    }
    return R.map([...found.values()].map(([k, v]) => [k, R.bulk(v)]), ctx.resp);
  }
  if (sub === 'set') {
    if (argv.length < 4 || argv.length % 2 !== 0) return R.error(`ERR wrong number of arguments for 'config|set' command`);
    try {
      for (let i = 2; i < argv.length; i += 2) ctx.server.configSet(argv[i]!.toLowerCase(), argv[i + 1]!);
    } catch (e) {
      return R.error('ERR ' + (e as Error).message);
    }
    return R.OK;
  }
  if (sub === 'resetstat') {
    ctx.server.resetStats();
    return R.OK;
  }
  if (sub === 'rewrite') return R.error('ERR The server is running without a config file');
  return R.error(`ERR unknown subcommand '${argv[1]}'. Try CONFIG HELP.`);
}

function commandInfo(c: Command, resp: R.Proto): string {
  const flags = (resp === 3 ? '~' : '*') + c.flags.length + '\r\n' + c.flags.map((f) => R.simple(f)).join('');
  return R.array([
    R.bulk(c.name),
    R.int(c.arity),
    flags,
    R.int(c.firstKey),
    R.int(c.lastKey),
    R.int(c.step),
    R.EMPTY_ARRAY,
    R.EMPTY_ARRAY,
    R.EMPTY_ARRAY,
    R.EMPTY_ARRAY,
  ]);
}

function command(ctx: Ctx, argv: string[]): string {
  const all = ctx.server.commands();
  if (argv.length === 1) return R.array(all.map((c) => commandInfo(c, ctx.resp)));
  const sub = argv[1]!.toLowerCase();
  if (sub === 'count') return R.int(all.length);
  if (sub === 'info') {
    return R.array(argv.slice(2).map((n) => {
      const c = all.find((x) => x.name === n.toLowerCase());
      return c ? commandInfo(c, ctx.resp) : R.nullArray(ctx.resp);
    }));
  }
  if (sub === 'docs') {
    // redis-cli asks for docs to show hints; a summary per command is enough.
    const wanted = argv.length > 2 ? new Set(argv.slice(2).map((n) => n.toLowerCase())) : null;
    const pairs: Array<[string, string]> = all
      .filter((c) => wanted === null || wanted.has(c.name))
      .map((c) => [c.name, R.map([['summary', R.bulk(c.name)]], ctx.resp)]);
    return R.map(pairs, ctx.resp);
  }
  if (sub === 'list') return R.bulkArray(all.map((c) => c.name));
  return R.error(`ERR unknown subcommand '${argv[1]}'. Try COMMAND HELP.`);
}

function debug(ctx: Ctx, argv: string[]): string {
  const sub = argv[1]!.toLowerCase();
  if (sub === 'sleep' && argv.length === 3) {
    const s = Number(argv[2]);
    if (!Number.isFinite(s) || s < 0) return NOT_FLOAT;
    // Blocks the event loop on purpose, as Redis's DEBUG SLEEP does.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, s * 1000);
    return R.OK;
  }
  if (sub === 'quicklist-packed-threshold' && argv.length === 3) {
    // quicklistisSetPackedThreshold: up to just under 4 GB; 0 restores the 1 GB default.
    const n = parseMemory(argv[2]!);
    if (n === null || n > 2 ** 32 - 2 ** 20) return R.error('ERR argument must be a memory value bigger than 1 and smaller than 4gb');
    setEncodingLimits({ listPackedThreshold: n === 0 ? 2 ** 30 : n });
    return R.OK;
  }
  if (sub === 'reload' || sub === 'jmap') return R.error('ERR DEBUG ' + sub + ' is not supported');
  return R.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try DEBUG HELP.`);
}

function shutdown(ctx: Ctx, argv: string[]): string {
  let mode: 'save' | 'nosave' | 'default' = 'default';
  for (const a of argv.slice(1)) {
    const l = a.toLowerCase();
    if (l === 'save') mode = 'save';
    else if (l === 'nosave') mode = 'nosave';
    else if (l !== 'now' && l !== 'force' && l !== 'abort') return R.error('ERR syntax error');
  }
  // On success the process exits and no reply is sent, as with Redis.
  const err = ctx.server.shutdown(mode);
  return R.error(err ?? 'ERR Errors trying to SHUTDOWN. Check logs.');
}

export const adminCommands: Command[] = [
  cmd('info', -1, ['loading'], [0, 0, 0], (ctx, argv) => R.bulk(ctx.server.info(argv[1]?.toLowerCase(), ctx.client))),
  cmd('config', -2, ['admin', 'loading'], [0, 0, 0], config),
  cmd('command', -1, ['loading'], [0, 0, 0], command),
  cmd('time', 1, ['loading', 'fast'], [0, 0, 0], () => {
    const us = BigInt(Date.now()) * 1000n + BigInt(Math.floor((performance.now() % 1) * 1000));
    return R.bulkArray([String(us / 1000000n), String(us % 1000000n)]);
  }),
  cmd('debug', -2, ['admin', 'loading'], [0, 0, 0], debug),
  cmd('shutdown', -1, ['admin', 'loading', 'no_multi'], [0, 0, 0], shutdown),
  cmd('save', 1, ['admin', 'no_multi'], [0, 0, 0], (ctx) => ctx.server.save()),
  cmd('bgsave', -1, ['admin'], [0, 0, 0], (ctx, argv) => {
    if (argv.length > 2 || (argv.length === 2 && argv[1]!.toLowerCase() !== 'schedule')) return R.error('ERR syntax error');
    return ctx.server.bgsave(argv.length === 2);
  }),
  cmd('bgrewriteaof', 1, ['admin'], [0, 0, 0], (ctx) => ctx.server.bgrewriteaof()),
  cmd('lastsave', 1, ['loading', 'fast'], [0, 0, 0], (ctx) => R.int(ctx.server.lastsave())),
];
