/**
 * Consumer groups, as stream.h has them: a group's last delivered ID and read counter, its
 * pending entries list (PEL: ID → NACK), and consumers each with their own PEL sharing the
 * NACKs. Groups are small next to the entries, so these are plain objects; PELs keep their
 * IDs sorted (Redis's PEL is a radix tree iterated in ID order).
 */

export const ENTRIES_READ_INVALID = -1;

export class Nack {
  constructor(
    public deliveryTime: number,
    public deliveryCount: number,
    public consumer: Consumer | null,
  ) {}
}

/** IDs in ascending order with a value each: appends (the common case) are O(1). */
export class IdMap<V> {
  readonly keys: bigint[] = [];
  private readonly values = new Map<bigint, V>();

  get size(): number {
    return this.keys.length;
  }

  get(id: bigint): V | undefined {
    return this.values.get(id);
  }

  has(id: bigint): boolean {
    return this.values.has(id);
  }

  /** Inserts when absent; returns false (changing nothing) when present. */
  tryInsert(id: bigint, v: V): boolean {
    if (this.values.has(id)) return false;
    this.values.set(id, v);
    const k = this.keys;
    if (k.length === 0 || k[k.length - 1]! < id) k.push(id);
    else k.splice(this.seek(id), 0, id);
    return true;
  }

  set(id: bigint, v: V): void {
    if (!this.tryInsert(id, v)) this.values.set(id, v);
  }

  delete(id: bigint): boolean {
    if (!this.values.delete(id)) return false;
    this.keys.splice(this.seek(id), 1);
    return true;
  }

  /** Index of the first key >= id. */
  seek(id: bigint): number {
    const k = this.keys;
    let lo = 0;
    let hi = k.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (k[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class Consumer {
  readonly pel = new IdMap<Nack>();
  constructor(
    readonly name: string,
    public seenTime: number,
  ) {}
}

export class ConsumerGroup {
  readonly pel = new IdMap<Nack>();
  readonly consumers = new Map<string, Consumer>();

  constructor(
    public lastId: bigint,
    public entriesRead: number,
  ) {}

  /** streamCreateConsumer: null when it exists already. */
  createConsumer(name: string, now: number): Consumer | null {
    if (this.consumers.has(name)) return null;
    const c = new Consumer(name, now);
    this.consumers.set(name, c);
    return c;
  }

  /** streamDelConsumer: its pending entries leave the group's PEL too. */
  deleteConsumer(c: Consumer): void {
    for (const id of c.pel.keys) this.pel.delete(id);
    this.consumers.delete(c.name);
  }

  /** Consumers in name order (byte order, as the radix tree iterates them). */
  sortedConsumers(): Consumer[] {
    return [...this.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Removes one pending entry from the group and its consumer (XACK). */
  ack(id: bigint): boolean {
    const n = this.pel.get(id);
    if (n === undefined) return false;
    this.pel.delete(id);
    n.consumer?.pel.delete(id);
    return true;
  }

  clone(): ConsumerGroup {
    const g = new ConsumerGroup(this.lastId, this.entriesRead);
    const copies = new Map<Nack, Nack>();
    for (const id of this.pel.keys) {
      const n = this.pel.get(id)!;
      const c = new Nack(n.deliveryTime, n.deliveryCount, null);
      copies.set(n, c);
      g.pel.set(id, c);
    }
    for (const c of this.consumers.values()) {
      const nc = g.createConsumer(c.name, c.seenTime)!;
      for (const id of c.pel.keys) {
        const copy = copies.get(c.pel.get(id)!)!;
        copy.consumer = nc;
        nc.pel.set(id, copy);
      }
    }
    return g;
  }
}

/** Names in byte order. */
export function sortedNames<T>(m: Map<string, T>): string[] {
  return [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
