/**
 * What the disk-full fault watches while the disk is full: the workload's counters, a probe
 * write of its own, and the server's exit. Kept apart from the fault's phases (disk-full.ts).
 */
import { RespError } from '../workload/resp-reader.js';
import { RespConnection } from '../workload/resp-connection.js';
import type { FaultContext } from './fault.js';

const POLL_MS = 5;
/** connections that closed this soon before the exit closed because of it */
const EXIT_GRACE_MS = 500;

export interface Refusal {
  at: number;
  error: string;
  /** an error reply, or a connection the server closed (which an exit also does) */
  kind: 'reply' | 'closed';
  ackedAt: number;
}

/**
 * The fault's own writes: `SET durabench:disk-full:<i> <i>`, one at a time on a connection
 * of its own, through every phase. They tell whether the server takes writes (the workload's
 * connections may all have been closed by then), and they are judged after the restart like
 * the workload's: an acknowledged probe missing afterwards was lost. The restart deletes them,
 * so the workload's check sees none of them.
 */
export class Probes {
  sent = 0;
  readonly acked: number[] = [];
  static key(i: number): string {
    return `durabench:disk-full:${i}`;
  }
}

/** Watches the server's answers: the probe, the workload's counters, the exit. */
export class Watcher {
  exitAt: number | null = null;
  refusal: Refusal | null = null;
  /** performance.now() of the probe's last success */
  lastAccepted = 0;
  private conn: RespConnection | null = null;
  private probing = false;
  private base = { errors: 0, closed: 0 };

  constructor(
    private readonly ctx: FaultContext,
    private readonly probes: Probes,
  ) {
    void ctx.handle.exited.then((e) => {
      this.exitAt = e.at;
    });
  }

  /** Forget earlier refusals: the next one counts from now. */
  reset(): void {
    const l = this.ctx.load();
    this.base = { errors: l.errors, closed: l.closed };
    this.refusal = null;
    this.lastAccepted = 0;
  }

  private refused(error: string, kind: Refusal['kind']): void {
    this.refusal ??= { at: performance.now(), error, kind, ackedAt: this.ctx.load().acked };
  }

  /** One look: the workload's counters, and a probe when none is out. */
  poll(): void {
    const l = this.ctx.load();
    // the driver keeps its first error only: a later one's text is the probe's to tell
    if (l.errors > this.base.errors) this.refused(this.base.errors === 0 && l.firstError ? l.firstError : 'error reply', 'reply');
    if (l.closed > this.base.closed) this.refused(`${l.closed - this.base.closed} load connection(s) closed by the server`, 'closed');
    if (!this.probing && this.exitAt === null) void this.probe();
  }

  private async probe(): Promise<void> {
    this.probing = true;
    try {
      if (this.conn === null || this.conn.closed) this.conn = await RespConnection.connect(this.ctx.handle.port, '127.0.0.1', 1000);
      const i = this.probes.sent++;
      const r = await this.conn.send(['SET', Probes.key(i), String(i)]);
      if (r instanceof RespError) this.refused(r.message, 'reply');
      else {
        this.probes.acked.push(i);
        this.lastAccepted = performance.now();
      }
    } catch (err) {
      this.refused(`connection closed (${(err as Error).message})`, 'closed');
    } finally {
      this.probing = false;
    }
  }

  /** Polls until `done()` or the deadline or the exit. */
  async until(deadline: number, done: () => boolean): Promise<void> {
    for (;;) {
      this.poll();
      if (this.exitAt !== null || done() || performance.now() >= deadline) return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** The refusal, unless it was connections closing as the process died. */
  answer(): Refusal | null {
    const r = this.refusal;
    if (r && r.kind === 'closed' && this.exitAt !== null && this.exitAt - r.at < EXIT_GRACE_MS) return null;
    return r;
  }

  close(): void {
    this.conn?.close();
  }
}

