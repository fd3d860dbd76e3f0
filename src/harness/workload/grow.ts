/** A typed array of `capacity` elements holding a copy of `a` at its start (ledger growth). */
export function grown<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}
