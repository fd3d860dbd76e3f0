/**
 * What a first touch of memory costs on this machine: the time to fault in fresh 4 KB pages.
 * On bare metal and ordinary VMs a page fault costs well under 2 µs; on some sandboxed VMs
 * (a paravirtualized kernel, `pvm_irq_enable` in `perf` stacks) it cost 10.2-14.8 µs here,
 * every round, and syscalls were dearer too (`perf trace`: write 17 µs, read 15 µs). Every
 * figure a server gives there carries it: a server growing its memory (a preload, a young
 * generation growing, a new arena block) stalls ten times longer than it would elsewhere.
 * `durabench doctor` reports it so that a reader of the tables knows what kind of machine
 * made them.
 */

/** Pages above this cost (µs per 4 KB page) make the machine's latency figures suspect. */
export const SLOW_FAULT_US = 2;

const PAGE = 4096;

/** Faults in `mb` MB of fresh memory, one write a page, best of `rounds`; µs per page. */
export function pageFaultMicros(mb = 8, rounds = 3): number {
  let best = Infinity;
  // every round's block kept until the end, so no round can be handed memory a round before freed
  const kept: Buffer[] = [];
  for (let r = 0; r < rounds; r++) {
    // allocUnsafeSlow: its own allocation, not the pool's, and not zero-filled (that would fault it)
    const b = Buffer.allocUnsafeSlow(mb << 20);
    kept.push(b);
    const t0 = performance.now();
    for (let i = 0; i < b.length; i += PAGE) b[i] = 1;
    const us = ((performance.now() - t0) * 1000) / (b.length / PAGE);
    best = Math.min(best, us);
  }
  return best;
}

/** The doctor's line for a measured cost: fine, or `slow` with what that means. */
export function pageFaultCheck(usPerPage: number): { ok: boolean; detail: string; fix: string; miss: 'slow' } {
  const detail = `${usPerPage.toFixed(2)} µs per 4 KB page first touched`;
  const ok = usPerPage <= SLOW_FAULT_US;
  const fix = ok
    ? ''
    : `over ${SLOW_FAULT_US} µs: a VM where memory growth and syscalls are slow; latency here includes it ` +
      '(compare servers within one run, not with other machines)';
  return { ok, detail, fix, miss: 'slow' };
}
