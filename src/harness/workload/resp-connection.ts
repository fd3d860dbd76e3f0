/**
 * A small promise-based RESP connection for control traffic and read-back (INFO, BGSAVE,
 * DBSIZE, MGET pages). Not the load path: the workload driver uses its own lean clients.
 */
import net from 'node:net';
import { RespError, RespReader, type Reply } from './resp-reader.js';
import { CommandWriter } from './resp-writer.js';

export class ReplyError extends Error {
  override name = 'ReplyError';
}

export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
}

type Arg = string | number | Buffer;

/** One or more expected replies: `replies` collects them, or null to only count errors. */
interface Waiter {
  n: number;
  replies: Reply[] | null;
  errors: number;
  firstError: string | null;
  resolve: (w: Waiter) => void;
  reject: (e: Error) => void;
}

export interface BatchResult {
  errors: number;
  firstError: string | null;
}

export class RespConnection {
  private readonly waiters: Waiter[] = [];
  private head = 0;
  private readonly writer = new CommandWriter();
  private closedError: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    const reader = new RespReader((r) => {
      const w = this.waiters[this.head];
      if (!w) throw new Error('RESP protocol error: a reply nobody asked for');
      if (w.replies) w.replies.push(r);
      if (r instanceof RespError) {
        w.errors++;
        w.firstError ??= r.message;
      }
      if (--w.n > 0) return;
      this.waiters[this.head++] = undefined as unknown as Waiter;
      if (this.head > 1024 && this.head * 2 > this.waiters.length) {
        this.waiters.splice(0, this.head);
        this.head = 0;
      }
      w.resolve(w);
    });
    socket.on('data', (chunk) => {
      try {
        reader.feed(chunk);
      } catch (err) {
        socket.destroy(err as Error);
      }
    });
    socket.on('error', (err) => {
      this.closedError ??= new ConnectionClosedError(`connection to ${socket.remotePort} failed: ${err.message}`);
    });
    socket.on('close', () => {
      this.closedError ??= new ConnectionClosedError('connection closed by the server');
      for (let i = this.head; i < this.waiters.length; i++) this.waiters[i]?.reject(this.closedError);
      this.waiters.length = 0;
      this.head = 0;
    });
  }

  static connect(port: number, host = '127.0.0.1', timeoutMs = 5000): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ConnectionClosedError(`could not connect to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new RespConnection(socket));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new ConnectionClosedError(`could not connect to ${host}:${port}: ${err.message}`));
      });
    });
  }

  get closed(): boolean {
    return this.closedError !== null || this.socket.destroyed;
  }

  private expect(n: number, collect: boolean): Promise<Waiter> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ n, replies: collect ? [] : null, errors: 0, firstError: null, resolve, reject });
    });
  }

  /** Sends one command; resolves with its reply, error replies included (as RespError). */
  async send(args: readonly Arg[]): Promise<Reply> {
    if (this.closedError) throw this.closedError;
    const p = this.expect(1, true);
    this.writer.command(args);
    this.socket.write(this.writer.take());
    return (await p).replies![0]!;
  }

  /** Sends one command; rejects with ReplyError on an error reply. */
  async call(...args: Arg[]): Promise<Reply> {
    const r = await this.send(args);
    if (r instanceof RespError) throw new ReplyError(`${String(args[0])}: ${r.message}`);
    return r;
  }

  /** Sends many commands in one write; replies in order (errors as RespError values). */
  async pipeline(cmds: readonly (readonly Arg[])[]): Promise<Reply[]> {
    if (this.closedError) throw this.closedError;
    if (cmds.length === 0) return [];
    const p = this.expect(cmds.length, true);
    for (const c of cmds) this.writer.command(c);
    this.socket.write(this.writer.take());
    return (await p).replies!;
  }

  /**
   * Sends `count` commands that encode() writes in one go, and only counts their replies
   * (bulk loading: one promise per batch, none per command).
   */
  async batch(count: number, encode: (w: CommandWriter) => void): Promise<BatchResult> {
    if (this.closedError) throw this.closedError;
    if (count === 0) return { errors: 0, firstError: null };
    const p = this.expect(count, false);
    encode(this.writer);
    this.socket.write(this.writer.take());
    const w = await p;
    return { errors: w.errors, firstError: w.firstError };
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Reply → string (bulk strings and status replies); throws on anything else. */
export function replyText(r: Reply): string {
  if (typeof r === 'string') return r;
  if (Buffer.isBuffer(r)) return r.toString('utf8');
  throw new ReplyError(`expected a string reply, got ${describeReply(r)}`);
}

export function replyInt(r: Reply): number {
  if (typeof r === 'number') return r;
  throw new ReplyError(`expected an integer reply, got ${describeReply(r)}`);
}

export function describeReply(r: Reply): string {
  if (r === null) return 'nil';
  if (r instanceof RespError) return `error "${r.message}"`;
  if (Array.isArray(r)) return `array of ${r.length}`;
  if (Buffer.isBuffer(r)) return `"${r.toString('utf8', 0, 40)}"`;
  return JSON.stringify(r);
}
