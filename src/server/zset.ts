/**
 * A sorted set as Redis keeps one (t_zset.c): a Map member → score for O(1) lookups beside a
 * skip list ordered by (score, member) whose links carry spans, so ranks, rank ranges and
 * score/lex range starts are O(log n) and an insert no longer re-sorts the whole set.
 *
 * `scores` is for reading; change membership only through add()/remove().
 */
const MAX_LEVEL = 32;

export interface ZNode {
  readonly member: string;
  readonly score: number;
  /** Forward links per level, and how many level-0 steps each one skips. */
  readonly next: (ZNode | null)[];
  readonly span: number[];
  prev: ZNode | null;
}

function newNode(level: number, score: number, member: string): ZNode {
  return { member, score, next: new Array<ZNode | null>(level).fill(null), span: new Array<number>(level).fill(0), prev: null };
}

/** (score, member) order: compare, never subtract (inf - inf is NaN). */
function before(n: ZNode, score: number, member: string): boolean {
  return n.score < score || (n.score === score && n.member < member);
}

/** Scratch for insert/unlink (one command runs at a time): no allocation per operation. */
const UPDATE = new Array<ZNode | null>(MAX_LEVEL).fill(null);
const RANK = new Array<number>(MAX_LEVEL).fill(0);

/** zslRandomLevel: P = 1/4. */
function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < 0.25) level++;
  return level;
}

export class ZSet {
  readonly scores = new Map<string, number>();
  // Private (#) so that two sets with the same members compare equal (deep equality sees
  // only `scores`), whatever levels their skip lists drew.
  readonly #head: ZNode = newNode(MAX_LEVEL, 0, '');
  #tail: ZNode | null = null;
  #level = 1;

  get size(): number {
    return this.scores.size;
  }

  /** Inserts or updates; NaN is the caller's to refuse. */
  add(member: string, score: number): void {
    const cur = this.scores.get(member);
    if (cur !== undefined) {
      if (cur === score) return;
      this.#unlink(cur, member);
    }
    this.scores.set(member, score);
    this.#insert(score, member);
  }

  remove(member: string): boolean {
    const cur = this.scores.get(member);
    if (cur === undefined) return false;
    this.scores.delete(member);
    this.#unlink(cur, member);
    return true;
  }

  /** 0-based rank in ascending order, or -1 when absent (zslGetRank). */
  rank(member: string): number {
    const score = this.scores.get(member);
    if (score === undefined) return -1;
    let x = this.#head;
    let r = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && (before(n, score, member) || (n.score === score && n.member === member))) {
        r += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
      if (x !== this.#head && x.member === member) return r - 1;
    }
    return -1;
  }

  /** The node at a 0-based rank, or null (zslGetElementByRank). */
  at(rank: number): ZNode | null {
    if (rank < 0 || rank >= this.size) return null;
    const want = rank + 1;
    let x = this.#head;
    let traversed = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      while (x.next[i] !== null && traversed + x.span[i]! <= want) {
        traversed += x.span[i]!;
        x = x.next[i]!;
      }
      if (traversed === want) return x;
    }
    return null;
  }

  first(): ZNode | null {
    return this.#head.next[0]!;
  }

  last(): ZNode | null {
    return this.#tail;
  }

  /** The first node for which `gteMin` holds, given it is monotone in the order (descent). */
  firstWhere(gteMin: (n: ZNode) => boolean): ZNode | null {
    let x = this.#head;
    for (let i = this.#level - 1; i >= 0; i--) {
      while (x.next[i] !== null && !gteMin(x.next[i]!)) x = x.next[i]!;
    }
    return x.next[0]!;
  }

  /** The last node for which `lteMax` holds, given it is monotone in the order (descent). */
  lastWhere(lteMax: (n: ZNode) => boolean): ZNode | null {
    let x = this.#head;
    for (let i = this.#level - 1; i >= 0; i--) {
      while (x.next[i] !== null && lteMax(x.next[i]!)) x = x.next[i]!;
    }
    return x === this.#head ? null : x;
  }

  /** Members in (score, member) order. O(n): prefer at()/first() walks for ranges. */
  ordered(): string[] {
    const out = new Array<string>(this.size);
    let i = 0;
    for (let n = this.#head.next[0]!; n !== null; n = n.next[0]!) out[i++] = n.member;
    return out;
  }

  /** Nodes in order (a method, not an iterator: deep equality must see only `scores`). */
  *nodes(): IterableIterator<ZNode> {
    for (let n = this.#head.next[0]!; n !== null; n = n.next[0]!) yield n;
  }

  clone(): ZSet {
    const z = new ZSet();
    for (let n = this.#head.next[0]!; n !== null; n = n.next[0]!) z.add(n.member, n.score);
    return z;
  }

  /** zslInsert: the member must not be in the list. */
  #insert(score: number, member: string): void {
    const update = UPDATE as ZNode[];
    const rank = RANK;
    let x = this.#head;
    for (let i = this.#level - 1; i >= 0; i--) {
      rank[i] = i === this.#level - 1 ? 0 : rank[i + 1]!;
      while (x.next[i] !== null && before(x.next[i]!, score, member)) {
        rank[i]! += x.span[i]!;
        x = x.next[i]!;
      }
      update[i] = x;
    }
    const level = randomLevel();
    const len = this.size - 1; // scores already holds the new member
    if (level > this.#level) {
      for (let i = this.#level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.#head;
        this.#head.span[i] = len;
      }
      this.#level = level;
    }
    const n = newNode(level, score, member);
    for (let i = 0; i < level; i++) {
      const u = update[i]!;
      n.next[i] = u.next[i]!;
      u.next[i] = n;
      n.span[i] = u.span[i]! - (rank[0]! - rank[i]!);
      u.span[i] = rank[0]! - rank[i]! + 1;
    }
    for (let i = level; i < this.#level; i++) update[i]!.span[i]!++;
    n.prev = update[0] === this.#head ? null : update[0]!;
    if (n.next[0] !== null) n.next[0]!.prev = n;
    else this.#tail = n;
  }

  /** zslDelete of the node holding (score, member). */
  #unlink(score: number, member: string): void {
    const update = UPDATE as ZNode[];
    let x = this.#head;
    for (let i = this.#level - 1; i >= 0; i--) {
      while (x.next[i] !== null && before(x.next[i]!, score, member)) x = x.next[i]!;
      update[i] = x;
    }
    const n = x.next[0]!;
    if (n === null || n.score !== score || n.member !== member) throw new Error(`zset skip list lost member ${JSON.stringify(member)}`);
    for (let i = 0; i < this.#level; i++) {
      const u = update[i]!;
      if (u.next[i] === n) {
        u.span[i]! += n.span[i]! - 1;
        u.next[i] = n.next[i]!;
      } else {
        u.span[i]!--;
      }
    }
    if (n.next[0] !== null) n.next[0]!.prev = n.prev;
    else this.#tail = n.prev;
    while (this.#level > 1 && this.#head.next[this.#level - 1] === null) this.#level--;
  }
}
