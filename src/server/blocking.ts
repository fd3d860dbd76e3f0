import type { Client, Ctx } from './commands/command.js';
import { type DispatchHost, propagateUnit, runHandler } from './dispatch.js';
import { List, Stream, ZSet } from './keyspace.js';
import { nullArray } from './resp/encoder.js';

/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, BLMPOP, ...), as Redis's blocked.c:
 * keys → waiting clients in FIFO order; a write command that names a waited-on key marks it
 * ready, and once the outermost command is done each ready key's waiters are served in the
 * order they blocked, by running their command again (it no longer blocks: the data is
 * there, or it waits on in place). A served command propagates its non-blocking effect (the
 * handlers rewrite BLPOP as LPOP, ...). Timeouts reply the null array; a disconnect forgets.
 */

/** What blocking a client means to the connection: it stops running its next commands. */
export interface BlockableClient extends Client {
  blocked?: boolean;
  wroteThisTurn?: boolean;
}

export type WaitKind = 'list' | 'zset' | 'stream';

interface Waiter {
  readonly client: BlockableClient;
  readonly argv: string[];
  /** The database it waits in (its client's, when it blocked). */
  readonly db: number;
  /** Its keys as slots (see slot()). */
  readonly keys: string[];
  readonly kind: WaitKind;
  /** Unix ms; 0 = forever. */
  readonly deadline: number;
  timer: NodeJS.Timeout | null;
}

/** The reply a handler returns when it blocked the client: nothing to send yet. */
export const BLOCKED = '';

/**
 * A key of a database as one map key: keys are per database (Redis's db->blocking_keys). The
 * first NUL ends the database number, so no two (db, key) pairs share a slot.
 */
function slot(db: number, key: string): string {
  return db + '\0' + key;
}

/** setTimeout's limit; longer timeouts re-arm. */
const MAX_DELAY = 0x7fffffff;

export class Blocking {
  private readonly byKey = new Map<string, Waiter[]>();
  private readonly byClient = new Map<BlockableClient, Waiter>();
  private ready = new Set<string>();
  /** Nesting of dispatch calls (EXEC runs commands inside one): serve at the outermost end. */
  depth = 0;
  /** True while re-running a waiter's command: a handler that finds nothing must not re-block. */
  serving = false;
  /** The ready key being served: a served command pops from it alone, as Redis serves a key. */
  private servingKey = '';

  /** `deliver` hands a late reply (served or timed out) to the client's connection. */
  constructor(private readonly deliver: (client: BlockableClient, reply: string) => void) {}

  /** Blocked clients (INFO blocked_clients). */
  get waiting(): number {
    return this.byClient.size;
  }

  /**
   * Called by a blocking handler that found nothing: registers the client (unless this is a
   * re-run while serving, when it simply stays where it is in the queue) and returns BLOCKED.
   */
  block(ctx: Ctx, argv: string[], keys: string[], kind: WaitKind, deadline: number): string {
    if (this.serving) return BLOCKED;
    const client = ctx.client as BlockableClient;
    const db = client.db;
    const w: Waiter = { client, argv, db, keys: [...new Set(keys.map((k) => slot(db, k)))], kind, deadline, timer: null };
    for (const k of w.keys) {
      const q = this.byKey.get(k);
      if (q === undefined) this.byKey.set(k, [w]);
      else q.push(w);
    }
    this.byClient.set(client, w);
    client.blocked = true;
    if (deadline > 0) this.arm(w);
    return BLOCKED;
  }

  /** The keys a blocking command should look at: all of them, or the served key when re-run. */
  candidates(keys: string[]): string[] {
    return this.serving ? [this.servingKey] : keys;
  }

  /** After a write command in database `db`: the keys it names that someone waits on may be ready now. */
  signal(argv: readonly string[], db: number): void {
    // EXEC's commands may not each come through dispatch, and flushes name no keys: every
    // waited-on key (of the flushed database, for FLUSHDB) is a candidate.
    const name = argv[0]!.toLowerCase();
    if (name === 'exec' || name === 'flushall' || name === 'swapdb') for (const k of this.byKey.keys()) this.ready.add(k);
    else if (name === 'flushdb') this.signalDb(db);
    for (let i = 1; i < argv.length; i++) {
      const s = slot(db, argv[i]!);
      if (this.byKey.has(s)) this.ready.add(s);
    }
  }

  /** `key` was added to database `db` by a command naming it elsewhere (MOVE, COPY … DB): signalKeyAsReady. */
  signalKey(db: number, key: string): void {
    const s = slot(db, key);
    if (this.byKey.has(s)) this.ready.add(s);
  }

