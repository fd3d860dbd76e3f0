import { cloneWithEncoding, objectEncoding } from '../encoding.js';
import { idleSeconds } from '../lru-clock.js';
import { copiedString, stringEncoding, stringRefcount } from '../string-encoding.js';
import { bulk, int, nullBulk, simple, ONE, ZERO } from '../resp/encoder.js';
import { cmd, type Command, type Ctx, SYNTAX } from './command.js';
import { dbIndex, SAME_OBJECT } from './db-cmds.js';
import { err } from './args.js';

/** EXPIRETIME, PEXPIRETIME, TOUCH, COPY, OBJECT (db.c, expire.c, object.c). */

function expiretime(ms: boolean) {
  return (ctx: Ctx, argv: string[]): string => {
    const key = argv[1]!;
    if (!ctx.ks.has(key)) return int(-2);
    const at = ctx.ks.getExpire(key);
    if (at === undefined) return int(-1);
    return int(ms ? at : Math.trunc(at / 1000));
  };
}

function touch(ctx: Ctx, argv: string[]): string {
  let n = 0;
  for (let i = 1; i < argv.length; i++) if (ctx.ks.get(argv[i]!) !== undefined) n++;
  return int(n);
}

/** COPY source destination [DB destination-db] [REPLACE]: a deep copy, TTL included, into this or another database. */
function copy(ctx: Ctx, argv: string[]): string {
  const [, src, dst] = argv as [string, string, string];
  let replace = false;
  let dbid = ctx.client.db;
  for (let j = 3; j < argv.length; j++) {
    const o = argv[j]!.toLowerCase();
    if (o === 'replace') replace = true;
    else if (o === 'db' && j + 1 < argv.length) {
      const id = dbIndex(ctx, argv[++j]!);
      if (typeof id === 'string') return id;
      dbid = id;
    } else return SYNTAX;
  }
  const same = dbid === ctx.client.db;
  if (same && src === dst) return SAME_OBJECT;
  const from = ctx.ks;
  const v = from.get(src);
  if (v === undefined) return ZERO;
  const at = from.getExpire(src);
  const made = from.data.encodingOf(from.entry(src));
  const to = same ? from : ctx.dbs.get(dbid);
  if (to.get(dst) !== undefined) {
    if (!replace) return ZERO;
    to.delete(dst);
  }
  // A copy keeps the encoding (dupStringObject, hashTypeDup...), not a shared integer.
  to.set(dst, cloneWithEncoding(v), false, copiedString(made));
  if (at !== undefined) to.setExpire(dst, at);
  // In this database the dispatcher sees dst in argv; in another, say so (signalKeyAsReady).
  if (!same) ctx.blocking?.signalKey(dbid, dst);
  return ONE;
}

const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

/**
 * OBJECT ENCODING|REFCOUNT|FREQ|IDLETIME|HELP. FREQ answers as redis-server does under the
 * default (non-LFU) maxmemory-policy. The lookup does not stamp the key's access clock
 * (objectCommandLookup's LOOKUP_NOTOUCH).
 */
function object(ctx: Ctx, argv: string[]): string {
  const sub = argv[1]!.toLowerCase();
  if (sub === 'help') {
    if (argv.length !== 2) return err("wrong number of arguments for 'object|help' command");
    return '*' + OBJECT_HELP.length + '\r\n' + OBJECT_HELP.map(simple).join('');
  }
  if (sub !== 'encoding' && sub !== 'refcount' && sub !== 'freq' && sub !== 'idletime') {
    return err(`unknown subcommand '${argv[1]!.slice(0, 128)}'. Try OBJECT HELP.`);
  }
  if (argv.length !== 3) return err(`wrong number of arguments for 'object|${sub}' command`);
  const e = ctx.ks.entry(argv[2]!);
  if (e < 0) return nullBulk(ctx.resp);
  const t = ctx.ks.data;
  const v = t.value(e);
  switch (sub) {
    case 'encoding':
      return bulk(typeof v === 'string' ? stringEncoding(v, t.encodingOf(e)) : objectEncoding(v));
    case 'refcount':
      return int(typeof v === 'string' ? stringRefcount(v, t.encodingOf(e)) : 1);
    case 'freq':
      return err(
        'An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      );
    default:
      return int(idleSeconds(t.stampOf(e)));
  }
}

const K1 = [1, 1, 1] as const;

export const keyMetaCommands: Command[] = [
  cmd('expiretime', 2, ['readonly', 'fast'], K1, expiretime(false)),
  cmd('pexpiretime', 2, ['readonly', 'fast'], K1, expiretime(true)),
  cmd('touch', -2, ['readonly', 'fast'], [1, -1, 1], touch),
  cmd('copy', -3, ['write'], [1, 2, 1], copy),
  cmd('object', -2, ['readonly'], [2, 2, 1], object),
];
