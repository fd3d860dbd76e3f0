/** An AOF directory that cannot be loaded (bad manifest, corrupted command, missing file). */
export class AofError extends Error {
  override name = 'AofError';
}
