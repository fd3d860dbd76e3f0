'use strict';
// The built-in server's V8 flags: the ones the harness launches it with, the ones the bin sets
// at run time on few cores, and which code cache a start with given flags may use: V8 keys a
// code cache to every V8 flag, so each flag set that starts often gets its own file, and a
// start with any other set compiles without one (and never writes one, so an experiment's
// --trace-gc cannot make every later start compile).
//
// Fixed 4 MB semi-spaces: V8 shrinks the young generation after a quiet moment (allocation
// under 1 MB/s) and pools the pages it gives up; its next Mark-Compact unmaps them inside its
// pause (perf: `__munmap < FreePages` and TLB shootdowns, 1.5 ms of a 5.9 ms pause on the
// 2-core VM). A minimum equal to the maximum leaves nothing to shrink. 4 MB is where 20k SET/s
// settles anyway (server/young-gen-cap.ts holds a flagless start there from its cron).
// bench:latency at 1M keys, random values (--trace-gc): Mark-Compacts under load 1.4-8.2 ms,
// median 3.2 (seven in four runs), against 5.1-14.6, median 6.5 (four in two runs).
// Only a command line can set them (NODE_OPTIONS refuses them; set at run time they are read
// once, at heap setup).
const SERVER_V8_FLAGS = ['--min-semi-space-size=4', '--max-semi-space-size=4'];

// What the bin turns off on 2 cores or fewer, a second after start (bin/durabench says why
// then). There V8's helper thread shares the cores a client, the thread pool and the RDB
// encoding thread keep busy: each time a pause woke it, it took the main thread's core (perf
// sched: the main thread switched out runnable) and the pause waited for it. So the pauses'
// work stays on the main thread:
// - --no-parallel-scavenge: scavenges 0.9-1.9 ms during a 4M-key BGSAVE, against 2-6 ms;
// - --no-concurrent-marking: Mark-Compact final pauses ~2 ms (marking in main-thread steps),
//   against 5-8 ms;
// - --no-parallel-compaction --no-parallel-pointer-update: a Mark-Compact's evacuation. 1M
//   keys, back-to-back BGSAVEs under 20k SET/s, --trace-gc (and --heap-growing-percent=3 for
//   more collections): 21 Mark-Compacts in four runs, 1.1-5.5 ms, median 3.3, two over 5 ms,
//   against 25 in five, 1.4-8.8 ms, median 3.5, five over 5. V8 reads both at each evacuation
//   (--trace-evacuation: `parallel=no` once the bin has set them).
// Tried and not kept: --no-parallel-marking (V8 11.3 aborts in its first full collection:
// cppgc's `concurrent_marking_handle_` check), --single-threaded-gc (sweeping moves onto the
// main thread too), and V8's threads at nice 10 (Mark-Compacts 1.1-4.1 ms, but the snapshot
// windows' worst latency twice as long in two bench:latency pairs: the main thread then waits
// on a helper the kernel runs last).
const FEW_CORES_GC_FLAGS = ['--no-parallel-scavenge', '--no-concurrent-marking', '--no-parallel-compaction', '--no-parallel-pointer-update'];

/** the code cache file name for a start with these Node arguments, or null: compile without one */
function cacheName(execArgv) {
  // Node's own --v8-pool-size (the harness gives it on 2 cores) is not a V8 flag
  const v8 = execArgv.filter((f) => !f.startsWith('--v8-pool-size'));
  if (v8.length === 0) return 'server.bundle.cache';
  if (v8.length === SERVER_V8_FLAGS.length && v8.every((f, i) => f === SERVER_V8_FLAGS[i])) return 'server.bundle.launch.cache';
  return null;
}

module.exports = { SERVER_V8_FLAGS, FEW_CORES_GC_FLAGS, cacheName };
