import { bytesLetGo } from './store/untracked.js';

/** Collections run by collectWhileIdle since start. */
let collections = 0;

/**
 * A full garbage collection while the server is idle: the process's first (the snapshot
 * warm-up calls it as it ends), and IdleCollector's below. The first, rather than where V8
 * would run it: until its first Mark-Compact V8 holds the old generation to its small initial
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
  collections++;
  fullGc ??= exposeGc();
  fullGc();
}

/** V8's gc(), made once: a context per collection would be made and collected each time. */
let fullGc: (() => void) | null = null;

function exposeGc(): () => void {
  process.getBuiltinModule('node:v8').setFlagsFromString('--expose-gc');
  return process.getBuiltinModule('node:vm').runInNewContext('gc') as () => void;
}

/** Full collections run while idle since start (INFO gc_idle_collections). */
export function idleCollections(): number {
  return collections;
}

/**
 * The server's idea of idle, at a cron tick: no command ran since the previous tick
 * (total_commands_processed did not move). The snapshot warm-up and IdleCollector both wait for it.
 */
export class IdleTicks {
  private last = -1;

  /** `commands`: total_commands_processed now. True when it has not moved since the last call. */
  tick(commands: number): boolean {
    const idle = commands === this.last;
    this.last = commands;
    return idle;
  }
}

/** Dataset buffers let go that make an idle collection worth its pause (see IdleCollector). */
const LET_GO_MIN = 16 << 20;

/** What IdleCollector needs from the server. */
export interface IdleCollectorHost {
  /** Commands run since start (total_commands_processed): idle while it does not move. */
  commandsProcessed(): number;
  /** False while loading, or while a save or rewrite runs (its steps share the loop). */
  mayRun(): boolean;
}

/**
 * Runs a full collection at an idle moment (no command for a cron tick) once the dataset
 * has let go of LET_GO_MIN bytes of its buffers (untracked.ts letGo: outgrown indexes, a
 * flushed table): V8 frees them only in a Mark-Compact's array-buffer sweep, a munmap each,
 * inside the pause when that comes under load. A 1M-key preload leaves its index doublings,
 * ~24 MB: the first Mark-Compact under load afterwards paused 8.6 ms, 3.5 of it
 * `finish.sweep_array_buffers` (`--trace-gc-nvp`; perf: `cfree < ArrayBufferSweeper` over
 * `__munmap`); the ones after it 1.9 and 3.6 ms. Chrome schedules V8's collections into idle
 * time for the same reason. This one is atomic, 6-25 ms at 1M keys on the 2-core VM (a
 * client arriving meanwhile waits for it), so it is kept for those rare bursts: triggered
 * also by every shrink of the young generation, it ran between every two windows of
 * `bench:latency`.
 */
export class IdleCollector {
  private readonly idle = new IdleTicks();
  private letGoAtLast = 0;

  constructor(private readonly host: IdleCollectorHost) {}

  /** Called by the server's cron. */
  tick(): void {
    if (!this.idle.tick(this.host.commandsProcessed()) || !this.host.mayRun()) return;
    const letGone = bytesLetGo();
    if (letGone - this.letGoAtLast < LET_GO_MIN) return;
    this.letGoAtLast = letGone;
    collectWhileIdle();
  }
}
