/**
 * Reading and comparing datasets for the RDB interop tests: a live server's keys and values
 * (binary safe, over SCAN/HSCAN), an RDB file's (our decoder), a keyspace written into a live
 * server with ordinary commands, and redis-check-rdb.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { expect } from 'vitest';
import { type Keyspace, List, ZSet, type Value } from '../../src/server/keyspace.js';
import { listpackEntries, loadRdb, QUICKLIST_NODE_CONTAINER_PLAIN, RDB_ENC_LZF, RDB_TYPE_LIST_QUICKLIST_2, RdbReader } from '../../src/server/persistence/rdb/index.js';
import { plainEntries, type PlainEntry } from '../unit/rdb/fixtures.js';

const execFileP = promisify(execFile);

const latin1 = (b: Buffer): string => b.toString('latin1');

function parseScore(s: string): number {
  return s === 'inf' || s === '+inf' ? Infinity : s === '-inf' ? -Infinity : Number(s);
}

export async function scanAll(client: Redis, cmd: string, key: Buffer | null): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let cursor = '0';
  do {
    const args = key === null ? [cursor, 'COUNT', '1000'] : [key, cursor, 'COUNT', '1000'];
    const [next, items] = (await client.callBuffer(cmd, args)) as [Buffer, Buffer[]];
    cursor = latin1(next);
    out.push(...items);
  } while (cursor !== '0');
  return out;
}

export async function readServer(client: Redis): Promise<PlainEntry[]> {
  const keys = [...new Set((await scanAll(client, 'SCAN', null)).map(latin1))];
  const entries: [string, Value, number | undefined][] = [];
  for (const k of keys) {
    const key = Buffer.from(k, 'latin1');
    const type = String(await client.call('TYPE', key));
    let value: Value;
    if (type === 'string') value = latin1((await client.callBuffer('GET', [key])) as Buffer);
    else if (type === 'list') value = new List(((await client.callBuffer('LRANGE', [key, '0', '-1'])) as Buffer[]).map(latin1));
    else if (type === 'set') value = new Set(((await client.callBuffer('SMEMBERS', [key])) as Buffer[]).map(latin1));
    else if (type === 'hash') {
      const flat = (await scanAll(client, 'HSCAN', key)).map(latin1);
      const h = new Map<string, string>();
      for (let i = 0; i < flat.length; i += 2) h.set(flat[i]!, flat[i + 1]!);
      value = h;
    } else if (type === 'zset') {
      // Flat [member, score, ...] (RESP2) or [member, score] pairs, depending on the client.
      const reply = (await client.callBuffer('ZRANGE', [key, '0', '-1', 'WITHSCORES'])) as unknown[];
      const flat = reply.flatMap((x) => (Array.isArray(x) ? x : [x])) as (Buffer | number)[];
      const z = new ZSet();
      for (let i = 0; i < flat.length; i += 2) {
        const score = flat[i + 1]!;
        z.add(latin1(flat[i] as Buffer), typeof score === 'number' ? score : parseScore(latin1(score)));
      }
      value = z;
    } else throw new Error(`unexpected type ${type} for ${JSON.stringify(k)}`);
    const at = Number(await client.call('PEXPIRETIME', key));
    entries.push([k, value, at >= 0 ? at : undefined]);
  }
  return plainEntries(entries);
}

export function decodeFile(file: string): { entries: PlainEntry[]; stats: ReturnType<typeof loadRdb> } {
  const entries: [string, Value, number | undefined][] = [];
  const stats = loadRdb(fs.readFileSync(file), (k, v, e) => entries.push([k, v, e]));
  return { entries: plainEntries(entries), stats };
}

/** Deep equality with a readable report: the first differing key rather than a 100-key diff. */
export function expectSameEntries(actual: PlainEntry[], expected: PlainEntry[]): void {
  expect(actual.map((e) => e[0])).toEqual(expected.map((e) => e[0]));
  for (let i = 0; i < expected.length; i++) expect(actual[i], `key ${JSON.stringify(expected[i]![0]).slice(0, 80)}`).toStrictEqual(expected[i]);
}

export async function checkRdb(file: string): Promise<string> {
  const { stdout, stderr } = await execFileP('redis-check-rdb', [file]);
  return stdout + stderr;
}

/** Writes a keyspace into a live server with ordinary commands. */
export async function populate(client: Redis, ks: Keyspace): Promise<void> {
  const b = (s: string): Buffer => Buffer.from(s, 'latin1');
  const batches = <T>(items: T[], n: number): T[][] =>
    Array.from({ length: Math.ceil(items.length / n) }, (_, i) => items.slice(i * n, i * n + n));
  for (const [k, v] of ks.data) {
    const key = b(k);
    if (typeof v === 'string') await client.call('SET', key, b(v));
    else if (v instanceof List) for (const part of batches(v.items, 500)) await client.call('RPUSH', key, ...part.map(b));
    else if (v instanceof Map) for (const part of batches([...v], 500)) await client.call('HSET', key, ...part.flat().map(b));
    else if (v instanceof Set) for (const part of batches([...v], 500)) await client.call('SADD', key, ...part.map(b));
    else
      for (const part of batches([...v.scores], 500))
        await client.call('ZADD', key, ...part.flatMap(([m, s]) => [s === Infinity ? '+inf' : s === -Infinity ? '-inf' : String(s), b(m)]));
    const at = ks.getExpire(k);
    if (at !== undefined) await client.call('PEXPIREAT', key, String(at));
  }
}

/**
 * A list's quicklist nodes in an RDB value (type byte first, as DUMP gives it): "elements/bytes"
 * per listpack node, with "z" when it is LZF-compressed, and "P<bytes>" for a PLAIN node.
 */
export function quicklistLayout(value: Buffer): string {
  const r = new RdbReader(value);
  expect(r.u8('type')).toBe(RDB_TYPE_LIST_QUICKLIST_2);
  const out: string[] = [];
  for (let n = r.count('nodes'); n > 0; n--) {
    const container = r.len('container');
    const lzf = r.buf[r.pos] === (0xc0 | RDB_ENC_LZF);
    const b = r.blob('node');
    out.push(container === QUICKLIST_NODE_CONTAINER_PLAIN ? `P${b.length}` : `${listpackEntries(b).length}/${b.length}${lzf ? 'z' : ''}`);
  }
  return out.join(' ');
}
