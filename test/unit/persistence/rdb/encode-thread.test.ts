import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../../../src/server/keyspace.js';
import { encodeThreadHandler } from '../../../../src/server/persistence/rdb/encode-thread.js';
import type { FromEncodeThread } from '../../../../src/server/persistence/rdb/encode-thread-protocol.js';

// The thread's handler, called in-process: what a range message's spare chunks become.
describe('encodeThreadHandler', () => {
  it('fills the spare chunks a range brings before allocating any: a save circulates one set of buffers', () => {
    const ks = new Keyspace();
    const rnd = crypto.randomBytes(2000 * 100);
    for (let i = 0; i < 2000; i++) ks.set(`key:${i}`, rnd.toString('latin1', i * 100, i * 100 + 100));
    const t = ks.data;
    const replies: FromEncodeThread[] = [];
    const handle = encodeThreadHandler((r) => replies.push(r));
    const chunkSize = 4096;
    handle({ id: 1, kind: 'begin', compress: true, checksum: true, chunkSize });
    handle({ id: 1, kind: 'table', memory: t.memory(), end: t.highWater, claims: new Uint8Array(t.highWater) });
    const spare = Array.from({ length: 8 }, () => new Uint8Array(new ArrayBuffer(chunkSize)));
    const given = new Set(spare.map((u) => u.buffer));
    handle({ id: 1, kind: 'range', from: 0, to: 300, spare });
    const first = replies.flatMap((r) => ('out' in r ? r.out : []));
    expect(first.length).toBeGreaterThan(2);
    // the chunk the encoder was filling when the range came is its own; every later one is a spare
    expect(first.slice(1).every((u) => given.has(u.buffer as ArrayBuffer))).toBe(true);
    // Spare chunks used up, the next range's chunks are the thread's own.
    handle({ id: 1, kind: 'range', from: 300, to: t.highWater, spare: [] });
    const all = replies.flatMap((r) => ('out' in r ? r.out : []));
    expect(all.some((u) => !given.has(u.buffer as ArrayBuffer))).toBe(true);
    expect(replies.reduce((n, r) => n + ('keys' in r ? r.keys : 0), 0)).toBe(2000);
  });
});
