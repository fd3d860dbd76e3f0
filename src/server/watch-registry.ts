import type { Keyspace } from './keyspace.js';

/**
 * WATCH's registry for one keyspace (Redis keeps one per database: db->watched_keys): which
 * clients watch which key, fed by the keyspace's onTouch hook, which runs before every
 * change to a key (a write, an expiry, FLUSHALL). A touch marks every watcher of the key
 * dirty (CLIENT_DIRTY_CAS), so its next EXEC answers the null array. The hook is installed
 * only while some key is watched: without watchers a write pays one null check.
 */
export interface Watcher {
  /** A watched key was touched: EXEC must fail. */
  dirtyCas: boolean;
  /** What this client watches (the registry adds and removes entries). */
  readonly watched: Map<string, WatchedKey>;
}

export interface WatchedKey {
  readonly key: string;
  readonly watcher: Watcher;
  /**
   * The key was already expired (still stored, past its TTL) at WATCH. Deleting such a key is
   * no logical change (multi.c: "already expired key is deleted, so logically no change"), so
   * the first touch is held as `pending` and judged at EXEC: dirty only if the key is still
   * stored then (it was replaced, not deleted). A second touch means it changed again: dirty.
   */
  expired: boolean;
  pending: boolean;
}

export class WatchRegistry {
  private readonly byKey = new Map<string, Set<WatchedKey>>();

  constructor(private readonly ks: Keyspace) {}

  /** WATCH key: remembers whether the key was already expired, as watchForKey does. */
  watch(w: Watcher, key: string): void {
    if (w.watched.has(key)) return;
    const wk: WatchedKey = { key, watcher: w, expired: this.isStale(key), pending: false };
    w.watched.set(key, wk);
    let set = this.byKey.get(key);
    if (set === undefined) {
      set = new Set();
      this.byKey.set(key, set);
    }
    set.add(wk);
    if (this.ks.onTouch === null) this.ks.onTouch = (k) => this.touch(k);
  }

  /** UNWATCH, EXEC, DISCARD, a closed connection: forget every key of w. */
  unwatchAll(w: Watcher): void {
    for (const wk of w.watched.values()) {
      const set = this.byKey.get(wk.key);
      if (set === undefined) continue;
      set.delete(wk);
      if (set.size === 0) this.byKey.delete(wk.key);
    }
    w.watched.clear();
    if (this.byKey.size === 0 && this.ks.onTouch !== null) this.ks.onTouch = null;
  }

  /**
   * At EXEC, before running the queue (isWatchedKeyExpired): a key alive at WATCH that is
   * past its TTL now counts as touched even if nothing deleted it yet; a stale key whose
   * touch is pending counts when it is still stored (it was overwritten).
   */
  dirtyAtExec(w: Watcher): boolean {
    if (w.dirtyCas) return true;
    for (const wk of w.watched.values()) {
      if (wk.expired ? wk.pending && this.ks.data.has(wk.key) : this.isStale(wk.key)) return true;
    }
    return false;
  }

  /** How many keys are watched by anyone (tests; Redis's watching_clients is per client). */
  get size(): number {
    return this.byKey.size;
  }

  /** The key is stored but past its TTL (keyIsExpired, without deleting it). */
  private isStale(key: string): boolean {
    const at = this.ks.getExpire(key);
    return at !== undefined && at <= Date.now() && this.ks.data.has(key);
  }

  private touch(key: string): void {
    const set = this.byKey.get(key);
    if (set === undefined) return;
    const dirty: Watcher[] = [];
    for (const wk of set) {
      if (wk.expired && !wk.pending && this.isStale(key)) {
        wk.pending = true; // the expiry's delete, or an overwrite: known once it is done
        continue;
      }
      dirty.push(wk.watcher);
    }
    // A dirty client's EXEC fails whatever else happens: forget its keys now (as Redis does).
    for (const w of dirty) {
      w.dirtyCas = true;
      this.unwatchAll(w);
    }
  }
}

/** One registry per keyspace, made on first use. */
const registries = new WeakMap<Keyspace, WatchRegistry>();

export function watchRegistry(ks: Keyspace): WatchRegistry {
  let r = registries.get(ks);
  if (r === undefined) {
    r = new WatchRegistry(ks);
    registries.set(ks, r);
  }
  return r;
}
