/**
 * Binary-safe string <-> bytes for the keyspace's latin1 strings (one char per byte).
 * Node's Buffer has latin1Slice/latin1Write (the fast paths behind toString('latin1') and
 * write(..., 'latin1')) but @types/node does not declare them.
 */
interface Latin1Buffer {
  latin1Slice(start: number, end: number): string;
  latin1Write(str: string, offset: number, length: number): number;
}

/** buf[start, end) as a latin1 string; the caller has checked the bounds. */
export function latin1Slice(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as Latin1Buffer).latin1Slice(start, end);
}

/** Writes str (one byte per char) at offset; the caller has checked there is room. */
export function latin1Write(buf: Buffer, str: string, offset: number): number {
  return (buf as unknown as Latin1Buffer).latin1Write(str, offset, str.length);
}
