import net from 'node:net';
import { STREAM_LIMITS } from './stream/stream.js';
import { setEncodingLimits } from './encoding.js';
import { adminCommands } from './commands/admin-cmds.js';
import type { Client, Command, Ctx, ServerApi } from './commands/command.js';
import { connectionCommands } from './commands/connection-cmds.js';
import { dataCommands } from './commands/index.js';
import { transactionCommands } from './commands/transactions.js';
import type { Config } from './config.js';
import { canonicalName } from './config-options.js';
import { Connection, type Dispatcher } from './connection.js';
import { commandStatFields, ErrorStats } from './command-stats.js';
import { commandTable, dispatch, replay, type CommandTable, type DispatchHost } from './dispatch.js';
import { Blocking } from './blocking.js';
import { readIntoShared } from './shared-read.js';
import { infoSections, renderInfo } from './info.js';
import { Databases } from './databases.js';
import { Logger } from './log.js';
import { Persistence } from './persistence/persistence.js';
import { GcPauses } from './stall-monitor.js';
import { YoungGenCap } from './young-gen-cap.js';
import { IdleCollector } from './idle-gc.js';
import { Stats } from './stats.js';
import { tickLruClock } from './lru-clock.js';
import { atTurnEndReplies } from './turn-end.js';

/**
 * The built-in server: net → resp → commands → keyspace, with persistence fed through
 * propagate() after each write (Redis's call() → propagate → feedAppendOnlyFile shape).
 * Replies wait for the end of the event-loop turn (beforeSleep), where one AOF flush (with an
 * AOF) precedes them all, so every acknowledged write is in the file (and, with `always`,
 * fsynced) before its reply leaves.
 */
export class Server implements Dispatcher, ServerApi, DispatchHost {
  /** The databases (`databases` of them, each made on first use). */
  readonly dbs: Databases;
  readonly stats = new Stats();
  readonly errorStats = new ErrorStats();
  readonly log: Logger;
  readonly persistence: Persistence;
  /** GC pauses (INFO gc_*), from PerformanceObserver('gc'). */
  readonly gc = new GcPauses();
  loading = false;
  readonly table: CommandTable;
  private readonly all: Command[];
  private readonly conns = new Map<number, Connection>();
  private readonly youngGen = new YoungGenCap();
  private readonly idleGc = new IdleCollector({
    commandsProcessed: () => this.stats.totalCommands,
    mayRun: () => !this.loading && !this.persistence.snapshotting,
  });
  /** Connections with replies waiting for this turn's beforeSleep (each at most once). */
  private pending: Connection[] = [];
  private readonly servers: net.Server[] = [];
  private nextId = 1;
  private flushScheduled = false;
  private timers: NodeJS.Timeout[] = [];
  private stopping = false;
  /** The handlers' context, reused by dispatch for every command. */
  readonly ctx: Ctx;
  /** Clients waiting in BLPOP, BZPOPMIN... */
  readonly blocking: Blocking;
  /** Parsed client-output-buffer-limit (normal class hard limit), cached off the hot path. */
  private outputLimit: number;

  constructor(readonly config: Config) {
    this.log = new Logger(() => config.get('loglevel'), config.get('logfile'));
    this.all = [...connectionCommands, ...adminCommands, ...transactionCommands, ...dataCommands];
    this.table = commandTable(this.all);
    this.outputLimit = config.outputHardLimit();
    this.dbs = new Databases(config.num('databases'));
    this.persistence = new Persistence({
      dbs: this.dbs,
      config,
      log: this.log,
      replay: (argv, client) => void this.replay(argv, client),
      loading: () => this.loading,
      retryFlush: () => this.retryFlush(),
      commandsProcessed: () => this.stats.totalCommands,
    });
    this.dbs.onExpire = (db, key) => {
      this.stats.expiredKeys++;
      this.persistence.propagate(['DEL', key], db);
    };
    this.blocking = new Blocking((client, reply) => (client as Connection).unblocked(reply));
    this.ctx = { ks: this.dbs.get(0), dbs: this.dbs, client: null as unknown as Client, server: this, resp: 2, rewritten: null, blocking: this.blocking };
    this.applyStreamLimits();
    this.applyEncodingLimits();
  }

