/**
 * The freeze probe's thread (freeze-probe.ts starts it): sleeps `periodMs` at a time and notes
 * every wake-up more than `thresholdMs` late. At nice -20 the kernel runs it as soon as it wakes,
 * whatever else wants the CPUs, so a late wake-up means nothing of ours ran: the machine itself
 * was stopped (a VM whose vCPUs its host descheduled, a long interrupt).
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

export interface ProbeStart {
  periodMs: number;
  thresholdMs: number;
  /** the nice value to ask for (-20 needs root or CAP_SYS_NICE) */
  nice: number;
  /** Int32 flag the parent sets to 1 to stop the probe (read between sleeps: the loop never yields) */
  stop: SharedArrayBuffer;
}

/** Posted when the loop starts (with the nice value it got), then when it stops. */
export type ProbeReport = { kind: 'running'; nice: number } | { kind: 'done'; wakeups: number; freezes: [atMs: number, lateMs: number][] };

function niceSelf(nice: number): number {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), nice);
    return nice;
  } catch {
    return 0; // not permitted (not root) or not Linux: it still runs, at nice 0
  }
}

if (parentPort !== null) {
  const { periodMs, thresholdMs, nice, stop } = workerData as ProbeStart;
  const flag = new Int32Array(stop);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const freezes: [number, number][] = [];
  let wakeups = 0;
  parentPort.postMessage({ kind: 'running', nice: niceSelf(nice) } satisfies ProbeReport);
  while (Atomics.load(flag, 0) === 0) {
    const before = performance.now();
    Atomics.wait(nap, 0, 0, periodMs);
    const after = performance.now();
    wakeups++;
    const late = after - before - periodMs;
    if (late > thresholdMs) freezes.push([performance.timeOrigin + after, late]);
  }
  parentPort.postMessage({ kind: 'done', wakeups, freezes } satisfies ProbeReport);
}
