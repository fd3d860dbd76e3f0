'use strict';
// The V8 flags the harness launches the built-in server with, and which code cache a start
// with given flags may use: V8 keys a code cache to every V8 flag, so each flag set that starts
// often gets its own file, and a start with any other set compiles without one (and never
// writes one, so an experiment's --trace-gc cannot make every later start compile).
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

/** the code cache file name for a start with these Node arguments, or null: compile without one */
function cacheName(execArgv) {
  // Node's own --v8-pool-size (the harness gives it on 2 cores) is not a V8 flag
  const v8 = execArgv.filter((f) => !f.startsWith('--v8-pool-size'));
  if (v8.length === 0) return 'server.bundle.cache';
  if (v8.length === SERVER_V8_FLAGS.length && v8.every((f, i) => f === SERVER_V8_FLAGS[i])) return 'server.bundle.launch.cache';
  return null;
}

module.exports = { SERVER_V8_FLAGS, cacheName };
