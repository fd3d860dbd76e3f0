import fs from 'node:fs';

/** One collection of the main thread in a --trace-gc log. */
export interface GcPause {
  /** ms since the process started (V8's own clock in the line) */
  at: number;
  ms: number;
  major: boolean;
  /** V8's memory reducer ran it (`Mark-Compact (reduce)`): the heap was idle, no client waiting as a rule */
  reduce: boolean;
  /** a Mark-Compact that incremental marking led up to (`+ N ms in M steps`); false: all its marking in the pause */
  incremental: boolean;
  /** V8's words for what started it, e.g. `allocation failure; GC in old space requested` */
  reason: string;
}

/**
 * The main thread's collections in a built-in server's --trace-gc log (its stdout: the log
 * file), from byte `from` on. V8 flags are process-wide, so the RDB encoding thread's isolate
 * traces too, into the same stdout; its pauses hold no client (a read wait would show in the
 * INFO stall). Lines start `[pid:isolate address]`: the main isolate is the lowest address
 * (glibc allocates it from the main heap, a worker's from its thread's mmap'd arena at 0x7f…);
 * INFO gc_max_pause_usec, main thread only by construction, cross-checks it.
 */
export function gcPauses(logFile: string, from: number): GcPause[] {
  const text = fs.readFileSync(logFile, 'latin1');
  // the whole log, preload included, so the main isolate is known even if the stretch has none of its lines
  const isolates = [...text.matchAll(/^\[\d+:0x([0-9a-f]+)\]/gm)].map((m) => BigInt(`0x${m[1]}`));
  const main = isolates.reduce((lo, a) => (a < lo ? a : lo), isolates[0] ?? 0n);
  const out: GcPause[] = [];
  for (const m of text.slice(from).matchAll(/^\[\d+:0x([0-9a-f]+)\]\s+(\d+) ms: (Mark-Compact|Scavenge|Minor Mark-Sweep)( \(reduce\))?[^,\n]*, ([\d.]+) \/ [\d.]+ ms(.*)$/gm)) {
    if (BigInt(`0x${m[1]}`) !== main) continue;
    const rest = m[6]!;
    const cut = rest.lastIndexOf(') ');
    out.push({
      at: Number(m[2]),
      ms: Number(m[5]),
      major: m[3] === 'Mark-Compact',
      reduce: m[4] !== undefined,
      incremental: rest.includes('steps since start of marking'),
      reason: (cut < 0 ? rest : rest.slice(cut + 2)).trim(),
    });
  }
  return out;
}

/** The longest major and minor pauses of the main thread from byte `from` on (0 for none). */
export function longestGcPauses(logFile: string, from: number): { major: number; minor: number } {
  let major = 0;
  let minor = 0;
  for (const p of gcPauses(logFile, from)) {
    if (p.major) major = Math.max(major, p.ms);
    else minor = Math.max(minor, p.ms);
  }
  return { major, minor };
}
