/**
 * `npm run bench:zset`: the sorted set's ordered structure, three designs side by side in one
 * run, on the two access patterns that matter: a leaderboard (each ZADD followed by a top-10
 * ZRANGE read) and a bulk load (N ZADDs, then one full ordered read).
 *
 *   skiplist      src/server/zset.ts (what the server uses): O(log n) insert, rank and range
 *   sorted-array  binary-search insertion into one array: O(n) memmove per insert
 *   sort-on-read  the previous design: a Map, re-sorted on the first ordered read after a change
 *
 *   npm run bench:zset [-- --sizes 1000,10000,100000] [--json]
 *
 * Prints µs per operation and each design's time ÷ the skip list's (the machine is shared:
 * read the ratios, which come from the same run, not the absolute times).
 */
import { ZSet } from '../server/zset.js';

interface Design {
  add(member: string, score: number): void;
  /** The first n members in (score, member) order. */
  top(n: number): string[];
}

const cmp = (sa: number, a: string, sb: number, b: string): number => (sa !== sb ? (sa < sb ? -1 : 1) : a < b ? -1 : a > b ? 1 : 0);

class SortOnRead implements Design {
  private readonly scores = new Map<string, number>();
  private sorted: string[] | null = null;
  add(m: string, s: number): void {
    this.scores.set(m, s);
    this.sorted = null;
  }
  top(n: number): string[] {
    if (this.sorted === null) {
      const sc = this.scores;
      this.sorted = [...sc.keys()].sort((a, b) => cmp(sc.get(a)!, a, sc.get(b)!, b));
    }
    return this.sorted.slice(0, n);
  }
}

class SortedArray implements Design {
  private readonly scores = new Map<string, number>();
  private readonly members: string[] = [];
  private find(m: string, s: number): number {
    let lo = 0;
    let hi = this.members.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const x = this.members[mid]!;
      if (cmp(this.scores.get(x)!, x, s, m) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  add(m: string, s: number): void {
    const cur = this.scores.get(m);
    if (cur !== undefined) this.members.splice(this.find(m, cur), 1);
    this.scores.set(m, s);
    this.members.splice(this.find(m, s), 0, m);
  }
  top(n: number): string[] {
    return this.members.slice(0, n);
  }
}

class SkipList implements Design {
  private readonly z = new ZSet();
  add(m: string, s: number): void {
    this.z.add(m, s);
  }
  top(n: number): string[] {
    const out: string[] = [];
    for (let x = this.z.first(); x !== null && out.length < n; x = x.next[0]!) out.push(x.member);
    return out;
  }
}

const designs: Record<string, () => Design> = {
  skiplist: () => new SkipList(),
  'sorted-array': () => new SortedArray(),
  'sort-on-read': () => new SortOnRead(),
};

const argv = process.argv.slice(2);
const sizesArg = argv.includes('--sizes') ? argv[argv.indexOf('--sizes') + 1]! : '1000,10000,100000';
const sizes = sizesArg.split(',').map(Number);
const json = argv.includes('--json');
/** A design slower than this per run is stopped and reported as a lower bound. */
const BUDGET_MS = 20_000;

/** Members with pseudo-random scores (fixed seed), some updated twice. */
function workload(n: number): Array<[string, number]> {
  let x = 12345;
  const rnd = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, (_, i) => ['member:' + Math.floor(i * 0.9), Math.floor(rnd() * 1e6)] as [string, number]);
}

function run(make: () => Design, ops: Array<[string, number]>, leaderboard: boolean): { usPerOp: number; complete: boolean } {
  const d = make();
  const t0 = performance.now();
  let done = 0;
  for (const [m, s] of ops) {
    d.add(m, s);
    if (leaderboard) d.top(10);
    done++;
    if ((done & 255) === 0 && performance.now() - t0 > BUDGET_MS) break;
  }
  if (!leaderboard) d.top(ops.length);
  return { usPerOp: ((performance.now() - t0) * 1000) / done, complete: done === ops.length };
}

// Warm every design up (JIT) before anything is timed.
for (const make of Object.values(designs)) {
  run(make, workload(2000), true);
  run(make, workload(2000), false);
}

const rows: Array<{ pattern: string; size: number; design: string; usPerOp: number; ratio: number; complete: boolean }> = [];
for (const leaderboard of [true, false]) {
  for (const n of sizes) {
    const ops = workload(n);
    const base = run(designs.skiplist!, ops, leaderboard).usPerOp;
    for (const [name, make] of Object.entries(designs)) {
      const r = name === 'skiplist' ? { usPerOp: base, complete: true } : run(make, ops, leaderboard);
      rows.push({ pattern: leaderboard ? 'zadd+top10' : 'bulk zadd', size: n, design: name, usPerOp: r.usPerOp, ratio: r.usPerOp / base, complete: r.complete });
    }
  }
}
if (json) console.log(JSON.stringify(rows, null, 2));
else {
  console.log('pattern      size     design         µs/op    ÷ skiplist');
  for (const r of rows) {
    const us = r.usPerOp.toFixed(2).padStart(9);
    const ratio = ((r.complete ? '' : '≥') + r.ratio.toFixed(2)).padStart(9);
    console.log(`${r.pattern.padEnd(12)} ${String(r.size).padEnd(8)} ${r.design.padEnd(13)} ${us} ${ratio}`);
  }
}
