/**
 * The process's first full garbage collection, run while the server is idle (the snapshot
 * warm-up calls it as it ends) rather than where V8 would run it. Until its first Mark-Compact V8 holds the old generation to its small initial
 * limit, and under load it had not begun incremental marking by the time an allocation met
 * that limit: 1M keys, aof-always, 20k SET/s, the second BGREWRITEAOF's start paused clients
 * for an atomic Mark-Compact of 8.6-12 ms every run (`--trace-gc`: "allocation failure; GC in
 * old space requested", the main isolate's first). Once one has run, the limit is a multiple
 * of the live heap and the later ones are incremental (1-4 ms pauses); with this one first,
 * no main-thread pause over 1.2 ms in six such rewrites, and bench:latency's longest in those
 * windows fell from 8.6-9.9 ms to 3.1 and 7.5 ms in two runs (not always gone: the limit it
 * sets is from the heap at the first idle moment, often before any data). It costs 5-9 ms
 * once, when no client has sent a command for a cron tick. `gc` is reachable only through
 * a context made after --expose-gc is set (the flag is read when a context is created).
 */
export function collectWhileIdle(): void {
  process.getBuiltinModule('node:v8').setFlagsFromString('--expose-gc');
  (process.getBuiltinModule('node:vm').runInNewContext('gc') as () => void)();
}
