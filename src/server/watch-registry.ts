import type { Keyspace } from './keyspace.js';

/**
 * WATCH's registry for one database (Redis keeps one per database: db->watched_keys): which
 * clients watch which key, fed by the keyspace's onTouch hook, which runs before every
 * change to a key (a write, an expiry), and onTouchAll (FLUSHDB, FLUSHALL, SWAPDB). A touch
 * marks every watcher of the key dirty (CLIENT_DIRTY_CAS), so its next EXEC answers the null
 * array. The hooks are installed only while some key is watched: without watchers a write
 * pays one null check. A client may watch keys in several databases, so in several registries.
 */
export interface Watcher {
  /** A watched key was touched: EXEC must fail. */
  dirtyCas: boolean;
  /** What this client watches, in every database, by slot (the registries add and remove entries). */
  readonly watched: Map<string, WatchedKey>;
  /** The registries it watches keys in (watch() adds itself). */
  readonly registries: WatchRegistry[];
  /** Forgets every watched key in every database (unwatchAllKeys). */
  unwatch(): void;
}

export interface WatchedKey {
  readonly key: string;
  readonly watcher: Watcher;
  /** The registry (database) it is watched in. */
  readonly registry: WatchRegistry;
  /** Its key in Watcher.watched: the database id, a NUL, the key. */
  readonly slot: string;
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
    const slot = this.ks.id + '\0' + key;
    if (w.watched.has(slot)) return;
    const wk: WatchedKey = { key, watcher: w, registry: this, slot, expired: this.isStale(key), pending: false };
    w.watched.set(slot, wk);
    if (!w.registries.includes(this)) w.registries.push(this);
    let set = this.byKey.get(key);
    if (set === undefined) {
      set = new Set();
      this.byKey.set(key, set);
    }
    set.add(wk);
    if (this.ks.onTouch === null) {
      this.ks.onTouch = (k) => this.touch(k);
      this.ks.onTouchAll = (replacedWith) => this.touchAll(replacedWith);
    }
  }

  /** UNWATCH, EXEC, DISCARD, a closed connection: forget every key w watches in this database. */
  unwatchAll(w: Watcher): void {
    for (const wk of w.watched.values()) {
      if (wk.registry !== this) continue;
      w.watched.delete(wk.slot);
      const set = this.byKey.get(wk.key);
      if (set === undefined) continue;
      set.delete(wk);
      if (set.size === 0) this.byKey.delete(wk.key);
    }
    if (this.byKey.size === 0 && this.ks.onTouch !== null) {
      this.ks.onTouch = null;
      this.ks.onTouchAll = null;
    }
  }

  /**
   * At EXEC, before running the queue (isWatchedKeyExpired): a key alive at WATCH that is
   * past its TTL now counts as touched even if nothing deleted it yet; a stale key whose
   * touch is pending counts when it is still stored (it was overwritten).
   */
  dirtyAtExec(w: Watcher): boolean {
    if (w.dirtyCas) return true;
    for (const wk of w.watched.values()) {
      if (wk.registry !== this) continue;
      if (wk.expired ? wk.pending && this.ks.data.has(wk.key) : this.isStale(wk.key)) return true;
    }
    return false;
  }

  /** How many keys are watched by anyone (tests; Redis's watching_clients is per client). */
  get size(): number {
    return this.byKey.size;
  }

  /** The key is stored but past its TTL (keyIsExpired, without deleting it). */
  private isStale(key: string, ks: Keyspace = this.ks): boolean {
    const at = ks.getExpire(key);
    return at !== undefined && at <= Date.now() && ks.data.has(key);
  }

  /**
   * Every key of the database goes (FLUSHDB/FLUSHALL, `replacedWith` null) or is replaced by
   * another database's (SWAPDB), as touchAllWatchedKeysInDb judges it: a watched key present
   * in either is touched, except that an already expired key that is gone or stays expired is
   * no logical change, and a missing key replaced by an expired one counts as expired.
   */
  private touchAll(replacedWith: Keyspace | null): void {
    const dirty: Watcher[] = [];
    for (const [key, set] of this.byKey) {
      const inEmptied = this.ks.data.has(key);
      const inReplaced = replacedWith !== null && replacedWith.data.has(key);
      if (!inEmptied && !inReplaced) continue;
      for (const wk of set) {
        if (wk.expired) {
          if (!inReplaced) {
            wk.expired = false; // an expired key now deleted
            wk.pending = false;
            continue;
          }
          if (this.isStale(key, replacedWith!)) continue; // still expired
        } else if (!inEmptied && this.isStale(key, replacedWith!)) {
          wk.expired = true; // a missing key replaced by an expired one
          continue;
        }
        dirty.push(wk.watcher);
      }
    }
    for (const w of dirty) {
      w.dirtyCas = true;
      w.unwatch();
    }
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
    // A dirty client's EXEC fails whatever else happens: forget its keys now, in every
    // database (unwatchAllKeys).
    for (const w of dirty) {
      w.dirtyCas = true;
      w.unwatch();
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