  /** Database `db`'s data was replaced (SWAPDB): every key waited on there may be ready (scanDatabaseForReadyKeys). */
  signalDb(db: number): void {
    const prefix = slot(db, '');
    for (const s of this.byKey.keys()) if (s.startsWith(prefix)) this.ready.add(s);
  }

  /** Serves the waiters of every ready key, including keys made ready by serving (BLMOVE). */
  serve(host: DispatchHost): void {
    if (this.ready.size === 0 || this.depth > 0) return;
    const ctx = host.ctx;
    const saved = { client: ctx.client, ks: ctx.ks, resp: ctx.resp, rewritten: ctx.rewritten };
    try {
      while (this.ready.size > 0) {
        const keys = this.ready;
        this.ready = new Set();
        for (const key of keys) this.serveKey(host, key);
      }
    } finally {
      ctx.client = saved.client;
      ctx.ks = saved.ks;
      ctx.resp = saved.resp;
      ctx.rewritten = saved.rewritten;
    }
  }

  /** A disconnected client stops waiting. */
  remove(client: BlockableClient): void {
    const w = this.byClient.get(client);
    if (w !== undefined) this.forget(w);
  }

  /** Stops every timer (server shutdown). */
  close(): void {
    for (const w of this.byClient.values()) if (w.timer !== null) clearTimeout(w.timer);
    this.byClient.clear();
    this.byKey.clear();
    this.ready.clear();
  }

  private serveKey(host: DispatchHost, s: string): void {
    const q = this.byKey.get(s);
    if (q === undefined) return;
    const cut = s.indexOf('\0');
    const db = Number(s.slice(0, cut));
    const key = s.slice(cut + 1);
    const ks = host.ctx.dbs.get(db);
    // A copy: served waiters leave the queue as we go.
    for (const w of [...q]) {
      const v = ks.get(key);
      if (w.kind === 'stream') {
        // A stream reader waits on while the key is missing or of another type, except
        // XREADGROUP, whose group went with the stream (unblockDeletedStreamReadgroupClients).
        if (!(v instanceof Stream)) {
          if (w.argv[0]!.toLowerCase() === 'xreadgroup') {
            this.forget(w);
            this.deliver(w.client, '-UNBLOCKED the stream key no longer exists\r\n');
          }
          continue;
        }
      } else if (v === undefined || !(w.kind === 'list' ? v instanceof List : v instanceof ZSet)) {
        // Only a value of the awaited type serves (Redis 7.0 leaves others blocked).
        return;
      }
      this.servingKey = key;
      const reply = this.rerun(host, w);
      if (reply === BLOCKED) continue;
      this.forget(w);
      this.deliver(w.client, reply);
    }
  }

  /** Runs the waiter's command again as its client, propagating what it did. */
  private rerun(host: DispatchHost, w: Waiter): string {
    const ctx = host.ctx;
    ctx.client = w.client;
    ctx.ks = ctx.dbs.get(w.db);
    ctx.resp = w.client.resp;
    ctx.rewritten = null;
    const ks = ctx.ks;
    const dirty = ks.dirty;
    this.serving = true;
    let reply: string;
    try {
      reply = runHandler(host.table.get(w.argv[0]!.toLowerCase())!, ctx, w.argv);
    } finally {
      this.serving = false;
    }
    if (ks.dirty !== dirty) {
      const p = host.persistence;
      if (p.aofOn) {
        const rewritten = ctx.rewritten as string[][] | null;
        if (rewritten === null) p.propagate(w.argv, w.db);
        else propagateUnit(p, rewritten, w.db);
        w.client.wroteThisTurn = true;
      }
      // What the served command wrote (BLMOVE's destination) may serve others.
      this.signal(w.argv, w.db);
    }
    return reply;
  }

  private arm(w: Waiter): void {
    const delay = Math.max(0, w.deadline - Date.now());
    w.timer = setTimeout(() => {
      w.timer = null;
      if (w.deadline > Date.now()) return this.arm(w);
      this.forget(w);
      this.deliver(w.client, nullArray(w.client.resp));
    }, Math.min(delay, MAX_DELAY));
  }

  private forget(w: Waiter): void {
    if (w.timer !== null) clearTimeout(w.timer);
    w.timer = null;
    this.byClient.delete(w.client);
    w.client.blocked = false;
    for (const k of w.keys) {
      const q = this.byKey.get(k);
      if (q === undefined) continue;
      const i = q.indexOf(w);
      if (i >= 0) q.splice(i, 1);
      if (q.length === 0) this.byKey.delete(k);
    }
  }
}
