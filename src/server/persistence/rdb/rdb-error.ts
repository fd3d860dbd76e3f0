/** A file that is not a valid RDB (or uses something we cannot load): says what and where. */
export class RdbError extends Error {
  override name = 'RdbError';
  /** Byte offset in the file where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(message: string, offset?: number) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.offset = offset;
  }
}
