/**
 * A file's writes since its last sync, as (offset, length) pairs in typed arrays: a file
 * appended a million times between syncs (appendfsync no) costs 16 MB here, not a million
 * objects. Writes are numbered in order; a sync drops every write numbered before its start.
 */
export class Extents {
  private off = new Float64Array(16);
  private len = new Float64Array(16);
  /** number of the first write kept, and of the next write to come */
  private head = 0;
  private end = 0;

  /** how many writes were ever recorded: a sync's mark */
  get mark(): number {
    return this.end;
  }

  get length(): number {
    return this.end - this.head;
  }

  push(off: number, len: number): void {
    const i = this.end - this.head;
    if (i === this.off.length) this.grow();
    this.off[i] = off;
    this.len[i] = len;
    this.end++;
  }

  /** the i-th write kept, 0-based */
  at(i: number): { off: number; len: number } {
    return { off: this.off[i]!, len: this.len[i]! };
  }

  /** forgets writes numbered before mark (a sync that began after them completed) */
  dropBefore(mark: number): void {
    const n = Math.min(Math.max(0, mark - this.head), this.length);
    if (n === 0) return;
    this.off.copyWithin(0, n, this.length);
    this.len.copyWithin(0, n, this.length);
    this.head += n;
  }

  /** a truncate to `size`: writes beyond it go, one across it is shortened */
  clip(size: number): void {
    let k = 0;
    for (let i = 0; i < this.length; i++) {
      if (this.off[i]! >= size) continue;
      this.off[k] = this.off[i]!;
      this.len[k] = Math.min(this.len[i]!, size - this.off[i]!);
      k++;
    }
    this.head = this.end - k;
  }

  private grow(): void {
    const off = new Float64Array(this.off.length * 2);
    const len = new Float64Array(this.len.length * 2);
    off.set(this.off);
    len.set(this.len);
    this.off = off;
    this.len = len;
  }
}
