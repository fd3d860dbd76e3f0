// Node's Buffer has latin1Slice/latin1Write (the fast paths behind toString('latin1')),
// but @types/node does not declare them. The keyspace's strings are latin1 (one char per byte).
declare global {
  interface Buffer {
    latin1Slice(start?: number, end?: number): string;
    latin1Write(str: string, offset?: number, length?: number): number;
  }
}
export {};
