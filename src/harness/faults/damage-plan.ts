/**
 * Pure helpers of the file-damaging faults (torn-tail, corrupt): which file to damage, where
 * to cut it and which bytes to flip, all reproducible from the seed. No I/O here; the faults
 * read and write the files. The RESP and RDB walks are the harness's own (they share no code
 * with the built-in server's loaders, so they can judge them).
 */
import type { Rng } from '../../shared/prng.js';

/** At most this many bytes are torn off a file's end (a torn write spans a page or a few). */
export const TEAR_MAX_BYTES = 4096;

/**
 * The AOF file a crash tears: the incr file the manifest names last (the one being appended
 * to). Without a manifest or an incr line, the most recently modified `*.aof` file. null when
 * there is none.
 */
export function newestAof(manifest: string | null, files: readonly { name: string; mtimeMs: number }[]): string | null {
  if (manifest !== null) {
    let last: string | null = null;
    for (const raw of manifest.split('\n')) {
      const m = /(?:^|\s)file\s+(\S+)(?:\s|$)/.exec(raw);
      const t = /(?:^|\s)type\s+(\S+)(?:\s|$)/.exec(raw);
      if (m && t?.[1] === 'i') last = m[1]!;
    }
    if (last !== null && files.some((f) => f.name === last)) return last;
  }
  const aofs = files.filter((f) => f.name.endsWith('.aof'));
  aofs.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.name < b.name ? 1 : -1));
  return aofs[0]?.name ?? null;
}

/** The offset a file of `size` bytes is cut at: 1..TEAR_MAX_BYTES bytes before its end. */
export function tearOffset(size: number, rng: Rng): number {
  if (size <= 0) return 0;
  return size - 1 - rng.int(Math.min(size, TEAR_MAX_BYTES));
}

/** Where each byte of an AOF's RESP commands belongs. */
export type AofByteKind = 'framing' | 'payload';

export interface RespSpan {
  from: number;
  to: number;
  kind: AofByteKind;
  /** framing: 'array header' | 'bulk header' | 'bulk CRLF'; payload: 'command name' | 'key' | 'value' */
  where: string;
}

export interface RespScan {
  spans: RespSpan[];
  /** end offset of each complete command, ascending */
  commandEnds: number[];
  /** where the walk stopped: the file's length, or the first byte it could not read */
  valid: number;
}

function lineEnd(buf: Buffer, at: number): number {
  const i = buf.indexOf(10, at); // '\n'
  return i < 0 || i === at || buf[i - 1] !== 13 ? -1 : i + 1;
}

function header(buf: Buffer, at: number, sigil: number): { n: number; end: number } | null {
  if (buf[at] !== sigil) return null;
  const end = lineEnd(buf, at);
  if (end < 0) return null;
  const text = buf.latin1Slice(at + 1, end - 2);
  if (!/^\d{1,10}$/.test(text)) return null;
  return { n: Number(text), end };
}

/** Walks RESP arrays of bulk strings (an AOF's commands), noting every byte's kind. */
export function scanResp(buf: Buffer): RespScan {
  const spans: RespSpan[] = [];
  const commandEnds: number[] = [];
  let at = 0;
  outer: while (at < buf.length) {
    const start = at;
    const mark = spans.length;
    const arr = header(buf, at, 42); // '*'
    if (!arr) break;
    spans.push({ from: at, to: arr.end, kind: 'framing', where: 'array header' });
    at = arr.end;
    for (let i = 0; i < arr.n; i++) {
      const bulk = header(buf, at, 36); // '$'
      if (!bulk || bulk.end + bulk.n + 2 > buf.length) {
        spans.length = mark;
        at = start;
        break outer;
      }
      spans.push({ from: at, to: bulk.end, kind: 'framing', where: 'bulk header' });
      const where = i === 0 ? 'command name' : i === 1 ? 'key' : 'value';
      if (bulk.n > 0) spans.push({ from: bulk.end, to: bulk.end + bulk.n, kind: 'payload', where });
      spans.push({ from: bulk.end + bulk.n, to: bulk.end + bulk.n + 2, kind: 'framing', where: 'bulk CRLF' });
      at = bulk.end + bulk.n + 2;
    }
    commandEnds.push(at);
  }
  return { spans, commandEnds, valid: at };
}

/** Commands a cut at `offset` removes whole or in part (their end lies past the cut). */
export function commandsCut(scan: RespScan, offset: number): number {
  let lo = 0;
  let hi = scan.commandEnds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (scan.commandEnds[mid]! > offset) hi = mid;
    else lo = mid + 1;
  }
  return scan.commandEnds.length - lo;
}

