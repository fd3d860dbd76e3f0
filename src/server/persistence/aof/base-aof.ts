import type { KeyTable } from '../../key-table.js';
import { type Collection, List, Stream, type Value, ZSet } from '../../keyspace.js';
import { encodeCommand, formatDouble } from '../../resp/encoder.js';
import type { SnapshotEncoder } from '../background-save.js';
import { streamRewrite } from './stream-aof.js';

/** Commands per emitted command for large collections, as Redis's AOF_REWRITE_ITEMS_PER_CMD. */
const ITEMS_PER_CMD = 64;
const FLUSH_AT = 64 * 1024;

/** Writes a dataset as AOF commands: the `.base.aof` of a rewrite without RDB preamble. */
export class AofBaseEncoder implements SnapshotEncoder {
  private buf = '';

  constructor(private readonly sink: (chunk: Buffer) => void) {}

  /** Each non-empty database's commands follow a SELECT (rewriteAppendOnlyFileRio), database 0 included. */
  db(id: number): void {
    this.emit(['SELECT', String(id)]);
  }

  entry(key: string, value: Value, expireAt: number | undefined): void {
    if (typeof value === 'string') this.emit(['SET', key, value]);
    else if (value instanceof List) this.batched('RPUSH', key, value.items);
    else if (value instanceof Map) this.batched('HSET', key, [...value].flat());
    else if (value instanceof Set) this.batched('SADD', key, [...value]);
    else if (value instanceof ZSet) {
      const flat: string[] = [];
      for (const [m, s] of value.scores) flat.push(formatDouble(s), m);
      this.batched('ZADD', key, flat, 2);
    } else if (value instanceof Stream) for (const argv of streamRewrite(key, value)) this.emit(argv);
    if (expireAt !== undefined) this.emit(['PEXPIREAT', key, String(expireAt)]);
  }

  stored(t: KeyTable<Collection>, e: number): void {
    this.entry(t.key(e), t.value(e), t.expireAt(e));
  }

  private batched(cmd: string, key: string, items: string[], width = cmd === 'HSET' ? 2 : 1): void {
    const per = ITEMS_PER_CMD * width;
    for (let i = 0; i < items.length; i += per) this.emit([cmd, key, ...items.slice(i, i + per)]);
  }

  private emit(argv: string[]): void {
    this.buf += encodeCommand(argv);
    if (this.buf.length >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    this.sink(Buffer.from(this.buf, 'latin1'));
    this.buf = '';
  }

  finish(): void {
    this.flush();
  }
}
