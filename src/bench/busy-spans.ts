/**
 * The longest stretches a V8 CPU profile (`node --cpu-prof`) spent busy: runs of consecutive
 * samples that are not `(idle)`, each with the functions most often on top of the stack
 * (self) and anywhere on it (inclusive). What a `--cpu-prof` of the server under an open
 * loop needs to show where a client's wait went: a stall is a long busy span. A span with
 * few samples for its length means the thread was off its CPU (samples arrive late).
 * Pure: profile in, spans out (profile-spans.ts prints them).
 */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface BusySpan {
  /** ms since the profile's start */
  atMs: number;
  durationMs: number;
  samples: number;
  /** function (file:line) → samples where it was on top, most first */
  self: [string, number][];
  /** function → samples where it was anywhere on the stack, most first */
  inclusive: [string, number][];
}

export function busySpans(p: CpuProfile, opts: { fromMs?: number; top?: number } = {}): BusySpan[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id: number): string => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber}`;
  };
  const runs: { start: number; end: number; ids: number[] }[] = [];
  let cur: { start: number; end: number; ids: number[] } | null = null;
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    const id = p.samples[i]!;
    if (byId.get(id)?.callFrame.functionName === '(idle)') {
      if (cur) runs.push({ ...cur, end: t });
      cur = null;
    } else {
      cur ??= { start: t, end: t, ids: [] };
      cur.ids.push(id);
    }
  }
  if (cur) runs.push({ ...cur, end: t });
  const from = (opts.fromMs ?? 0) * 1000;
  const sorted = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1]);
  return runs
    .filter((r) => r.start - p.startTime >= from)
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, opts.top ?? 5)
    .map((r) => {
      const self = new Map<string, number>();
      const incl = new Map<string, number>();
      for (const id of r.ids) {
        self.set(name(id), (self.get(name(id)) ?? 0) + 1);
        const seen = new Set<string>();
        for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
          const nm = name(x);
          if (!seen.has(nm)) incl.set(nm, (incl.get(nm) ?? 0) + 1);
          seen.add(nm);
        }
      }
      return { atMs: (r.start - p.startTime) / 1000, durationMs: (r.end - r.start) / 1000, samples: r.ids.length, self: sorted(self), inclusive: sorted(incl) };
    });
}