export interface FlipPlan {
  /** ascending offsets of the flipped bytes */
  offsets: number[];
  /** XOR masks, one per offset (never 0, never 0x20: a letter's case flip is no damage to a command name) */
  masks: number[];
  kind: AofByteKind | 'rdb';
  /** which parts of the format the bytes belong to, in offset order, each once ('key, value') */
  where: string;
}

/** A seeded XOR mask that changes a byte: 1..255 except 0x20. */
function mask(rng: Rng): number {
  const m = 1 + rng.int(254);
  return m >= 0x20 ? m + 1 : m;
}

/** A seeded count of bytes to flip: 1..4. */
function flipCount(rng: Rng): number {
  return 1 + rng.int(4);
}

/**
 * Flips in an AOF: a seeded kind (framing or payload, half the time each), then 1–4 seeded
 * bytes of that kind in the middle half of [from, to) — the part the write phase appended,
 * so the checker sees what the flip did (a preloaded value is not read back). null when no
 * byte of either kind lies there.
 */
export function planAofFlips(scan: RespScan, from: number, to: number, rng: Rng): FlipPlan | null {
  const len = Math.max(0, to - from);
  const lo = from + Math.floor(len / 4);
  const hi = from + Math.ceil((3 * len) / 4);
  const wanted: AofByteKind = rng.int(2) === 0 ? 'framing' : 'payload';
  const n = flipCount(rng);
  for (const kind of [wanted, wanted === 'framing' ? 'payload' : 'framing'] as const) {
    const spans = scan.spans
      .filter((s) => s.kind === kind && s.to > lo && s.from < hi)
      .map((s) => ({ ...s, from: Math.max(s.from, lo), to: Math.min(s.to, hi) }));
    const total = spans.reduce((a, s) => a + s.to - s.from, 0);
    if (total === 0) continue;
    const picks = new Map<number, string>();
    for (let k = 0; k < n; k++) {
      let r = rng.int(total);
      for (const s of spans) {
        if (r < s.to - s.from) {
          picks.set(s.from + r, s.where);
          break;
        }
        r -= s.to - s.from;
      }
    }
    const offsets = [...picks.keys()].sort((a, b) => a - b);
    const where = [...new Set(offsets.map((o) => picks.get(o)!))].join(', ');
    return { offsets, masks: offsets.map(() => mask(rng)), kind, where };
  }
  return null;
}

const isValueByte = (c: number): boolean => (c >= 48 && c <= 58) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** a run of this many value bytes ([0-9A-Za-z:]) can only be inside a stored value */
const VALUE_RUN = 32;

/**
 * Flips in an RDB: 1–4 seeded bytes inside one stored value, near a seeded spot of the middle
 * half of the file. A changed value leaves the structure readable, so the loader can only
 * catch it by the file's CRC64: the refusal must then be the checksum's. When no value run is
 * found (small or binary values), the seeded spot itself ('any byte').
 */
export function planRdbFlips(buf: Buffer, rng: Rng): FlipPlan | null {
  // the 9-byte header and the 9-byte EOF + CRC64 trailer are not the middle of anything
  if (buf.length < 32) return null;
  const lo = Math.floor(buf.length / 4);
  const hi = Math.ceil((3 * buf.length) / 4);
  const spot = lo + rng.int(Math.max(1, hi - lo));
  const n = flipCount(rng);
  for (let i = spot; i < buf.length - 9; i++) {
    let runStart = i;
    while (runStart > 0 && isValueByte(buf[runStart - 1]!)) runStart--;
    let runEnd = i;
    while (runEnd < buf.length && isValueByte(buf[runEnd]!)) runEnd++;
    if (runEnd - runStart >= VALUE_RUN) {
      // clear of the run's head (the key and a length byte that reads as a letter: 100 is 'd')
      // and of its end (the next record)
      const a = runStart + 16;
      const b = runEnd - 4;
      const picks = new Set<number>();
      for (let k = 0; k < n; k++) picks.add(a + rng.int(b - a));
      const offsets = [...picks].sort((x, y) => x - y);
      return { offsets, masks: offsets.map(() => mask(rng)), kind: 'rdb', where: 'value' };
    }
    i = runEnd;
  }
  return { offsets: [spot], masks: [mask(rng)], kind: 'rdb', where: 'any byte' };
}

/** Applies a flip plan to a copy of buf. */
export function applyFlips(buf: Buffer, plan: FlipPlan): Buffer {
  const out = Buffer.from(buf);
  plan.offsets.forEach((o, k) => {
    out[o] = out[o]! ^ plan.masks[k]!;
  });
  return out;
}
