import { collectWhileIdle, IdleTicks } from '../idle-gc.js';
import { Rng } from '../../shared/prng.js';
import { Databases } from '../databases.js';
import type { Keyspace } from '../keyspace.js';
import type { EncoderFactory, SnapshotEncoder } from './background-save.js';
import { ChunkPool } from './chunk-pool.js';
import { DatasetSnapshot } from './dataset-snapshot.js';
import { nextTurn } from '../turn-end.js';

/** Scratch keys: enough for V8 to optimize the encoder's loops (LZF, CRC-64) and the copy-on-write path. */
export const WARM_KEYS = 5000;
/** Keys serialized between checks of the slice's time. */
const KEYS_PER_CHECK = 16;

/** Random alphanumerics (LZF cannot shrink them): values are slices of it, no string building. */
function randomText(n: number, rng: Rng): Buffer {
  const abc = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = abc.charCodeAt(rng.int(abc.length));
  return b;
}

/** A value of the kinds a save meets: random (LZF fails), repetitive (LZF succeeds), short, integer. */
function scratchValue(i: number, text: Buffer): string {
  const kind = i % 10;
  if (kind === 0) return String(i * 7919);
  if (kind === 1) return REPEATED;
  const n = kind === 2 ? 20 : 100;
  const off = (i * 131) % (text.length - n);
  return text.latin1Slice(off, off + n);
}
const REPEATED = 'x'.repeat(100);

/**
 * The snapshot path run once on a scratch dataset while the server is idle, so that the
 * first real BGSAVE or AOF rewrite after a start does not run it cold. Cold, a CPU profile of
 * the first save's event-loop stalls showed the encoder's loops (LZF per value, CRC-64 per
 * 64 KB batch) interpreted for whole batches and optimized mid-save while clients waited.
 * `WARM_UP=yes|no SIZES=100000 MODES=rdb,aof-everysec VALUES=random TRIALS=1 SNAPSHOT=with
 * FIRSTS=5 npm run bench:latency` (16 clients at 20k SET/s, 5 fresh servers each): first
 * BGSAVE p99 2.57 ms warmed against 4.07 cold, first BGREWRITEAOF 4.08 against 5.86.
 * The same functions run here as in a save: the server's encoder factory (on the encoding
 * thread when the saves use it: the thread is started here, not by the first save, which
 * would run cold while it boots), DatasetSnapshot, and Keyspace.set
 * through the copy-on-write hook. Output goes nowhere; no
 * file, no I/O, nothing of the server's own dataset touched.
 */
export class SnapshotWarmUp {
  private readonly dbs = new Databases(1);
  private readonly pool = new ChunkPool(64 << 10, 4);
  private snapshot: DatasetSnapshot | null = null;
  private enc: SnapshotEncoder | null = null;
  private filled = 0;
  private overwritten = 0;
  private readonly rng = new Rng(1);
  private readonly text = randomText(4096, this.rng);
  done = false;

  constructor(
    private readonly makeEncoder: EncoderFactory,
    private readonly keys = WARM_KEYS,
  ) {}

  /** Works for about `ms` milliseconds; true once the whole run is done. */
  step(ms: number): boolean {
    if (this.done) return true;
    const t0 = performance.now();
    const ks = this.dbs.get(0);
    if (this.snapshot === null) {
      while (this.filled < this.keys) {
        const i = this.filled++;
        ks.set(`warm:${i}`, scratchValue(i, this.text));
        if (i % 20 === 0) ks.setExpire(`warm:${i}`, Date.now() + 3_600_000);
        if (i % KEYS_PER_CHECK === 0 && performance.now() - t0 >= ms) return false;
      }
      this.snapshot = new DatasetSnapshot(this.dbs);
      // With events the factory may encode on its thread, as the server's saves do: that
      // starts the thread and runs its code before the first save needs it.
      this.enc = this.makeEncoder((chunk) => this.pool.give(chunk), this.pool, { progress: () => {} });
      return false;
    }
    const enc = this.enc!;
    let finished = false;
    while (!finished && performance.now() - t0 < ms) {
      finished = this.snapshot.step(KEYS_PER_CHECK, enc);
      this.overwrite(ks);
    }
    if (!finished) return false;
    enc.finish();
    this.snapshot.release();
    this.snapshot = null;
    this.enc = null;
    this.done = true;
    return true;
  }

  /** Writes during the snapshot, as clients make them: the copy-on-write hook preserves old values. */
  private overwrite(ks: Keyspace): void {
    const i = this.rng.int(this.keys);
    ks.set(`warm:${i}`, scratchValue(this.overwritten++, this.text));
    if (this.overwritten % 8 === 0) ks.delete(`warm:${this.rng.int(this.keys)}`);
  }
}

/** A warm-up slice: short enough that a client arriving meanwhile waits no longer than a save step would hold it. */
const WARM_SLICE_MS = 0.5;

/** What running the warm-up while idle needs from the server. */
export interface IdleWarmUpHost {
  /** Commands run since start (total_commands_processed): idle while it does not move. */
  commandsProcessed(): number;
  /** False while loading, while a save or rewrite runs, or with snapshot-warm-up no. */
  mayRun(): boolean;
  /** The encoder factory the server's saves use. */
  makeEncoder(): EncoderFactory;
  warning(msg: string): void;
}

/**
 * Runs the SnapshotWarmUp when the server is idle: at a cron tick with no command since the
 * previous one, slices of WARM_SLICE_MS, one per event-loop turn, until a command comes (the
 * next idle tick goes on) or it is done. The scratch data is made then, not at start-up.
 */
export class IdleWarmUp {
  private warmUp: SnapshotWarmUp | null = null;
  private running = false;
  private readonly idle = new IdleTicks();
  done = false;

  constructor(private readonly host: IdleWarmUpHost) {}

  /** Called by the server's cron. */
  tick(): void {
    const commands = this.host.commandsProcessed();
    if (this.idle.tick(commands) && !this.done && !this.running && this.host.mayRun()) void this.run(commands);
  }

  private async run(seen: number): Promise<void> {
    this.running = true;
    const w = (this.warmUp ??= new SnapshotWarmUp(this.host.makeEncoder()));
    try {
      while (!this.done && this.host.commandsProcessed() === seen && this.host.mayRun()) {
        if (w.step(WARM_SLICE_MS)) this.done = true;
        else await nextTurn();
      }
    } catch (e) {
      this.done = true; // an optimization only: never worth a second failure
      this.host.warning(`Snapshot warm-up failed: ${(e as Error).message}`);
    } finally {
      if (this.done) {
        this.warmUp = null;
        collectWhileIdle(); // still idle: the process's first full GC (idle-gc.ts)
      }
      this.running = false;
    }
  }
}
