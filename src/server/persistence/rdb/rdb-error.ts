/** A file that is not a valid RDB (or uses something we cannot load): says what and where. */
export class RdbError extends Error {
  override name = 'RdbError';
  /** Byte offset in the file where the problem was found, when known. */
  readonly offset: number | undefined;

  /** The message without its offset. */
  readonly reason: string;

  constructor(message: string, offset?: number) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.offset = offset;
    this.reason = message;
  }

  /** The same error found `by` bytes further into the file (the reader saw a window of it). */
  rebased(by: number): RdbError {
    return by === 0 || this.offset === undefined ? this : new RdbError(this.reason, this.offset + by);
  }
}
