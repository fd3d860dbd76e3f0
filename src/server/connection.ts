import type { Socket } from 'node:net';
import type { Client } from './commands/command.js';
import { ProtocolError } from './resp/protocol-error.js';
import { RequestDecoder } from './resp/decoder.js';
import type { Proto } from './resp/encoder.js';
import type { TxState } from './tx-state.js';

/** What a connection needs from the server. */
export interface Dispatcher {
  execute(client: Connection, argv: string[]): string;
  queueReply(conn: Connection): void;
  protoMaxBulkLen(): number;
  queryBufferLimit(): number;
  outputHardLimit(): number;
  needsAuth(): boolean;
  closed(conn: Connection): void;
}

/** Above this much unsent output we stop reading the client until it drains. */
const PAUSE_AT = 1 << 20;
/**
 * Replies of one turn are joined into strings of about this many chars, then kept in a list:
 * one string for them all hit V8's string length limit (~537M chars), and the RangeError took the
 * whole server down (2,000 pipelined GETs of a 1 MB value, one read).
 */
const PART = 1 << 20;

/**
 * One client socket: bytes → decoder → commands → replies. Replies are written in one batch
 * at the end of the event-loop turn, after the AOF flush if there is one (the server's
 * beforeSleep).
 */
export class Connection implements Client {
  name = '';
  resp: Proto = 2;
  db = 0;
  authenticated: boolean;
  libName = '';
  libVer = '';
  closeAfterReply = false;
  /** In the server's list of connections waiting for beforeSleep. */
  queued = false;
  /** Ran a write command since the last flush (dropped, never acknowledged, if the flush fails). */
  wroteThisTurn = false;
  /** Replies produced but not yet written (waiting for beforeSleep): full parts, then `out`. */
  out = '';
  private parts: string[] = [];
  /** Chars in `parts`. */
  private partsLength = 0;
  /** Waiting in a blocking command (BLPOP...): later commands are held until it is answered. */
  blocked = false;
  private held: string[][] = [];
  /** MULTI/WATCH state: made by the client's first MULTI or WATCH, dropped with the connection. */
  tx: TxState | undefined = undefined;
  private readonly decoder: RequestDecoder;
  private dead = false;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    private readonly server: Dispatcher,
  ) {
    this.authenticated = !server.needsAuth();
    this.decoder = new RequestDecoder((argv) => this.onCommand(argv), {
      maxBulkLen: server.protoMaxBulkLen(),
      maxQueryBuffer: server.queryBufferLimit(),
      isAuthenticated: () => this.authenticated,
    });
    socket.setNoDelay(true);
    socket.on('drain', () => {
      if (!this.dead) socket.resume();
    });
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  private onCommand(argv: string[]): void {
    if (this.closeAfterReply || this.dead) return;
    if (this.blocked) {
      this.held.push(argv);
      return;
    }
    this.append(this.server.execute(this, argv));
  }

  private append(reply: string): void {
    if (this.out.length + reply.length <= PART) {
      this.out += reply;
      return;
    }
    if (this.out.length > 0) this.parts.push(this.out);
    this.parts.push(reply);
    this.partsLength += this.out.length + reply.length;
    this.out = '';
    // Redis checks the limit as replies are added (closeClientOnOutputBufferLimitReached).
    this.dropIfOverLimit(this.partsLength + this.socket.writableLength);
  }

  /**
   * A client that does not read its replies: dropped rather than let memory grow without
   * bound. `pending`: its unsent output; true when it was dropped.
   */
  private dropIfOverLimit(pending: number): boolean {
    const hard = this.server.outputHardLimit();
    if (hard === 0 || pending <= hard) return false;
    this.close();
    return true;
  }

  /** The blocking command's late reply (served or timed out); then the held commands run. */
  unblocked(reply: string): void {
    if (this.dead) return;
    this.append(reply);
    while (!this.blocked && this.held.length > 0) this.onCommand(this.held.shift()!);
    this.server.queueReply(this);
  }

  /** Bytes read from the socket; valid only during this call (a shared read buffer). */
  onData(chunk: Buffer): void {
    // after a protocol error only its reply goes out (more reads may come in the same turn)
    if (this.dead || this.closeAfterReply) return;
    try {
      this.decoder.feed(chunk);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      // Redis answers the error, then closes this connection only.
      this.append('-ERR ' + e.message + '\r\n');
      this.closeAfterReply = true;
      this.decoder.reset();
    }
    if (this.dead || (this.out.length === 0 && this.parts.length === 0 && !this.closeAfterReply)) return;
    this.server.queueReply(this);
  }

  /** Writes pending replies; enforces the output limit; closes after QUIT/protocol errors. */
  flush(): void {
    if (this.dead) return;
    if (this.out.length > 0 || this.parts.length > 0) {
      const s = this.socket;
      const corked = this.parts.length > 0;
      if (corked) {
        // one writev for all of them
        s.cork();
        for (const part of this.parts) s.write(part, 'latin1');
        this.parts = [];
        this.partsLength = 0;
      }
      if (this.out.length > 0) s.write(this.out, 'latin1');
      this.out = '';
      if (corked) s.uncork();
      const pending = s.writableLength;
      if (this.dropIfOverLimit(pending)) return;
      if (pending > PAUSE_AT) s.pause();
    }
    if (this.closeAfterReply) {
      this.dead = true;
      this.tx?.discard();
      this.socket.end();
      this.server.closed(this);
    }
  }

  close(): void {
    if (this.dead) return;
    this.dead = true;
    this.out = '';
    this.parts = [];
    this.partsLength = 0;
    // a gone client watches nothing (its queue dies with it, never run)
    this.tx?.discard();
    this.socket.destroy();
    this.server.closed(this);
  }
}