  /** stream-node-max-bytes / -entries reach the streams' node splitting. */
  private applyStreamLimits(): void {
    STREAM_LIMITS.nodeMaxBytes = this.config.num('stream-node-max-bytes');
    STREAM_LIMITS.nodeMaxEntries = this.config.num('stream-node-max-entries');
  }

  /** The *-max-listpack-* / set-max-intset-entries / list-* knobs reach encoding.ts (existing keys keep theirs). */
  private applyEncodingLimits(): void {
    const c = this.config;
    setEncodingLimits(
      {
        hashMaxListpackEntries: c.num('hash-max-listpack-entries'),
        hashMaxListpackValue: c.num('hash-max-listpack-value'),
        zsetMaxListpackEntries: c.num('zset-max-listpack-entries'),
        zsetMaxListpackValue: c.num('zset-max-listpack-value'),
        setMaxIntsetEntries: c.num('set-max-intset-entries'),
        listMaxListpackSize: c.num('list-max-listpack-size'),
        listCompressDepth: c.num('list-compress-depth'),
      },
      this.dbs.collections(),
    );
  }

  /** Listens first, then loads: while loading, clients get -LOADING (measurable from outside). */
  async start(): Promise<void> {
    const port = this.config.num('port');
    for (const addr of this.config.get('bind').split(/\s+/).filter(Boolean)) {
      const srv = net.createServer({ pauseOnConnect: true }, (s) => this.accept(s, srv));
      srv.maxConnections = this.config.num('maxclients') + 32;
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ port, host: addr.replace(/^-/, ''), backlog: this.config.num('tcp-backlog') }, () => resolve());
      });
      srv.on('error', (e) => this.log.warning(`Listener error: ${e.message}`));
      this.servers.push(srv);
    }
    this.log.notice(`Server initialized, pid ${process.pid}, listening on ${this.config.get('bind')}:${port}`);
    tickLruClock();
    this.loading = true;
    try {
      await this.persistence.load();
    } finally {
      this.loading = false;
    }
    this.log.notice('Ready to accept connections tcp');
    const hz = Math.max(1, this.config.num('hz'));
    this.timers.push(setInterval(() => this.cron(), Math.floor(1000 / hz)));
    this.timers.push(setInterval(() => this.stats.sample(), 100));
  }

  private accept(accepted: net.Socket, srv: net.Server): void {
    if (this.stopping || this.conns.size >= this.config.num('maxclients')) {
      this.stats.rejectedConnections++;
      accepted.end('-ERR max number of clients reached\r\n');
      return;
    }
    let conn: Connection | null = null;
    const socket = readIntoShared(accepted, srv, (chunk) => conn!.onData(chunk));
    conn = new Connection(this.nextId++, socket, this);
    this.conns.set(conn.id, conn);
    this.stats.totalConnections++;
  }

  private cron(): void {
    tickLruClock();
    this.dbs.activeExpireCycle();
    this.dbs.rehashFor(1);
    this.persistence.cron();
    this.youngGen.tick();
    this.idleGc.tick();
  }

  // ---- Dispatcher ----

  execute(conn: Connection, argv: string[]): string {
    this.stats.totalCommands++;
    return dispatch(this, conn, argv);
  }

  /** Runs a command from the AOF while loading: no auth, no replies, no propagation. */
  replay(argv: string[], client: Client): string {
    return replay(this, client, argv);
  }

  queueReply(conn: Connection): void {
    if (conn.queued) return;
    conn.queued = true;
    this.pending.push(conn);
    this.retryFlush();
  }

  /**
   * One AOF flush for everything this turn produced, then the replies (group commit). Without
   * an AOF the replies wait here too, as Redis writes them in beforeSleep
   * (handleClientsWithPendingWrites): the turn's reads all run first, then its writes, so a
   * client is woken once per burst of replies instead of once per connection read (waking
   * it was 27 % of the CPU time of GET at -P 16, in the kernel: 390k → 575k GET/s).
   */
  beforeSleep(): void {
    this.flushScheduled = false;
    const r = this.persistence.flush();
    if (r === 'wait') return; // persistence calls retryFlush() when it can go on
    if (r === 'failed') {
      // Never acknowledge a write the AOF did not take: drop the clients that wrote.
      for (const c of this.pending) if (c.wroteThisTurn) c.close();
    }
    const conns = this.pending;
    this.pending = [];
    for (const c of conns) {
      c.queued = false;
      c.wroteThisTurn = false;
      c.flush();
    }
  }

  /** Schedules beforeSleep for this turn when replies wait (also after an fsync completes). */
  retryFlush(): void {
    if (this.pending.length > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      atTurnEndReplies(() => this.beforeSleep());
    }
  }

  protoMaxBulkLen(): number {
    return this.config.num('proto-max-bulk-len');
  }

  queryBufferLimit(): number {
    return this.config.num('client-query-buffer-limit');
  }

  outputHardLimit(): number {
    return this.outputLimit;
  }

  needsAuth(): boolean {
    return this.config.get('requirepass') !== '';
  }

  closed(conn: Connection): void {
    this.conns.delete(conn.id);
    if (conn.blocked) this.blocking.remove(conn);
  }

  // ---- ServerApi ----

  info(section: string | undefined): string {
    return renderInfo(infoSections(this), section);
  }

  configGet(): Array<[string, string]> {
    return this.config.matching(() => true);
  }

  configSet(name: string, value: string): void {
    const before = this.config.get(canonicalName(name) ?? name);
    const option = this.config.setAtRuntime(name, value);
    this.outputLimit = this.config.outputHardLimit();
    this.applyStreamLimits();
    this.applyEncodingLimits();
    this.persistence.configChanged(option, before);
  }

  resetStats(): void {
    this.stats.reset();
    this.gc.reset();
    this.errorStats.reset();
    for (const c of this.all) this.table.get(c.name)!.stats.reset();
  }

  /** INFO commandstats / errorstats fields, and total_error_replies. */
  commandStats(): { commands: Record<string, string>; errors: Record<string, string>; totalErrorReplies: number } {
    const commands = commandStatFields(this.all.map((c) => [c.name, this.table.get(c.name)!.stats] as const));
    return { commands, errors: this.errorStats.fields(), totalErrorReplies: this.errorStats.total };
  }

  clientCount(): number {
    return this.conns.size;
  }

  requirepass(): string {
    return this.config.get('requirepass');
  }

  commands(): readonly Command[] {
    return this.all;
  }

  save(): string {
    return this.persistence.save();
  }

  bgsave(schedule: boolean): string {
    return this.persistence.bgsave(schedule);
  }

  bgrewriteaof(): string {
    return this.persistence.bgrewriteaof();
  }

  lastsave(): number {
    return this.persistence.lastSaveSec;
  }

  flushedAll(): void {
    this.persistence.flushedAll();
  }

  /** SHUTDOWN: persist as configured, then exit. Returns an error text if it refused. */
  shutdown(mode: 'save' | 'nosave' | 'default'): string | null {
    const err = this.persistence.prepareShutdown(mode);
    if (err !== null) return err;
    this.exit(0);
    return null;
  }

  /** SIGTERM/SIGINT: as SHUTDOWN with the configured behaviour. */
  signal(sig: string): void {
    this.log.warning(`Received ${sig} scheduling shutdown...`);
    const err = this.persistence.prepareShutdown('default');
    if (err !== null) this.log.warning(`${err} — exiting anyway`);
    this.exit(err === null ? 0 : 1);
  }

  private exit(code: number): void {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.blocking.close();
    for (const s of this.servers) s.close();
    for (const c of this.conns.values()) c.close();
    this.log.notice('Redis is now ready to exit, bye bye...');
    process.exit(code);
  }

  /** Stops listening and closes clients without persisting (tests, embedding). */
  async close(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.blocking.close();
    this.gc.close();
    this.persistence.close();
    for (const c of this.conns.values()) c.close();
    await Promise.all(this.servers.map((s) => new Promise((r) => s.close(r))));
  }
}
