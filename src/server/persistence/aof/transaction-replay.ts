/**
 * MULTI … EXEC read from an AOF file: the commands between them are held and applied together
 * at EXEC, as Redis's AOF client queues them, so a file that ends inside a transaction (a
 * crash between the transaction's bytes) never applies half of it. One per file, as Redis
 * makes one fake client per file.
 */
export class TransactionReplay {
  private queue: string[][] | null = null;
  /** Where the open transaction's MULTI starts: what a trim cuts back to. */
  private multiAt = 0;
  constructor(private readonly exec: (argv: string[]) => void) {}

  /** True while a MULTI has not met its EXEC yet. */
  get open(): boolean {
    return this.queue !== null;
  }

  /** The offset before the open transaction: a file ending inside it is valid up to here. */
  get validBeforeMulti(): number {
    return this.multiAt;
  }

  /**
   * Takes the next command of the file and the offset it starts at. Answers what is wrong
   * when a MULTI comes inside a transaction or an EXEC outside one (redis-check-aof's
   * "Unexpected MULTI/EXEC"; Redis itself would trip an assertion on its fake client's reply).
   */
  command(argv: string[], at: number): string | undefined {
    const name = argv[0]!;
    if (name.length === 5 && name.toLowerCase() === 'multi') {
      if (this.queue !== null) return 'Unexpected MULTI';
      this.queue = [];
      this.multiAt = at;
      return undefined;
    }
    if (name.length === 4 && name.toLowerCase() === 'exec') {
      const q = this.queue;
      if (q === null) return 'Unexpected EXEC';
      this.queue = null;
      for (const a of q) this.exec(a);
      return undefined;
    }
    if (this.queue !== null) this.queue.push(argv);
    else this.exec(argv);
    return undefined;
  }
}
