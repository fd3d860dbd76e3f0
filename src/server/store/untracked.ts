/**
 * Long-lived dataset memory (arena pages, index and entry arrays) on SharedArrayBuffers.
 * Why: V8 adds the ArrayBuffer memory allocated since its last Mark-Compact to the old
 * generation's size, so a growing dataset, or the few MB a snapshot allocates when it
 * starts, pushed a 5 MB heap past its ~16 MB limit and forced atomic Mark-Compacts of
 * 8-15 ms at 4M keys (`--trace-gc`: "allocation failure; GC in old space requested",
 * with `--trace-gc-verbose` showing old space at 6 MB). V8 does not count shared backing
 * stores (measured: its "External memory reported" at 4M keys fell from 655 MB to 196 MB
 * when the arena pages moved), so the garbage collector is scheduled by what the JS heap
 * does, which is what it traces. The memory is freed the same way, when its owner object
 * is collected; nothing is shared with another thread.
 */
export function untrackedBytes(n: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(n));
}

export function untrackedInt32s(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(n * 4));
}

export function untrackedFloat64s(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * 8));
}

let letGoBytes = 0;

/**
 * Counts `n` bytes of these buffers that the dataset has let go (an outgrown index, a
 * flushed table): V8 frees them only at its next Mark-Compact, a munmap each, inside its
 * pause when that comes under load (idle-gc.ts collects at an idle moment instead).
 */
export function letGo(n: number): void {
  letGoBytes += n;
}

/** Bytes let go since start (monotonic). */
export function bytesLetGo(): number {
  return letGoBytes;
}
