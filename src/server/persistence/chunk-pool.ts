/**
 * The batch buffers a save's RDB writer fills, given back by the save once written. A new
 * 64 KB Buffer per batch meant ~300 ArrayBuffers a second dying during a 4M-key BGSAVE, and
 * V8 frees dead ones on the main thread at the end of a collection: `--trace-gc-nvp` showed
 * scavenge.sweep_array_buffers of 5.6 ms and a Mark-Compact's finish.sweep_array_buffers of
 * 3.1 ms. Reused, a save allocates what its write queue holds at once.
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];

  /** `keep`: buffers held at most. */
  constructor(
    readonly size: number,
    private readonly keep: number,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  /** A written chunk: back into the pool when it is one of its buffers (or a view of one from its start). */
  give(chunk: Buffer): void {
    if (chunk.byteOffset !== 0 || chunk.buffer.byteLength !== this.size || this.free.length >= this.keep) return;
    this.free.push(chunk.length === this.size ? chunk : Buffer.from(chunk.buffer, 0, this.size));
  }

  /** Takes out the free buffers beyond `keep` (to hand them to the thread that fills them). */
  surplus(keep: number): Buffer[] {
    return this.free.length > keep ? this.free.splice(keep) : [];
  }
}
