/**
 * Redis's LRU clock (evict.c, object.c): what OBJECT IDLETIME reads. The clock is unix
 * seconds in 24 bits (LRU_CLOCK_MAX, wrapping about every 194 days); the server's cron
 * refreshes one cached value (server.lruclock) and every key access stamps it, so the
 * read path pays one store. Each key's stamp lives in its KeyTable entry (robj->lru).
 *
 * Redis shares the string objects of the integers 0..9999 (shared.integers): a key holding
 * one has no clock of its own, it reads and stamps the integer's. An entry's stamp is then
 * SHARED | the integer, and the integer's clock is here, one per process as in Redis.
 */
export const LRU_CLOCK_MAX = (1 << 24) - 1;
/** OBJ_SHARED_INTEGERS. */
export const SHARED_INTEGERS = 10000;
/** Marks an entry stamp that names a shared integer (above any clock value). */
export const SHARED = 1 << 30;

function clockAt(ms: number): number {
  return Math.floor(ms / 1000) & LRU_CLOCK_MAX;
}

/** The cached clock and the shared integers' stamps (createSharedObjects stamps them at start). */
export const lru = {
  now: clockAt(Date.now()),
  shared: new Uint32Array(SHARED_INTEGERS),
};
lru.shared.fill(lru.now);

/** serverCron's `server.lruclock = getLRUClock()`; tests pass a time. */
export function tickLruClock(ms = Date.now()): void {
  lru.now = clockAt(ms);
}

/**
 * The shared integer a string value would be under tryObjectEncoding (a canonical decimal
 * 0..9999), or -1. Cheap on the hot path: anything longer than 4 chars is out at once.
 */
export function sharedInteger(v: string): number {
  const n = v.length;
  if (n === 0 || n > 4 || (n > 1 && v.charCodeAt(0) === 48)) return -1;
  let x = 0;
  for (let i = 0; i < n; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    x = x * 10 + d;
  }
  return x;
}

/** sharedInteger for bytes (an RDB string record loaded without making a JS string). */
export function sharedIntegerBytes(buf: Buffer, off: number, len: number): number {
  if (len === 0 || len > 4 || (len > 1 && buf[off] === 48)) return -1;
  let x = 0;
  for (let i = 0; i < len; i++) {
    const d = buf[off + i]! - 48;
    if (d < 0 || d > 9) return -1;
    x = x * 10 + d;
  }
  return x;
}

/** The clock value an entry stamp stands for (its own, or its shared integer's). */
export function stampClock(stamp: number): number {
  return stamp & SHARED ? lru.shared[stamp & ~SHARED]! : stamp;
}

/** estimateObjectIdleTime / 1000: whole seconds since the stamp, across a clock wrap. */
export function idleSeconds(stamp: number): number {
  const at = stampClock(stamp);
  const now = lru.now;
  return now >= at ? now - at : now + (LRU_CLOCK_MAX - at);
}

/**
 * objectSetLRUOrLFU's LRU branch (RESTORE ... IDLETIME, an RDB's IDLE opcode): the clock
 * value `idle` seconds ago, wrapped as Redis's 24-bit field wraps it.
 */
export function clockIdleFor(idle: number): number {
  let abs = lru.now - idle;
  if (abs < 0) abs += LRU_CLOCK_MAX;
  // The C bit field keeps the low 24 bits of whatever is left.
  return ((abs % (LRU_CLOCK_MAX + 1)) + (LRU_CLOCK_MAX + 1)) % (LRU_CLOCK_MAX + 1);
}
