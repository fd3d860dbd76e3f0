/**
 * Faults that damage the files a crash left: SIGKILL at a seeded time as sigkill does, then,
 * after the process exited and before the restart,
 *  - torn-tail: cut the newest AOF file (the incr file the manifest names last) 1–4096 seeded
 *    bytes before its end, as a torn final write leaves it. Both servers must trim the partial
 *    command (aof-load-truncated yes, the default) and start: the loss is the cut commands.
 *  - corrupt: XOR 1–4 seeded bytes in the middle of the part of the newest AOF file the write
 *    phase appended, all framing bytes (`*3`, `$5`, CRLF) or all payload bytes (command name,
 *    key, value), the kind seeded. The AOF has no checksum: a changed payload byte cannot be
 *    caught by either server and comes back as wrong data (a true result, reported loudly);
 *    a framing byte mostly makes the load fail (refused), and some (a bulk's trailing CRLF)
 *    redis-server never looks at.
 * Modes without an AOF: `rdb` cuts / flips dump.rdb instead (1–4 bytes inside a stored value,
 * so its CRC64 is what catches it): refusing is the correct answer there. `none` keeps
 * nothing on disk: nothing is damaged, and the detail and note say so.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Mode } from '../../shared/types.js';
import { DATA_FILES, hasAof } from '../targets/modes.js';
import {
  applyFlips,
  commandsCut,
  newestAof,
  planAofFlips,
  planRdbFlips,
  scanResp,
  tearOffset,
} from './damage-plan.js';
import { sigkill } from './signal-faults.js';
import { planKillTime, sleepUntil, type AfterExitContext, type Fault, type FaultContext, type FaultOutcome } from './fault.js';

/** The file a fault damages in this mode (relative to the data dir), or null with why not. */
export async function damageTarget(dataDir: string, mode: Mode): Promise<{ file: string | null; why: string }> {
  if (hasAof(mode)) {
    const dir = path.join(dataDir, DATA_FILES.appenddirname);
    const manifest = await fs.readFile(path.join(dir, `${DATA_FILES.appendfilename}.manifest`), 'latin1').catch(() => null);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const files = await Promise.all(names.map(async (name) => ({ name, mtimeMs: (await fs.stat(path.join(dir, name))).mtimeMs })));
    const f = newestAof(manifest, files);
    return f ? { file: path.join(DATA_FILES.appenddirname, f), why: '' } : { file: null, why: 'no AOF file in the data dir' };
  }
  const rdb = path.join(dataDir, DATA_FILES.dbfilename);
  if (await fs.stat(rdb).then(() => true, () => false)) return { file: DATA_FILES.dbfilename, why: '' };
  return { file: null, why: mode === 'none' ? 'mode none keeps nothing on disk' : 'no RDB file on disk yet (no snapshot completed)' };
}

async function sizeOf(file: string): Promise<number | null> {
  return fs.stat(file).then((s) => s.size, () => null);
}

/**
 * The sigkill injection; first notes the newest AOF file and its size, where the write
 * phase's appends begin (carried to afterExit in the outcome's detail, removed there).
 */
async function killAndNoteStart(ctx: FaultContext, dataDir: string): Promise<FaultOutcome> {
  const t = hasAof(ctx.mode) ? await damageTarget(dataDir, ctx.mode) : { file: null };
  const size = t.file ? await sizeOf(path.join(dataDir, t.file)) : null;
  await sleepUntil(ctx.t0 + ctx.plan.atMs);
  await ctx.finalInfo();
  const killedAt = ctx.signal('SIGKILL');
  return { signal: 'SIGKILL', killedAt, detail: t.file && size !== null ? { write_phase_file: t.file, write_phase_from: size } : {} };
}

const nothing = (why: string, keys: Record<string, number | string | null>): Pick<FaultOutcome, 'note' | 'detail'> => ({
  note: `nothing to damage: ${why}`,
  detail: { ...keys, damage_skipped: why },
});

