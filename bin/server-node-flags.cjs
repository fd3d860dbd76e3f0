'use strict';
// The node flags the built-in server runs with: the harness launches it with them
// (harness/targets/builtin.ts), `npm run build` makes the server's code cache under them
// (scripts/make-code-cache.cjs: V8 rejects a cache made under other flags), and bin/durabench
// keeps a cache per flag set it may start with (these, or none).
//
// 1 MB semi-spaces (the young generation's two halves). V8 grows them up to 16 MB under a
// burst of allocation (a preload, a pipelined fill) and shrinks them once the rate falls,
// keeping the freed pages in a pool it unmaps at the start of every Mark-Compact, on the main
// thread, inside the pause: 48 pages of 256 KB after a 1M-key fill, ~4 ms of munmap and TLB
// shootdowns on the 2-core VM (perf: the main thread in
// Unmapper::PerformFreeMemoryOnQueuedChunks < Heap::PerformGarbageCollection). With 1 MB
// there is no pool to speak of: under bench:latency at 1M keys (20k SET/s, BGSAVE windows,
// --trace-gc-nvp) Mark-Compact pauses of 4.6-7.9 ms against 12.4-14.0 ms; scavenges came 1.7x
// as often at the same p99 (1.3-1.5 ms); bench:server's ratios and RSS per key held. Flags of
// the command line (the heap reads them when it is set up): a server started by hand needs
// them too, `node --max-semi-space-size=1 bin/durabench server ...`.
module.exports = ['--max-semi-space-size=1'];
