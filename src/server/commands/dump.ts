import { dumpPayload, restorePayload, verifyPayload } from '../persistence/rdb/dump.js';
import { bulk, nullBulk, OK } from '../resp/encoder.js';
import { cmd, parseInteger, rewrite, type Command, type Ctx, SYNTAX, NOT_INT } from './command.js';
import { err } from './args.js';
import { clockIdleFor } from '../lru-clock.js';

/**
 * DUMP and RESTORE (cluster.c): Redis's serialization (RDB value, 2-byte RDB version, CRC-64),
 * so payloads move between redis-server and the built-in server both ways.
 */

function dump(ctx: Ctx, argv: string[]): string {
  const v = ctx.ks.get(argv[1]!);
  if (v === undefined) return nullBulk(ctx.resp);
  return bulk(dumpPayload(v).latin1Slice());
}

/**
 * RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f]. A relative TTL is
 * propagated as the absolute time with ABSTTL; a restore already expired propagates DEL
 * (when REPLACE removed a key) or nothing. IDLETIME sets the key's access clock (FREQ is
 * checked, not kept: no LFU policy).
 */
function restore(ctx: Ctx, argv: string[]): string {
  let replace = false;
  let absttl = false;
  let idle = -1;
  let freq = -1;
  for (let j = 4; j < argv.length; j++) {
    const o = argv[j]!.toLowerCase();
    const more = j + 1 < argv.length;
    if (o === 'replace') replace = true;
    else if (o === 'absttl') absttl = true;
    else if (o === 'idletime' && more && freq === -1) {
      idle = parseInteger(argv[++j]!) ?? NaN;
      if (Number.isNaN(idle)) return NOT_INT;
      if (idle < 0) return err('Invalid IDLETIME value, must be >= 0');
    } else if (o === 'freq' && more && idle === -1) {
      freq = parseInteger(argv[++j]!) ?? NaN;
      if (Number.isNaN(freq)) return NOT_INT;
      if (freq < 0 || freq > 255) return err('Invalid FREQ value, must be >= 0 and <= 255');
    } else return SYNTAX;
  }
  const key = argv[1]!;
  if (!replace && ctx.ks.get(key) !== undefined) return '-BUSYKEY Target key name already exists.\r\n';
  let ttl = parseInteger(argv[2]!);
  if (ttl === null) return NOT_INT;
  if (ttl < 0) return err('Invalid TTL value, must be >= 0');
  const payload = Buffer.from(argv[3]!, 'latin1');
  if (!verifyPayload(payload)) return err('DUMP payload version or checksum are wrong');
  const v = restorePayload(payload, key);
  if (v === null) return err('Bad data format');
  const deleted = replace && ctx.ks.get(key) !== undefined && ctx.ks.delete(key);
  if (ttl > 0 && !absttl) ttl += Date.now();
  // checkAlreadyExpired: not while loading (an AOF replays as written).
  if (ttl > 0 && ttl <= Date.now() && ctx.ks.expireOnRead) {
    if (deleted) rewrite(ctx, ['DEL', key]);
    return OK;
  }
  ctx.ks.set(key, v);
  if (idle >= 0) ctx.ks.data.setClock(ctx.ks.data.find(key), clockIdleFor(idle));
  if (ttl > 0) {
    ctx.ks.setExpire(key, ttl);
    if (!absttl) {
      const out = argv.slice();
      out[2] = String(ttl);
      out.push('ABSTTL');
      rewrite(ctx, out);
    }
  }
  return OK;
}

export const dumpCommands: Command[] = [
  cmd('dump', 2, ['readonly'], [1, 1, 1], dump),
  cmd('restore', -4, ['write'], [1, 1, 1], restore),
];