export const tornTail = {
  kind: 'torn-tail',
  style: 'crash',
  describe: (plan) => `SIGKILL at ${plan.atMs} ms, then the newest AOF file (or the RDB) cut short`,
  plan: (rng, scenario) => ({ kind: 'torn-tail', atMs: planKillTime(rng, scenario) }),
  // a torn RDB fails its length or CRC64 checks: refusing is right. A torn AOF tail must be trimmed.
  refusalIsCorrect: (mode) => !hasAof(mode) && mode !== 'none',
  inject: (ctx) => sigkill.inject(ctx),
  async afterExit({ dataDir, mode, rng, outcome }: AfterExitContext) {
    const t = await damageTarget(dataDir, mode);
    const base = { ...outcome.detail };
    if (!t.file) return { ...outcome, ...nothing(t.why, { ...base, cut_file: null, cut_bytes: 0 }) };
    const file = path.join(dataDir, t.file);
    const buf = await fs.readFile(file);
    if (buf.length === 0) return { ...outcome, ...nothing(`${t.file} is empty`, { ...base, cut_file: t.file, cut_bytes: 0 }) };
    const at = tearOffset(buf.length, rng);
    const isAof = t.file.endsWith('.aof');
    const scan = isAof ? scanResp(buf) : null;
    await fs.truncate(file, at);
    const cutCommands = scan ? commandsCut(scan, at) : null;
    return {
      ...outcome,
      note: `cut ${buf.length - at} bytes off ${t.file} (${buf.length} → ${at})${cutCommands !== null ? `, ${cutCommands} command(s) cut whole or in part` : ''}`,
      detail: { ...base, cut_file: t.file, cut_bytes: buf.length - at, cut_offset: at, cut_commands: cutCommands },
    };
  },
} satisfies Fault;

export const corrupt = {
  kind: 'corrupt',
  style: 'crash',
  describe: (plan) => `SIGKILL at ${plan.atMs} ms, then seeded bytes flipped in the newest AOF file (or the RDB)`,
  plan: (rng, scenario) => ({ kind: 'corrupt', atMs: planKillTime(rng, scenario) }),
  // damaged files: refusing is always a correct answer (where there is a file to damage)
  refusalIsCorrect: (mode) => mode !== 'none',
  inject: (ctx) => killAndNoteStart(ctx, ctx.handle.dir),
  async afterExit({ dataDir, mode, rng, outcome }: AfterExitContext) {
    const t = await damageTarget(dataDir, mode);
    const { write_phase_file: startFile, write_phase_from: startSize, ...base } = outcome.detail ?? {};
    const none = { corrupt_file: t.file, flipped_bytes: 0, corrupt_offset: null, corrupt_kind: null, corrupt_where: null };
    if (!t.file) return { ...outcome, ...nothing(t.why, { ...base, ...none }) };
    const file = path.join(dataDir, t.file);
    const buf = await fs.readFile(file);
    let plan;
    if (t.file.endsWith('.aof')) {
      // the write phase's appends, when the file is the one noted at its start; else the whole file
      const from = startFile === t.file && typeof startSize === 'number' && startSize < buf.length ? startSize : 0;
      plan = planAofFlips(scanResp(buf), from, buf.length, rng);
    } else {
      plan = planRdbFlips(buf, rng);
    }
    if (!plan) return { ...outcome, ...nothing(`no byte to flip in ${t.file} (${buf.length} bytes)`, { ...base, ...none }) };
    await fs.writeFile(file, applyFlips(buf, plan));
    const first = plan.offsets[0]!;
    return {
      ...outcome,
      note: `flipped ${plan.offsets.length} ${plan.kind} byte(s) of ${t.file} from offset ${first} (${plan.where})`,
      detail: {
        ...base,
        corrupt_file: t.file,
        flipped_bytes: plan.offsets.length,
        corrupt_offset: first,
        corrupt_kind: plan.kind,
        corrupt_where: plan.where,
      },
    };
  },
} satisfies Fault;
