import type { Entry } from './dispatch.js';
import type { Watcher, WatchedKey, WatchRegistry } from './watch-registry.js';

/** A command queued between MULTI and EXEC, looked up and checked when it was queued. */
export interface Queued {
  readonly entry: Entry;
  readonly argv: string[];
}

/**
 * One client's transaction state (Redis's CLIENT_MULTI, CLIENT_DIRTY_EXEC, CLIENT_DIRTY_CAS,
 * mstate and watched_keys). Made on the client's first MULTI or WATCH; a client that never
 * uses them carries none.
 */
export class TxState implements Watcher {
  /** Between MULTI and EXEC/DISCARD: commands are queued, not run. */
  multi = false;
  queue: Queued[] = [];
  /** A command was refused while queuing: EXEC answers -EXECABORT (CLIENT_DIRTY_EXEC). */
  dirtyExec = false;
  dirtyCas = false;
  /** Some queued command is a write / may not run while loading (EXEC's own checks use them). */
  queuedWrite = false;
  queuedNotLoading = false;
  readonly watched = new Map<string, WatchedKey>();
  /** The registry of the keyspace this client watches in (one database here). */
  registry: WatchRegistry | null = null;

  enqueue(entry: Entry, argv: string[]): void {
    // an aborted transaction keeps nothing (queueMultiCommand)
    if (this.dirtyExec || this.dirtyCas) return;
    this.queue.push({ entry, argv });
    if (entry.write) this.queuedWrite = true;
    if (!entry.loading) this.queuedNotLoading = true;
  }

  /** A command was refused: inside MULTI the transaction is doomed (flagTransaction). */
  flag(): void {
    if (this.multi) this.dirtyExec = true;
  }

  unwatch(): void {
    this.registry?.unwatchAll(this);
  }

  /** DISCARD, EXEC's end, a closed connection: back to no transaction, nothing watched (discardTransaction). */
  discard(): void {
    this.multi = false;
    this.queue = [];
    this.dirtyExec = false;
    this.dirtyCas = false;
    this.queuedWrite = false;
    this.queuedNotLoading = false;
    this.unwatch();
  }
}
