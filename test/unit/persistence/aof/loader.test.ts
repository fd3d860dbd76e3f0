import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Keyspace } from '../../../../src/server/keyspace.js';
import type { Logger } from '../../../../src/server/log.js';
import { AofError } from '../../../../src/server/persistence/aof/aof-error.js';
import { loadAofFiles } from '../../../../src/server/persistence/aof/loader.js';
import type { AofFile } from '../../../../src/server/persistence/aof/manifest.js';
import { defaultAux, encodeKeyspace } from '../../../../src/server/persistence/rdb/index.js';

const resp = (...cmds: string[][]) => cmds.map((a) => `*${a.length}\r\n` + a.map((x) => `$${x.length}\r\n${x}\r\n`).join('')).join('');

let dir: string;
let warnings: string[];
const log = { warning: (m: string) => warnings.push(m), notice: () => {} } as unknown as Logger;
const base: AofFile = { name: 'appendonly.aof.1.base.rdb', seq: 1, type: 'b' };
const incr1: AofFile = { name: 'appendonly.aof.1.incr.aof', seq: 1, type: 'i' };
const incr2: AofFile = { name: 'appendonly.aof.2.incr.aof', seq: 2, type: 'i' };
const hist: AofFile = { name: 'appendonly.aof.0.base.aof', seq: 0, type: 'h' };
const write = (f: AofFile, data: string | Buffer) => fs.writeFileSync(path.join(dir, f.name), data);
const size = (f: AofFile) => fs.statSync(path.join(dir, f.name)).size;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-aofload-'));
  warnings = [];
  const seed = new Keyspace();
  seed.set('from-base', 'b');
  seed.set('n', '1');
  write(base, encodeKeyspace(seed, defaultAux({ 'aof-base': '1' })));
  write(incr1, resp(['SET', 'a', '1'], ['SET', 'b', '2']));
  write(incr2, resp(['DEL', 'a'], ['SET', 'c', '3']));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function load(files: AofFile[], loadTruncated = false) {
  const ks = new Keyspace();
  const ran: string[][] = [];
  const r = await loadAofFiles(dir, files, ks, (argv) => ran.push(argv), { loadTruncated, log });
  return { ks, ran, ...r };
}

describe('loadAofFiles', () => {
  it('loads the RDB base, then the incr files by sequence, skipping history', async () => {
    // listed out of order, with a history file that is already gone
    const r = await load([incr2, hist, incr1, base]);
    expect(r.ks.get('from-base')).toBe('b');
    expect(r.ks.get('n')).toBe('1');
    expect(r.ran).toEqual([['SET', 'a', '1'], ['SET', 'b', '2'], ['DEL', 'a'], ['SET', 'c', '3']]);
    expect(r.commands).toBe(4);
    expect(r.baseSize).toBe(size(base));
  });

  it('loads a base made of commands (aof-use-rdb-preamble no)', async () => {
    const aofBase: AofFile = { name: 'appendonly.aof.1.base.aof', seq: 1, type: 'b' };
    write(aofBase, resp(['SET', 'k', 'v']));
    const r = await load([aofBase, incr1]);
    expect(r.ran[0]).toEqual(['SET', 'k', 'v']);
    expect(r.commands).toBe(3);
  });

  it('a file the manifest lists but the directory lacks: an error naming it', async () => {
    fs.rmSync(path.join(dir, incr2.name));
    await expect(load([base, incr1, incr2])).rejects.toThrow(AofError);
    await expect(load([base, incr1, incr2])).rejects.toThrow("The AOF file appendonly.aof.2.incr.aof listed in the manifest doesn't exist");
  });

  describe('a truncated last file', () => {
    const whole = resp(['DEL', 'a'], ['SET', 'c', '3']);
    const firstEnd = resp(['DEL', 'a']).length;
    beforeEach(() => write(incr2, whole.slice(0, whole.length - 3)));

    it('aof-load-truncated yes: trimmed to the last complete command, with a warning', async () => {
      const r = await load([base, incr1, incr2], true);
      expect(r.ran.at(-1)).toEqual(['DEL', 'a']);
      expect(r.commands).toBe(3);
      expect(size(incr2)).toBe(firstEnd);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`truncating ${whole.length - 3 - firstEnd} bytes at offset ${firstEnd}`);
      const again = await load([base, incr1, incr2], false); // the trimmed file now loads cleanly
      expect(again.commands).toBe(3);
    });

    it('aof-load-truncated no: refused in Redis\'s words, the file left as it was', async () => {
      await expect(load([base, incr1, incr2], false)).rejects.toThrow(
        "Unexpected end of file reading the append only file appendonly.aof.2.incr.aof. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
      );
      expect(warnings.at(-1)).toBe(`Unexpected end of file reading the append only file appendonly.aof.2.incr.aof at offset ${firstEnd} (aof-load-truncated is no)`);
      expect(size(incr2)).toBe(whole.length - 3);
    });
  });

  it('a truncated file that is not the last: refused even with aof-load-truncated', async () => {
    const whole = resp(['SET', 'a', '1'], ['SET', 'b', '2']);
    write(incr1, whole.slice(0, -1));
    await expect(load([base, incr1, incr2], true)).rejects.toThrow(/^Unexpected end of file reading the append only file appendonly\.aof\.1\.incr\.aof\. You can/);
    expect(warnings.at(-1)).toMatch(/at offset \d+ \(not the last file: it cannot be trimmed\)$/);
    expect(size(incr1)).toBe(whole.length - 1);
  });

  it('a corrupt command: refused with the offset, whatever aof-load-truncated says', async () => {
    write(incr2, resp(['DEL', 'a']) + '$3\r\nSET\r\n');
    await expect(load([base, incr1, incr2], true)).rejects.toThrow(
      `Bad file format reading the append only file appendonly.aof.2.incr.aof: expected '*', got byte 36 at offset ${resp(['DEL', 'a']).length}`,
    );
  });

  it('a corrupt RDB base: refused', async () => {
    const b = fs.readFileSync(path.join(dir, base.name));
    b[b.length - 3]! ^= 0xff; // inside the CRC64
    write(base, b);
    await expect(load([base, incr1])).rejects.toThrow();
  });

  describe('transactions (MULTI … EXEC)', () => {
    const before = resp(['SET', 'x', '1']);
    const txn = resp(['MULTI'], ['SET', 't1', 'a'], ['SET', 't2', 'b'], ['INCR', 'n'], ['EXEC']);
    const after = resp(['SET', 'y', '2']);

    it('a whole transaction is applied, its commands in order, without MULTI and EXEC', async () => {
      write(incr2, before + txn + after);
      const r = await load([base, incr1, incr2]);
      expect(r.ran.slice(2)).toEqual([['SET', 'x', '1'], ['SET', 't1', 'a'], ['SET', 't2', 'b'], ['INCR', 'n'], ['SET', 'y', '2']]);
    });

    it('cut anywhere inside it: none of it is applied, and the file is trimmed to its MULTI', async () => {
      for (let cut = 1; cut < txn.length; cut++) {
        write(incr2, before + txn.slice(0, cut));
        warnings = [];
        const r = await load([base, incr1, incr2], true);
        expect(r.ran.slice(2), `cut ${cut}`).toEqual([['SET', 'x', '1']]);
        expect(size(incr2), `cut ${cut}`).toBe(before.length);
        // a cut inside MULTI itself is an ordinary torn command; after it, a revert
        if (cut >= resp(['MULTI']).length) expect(warnings[0], `cut ${cut}`).toBe('Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.2.incr.aof');
        expect(warnings.at(-1), `cut ${cut}`).toMatch(/^!!! Warning: short read/);
        // trimmed: what is appended next is not swallowed by a dangling MULTI
        fs.appendFileSync(path.join(dir, incr2.name), after);
        const again = await load([base, incr1, incr2], false);
        expect(again.ran.slice(2), `cut ${cut}, next load`).toEqual([['SET', 'x', '1'], ['SET', 'y', '2']]);
      }
    });

    it('aof-load-truncated no: refused, nothing of the transaction applied, the file untouched', async () => {
      write(incr2, before + txn.slice(0, -resp(['EXEC']).length)); // every command but EXEC
      const ran: string[][] = [];
      await expect(loadAofFiles(dir, [base, incr1, incr2], new Keyspace(), (a) => ran.push(a), { loadTruncated: false, log })).rejects.toThrow(/^Unexpected end of file reading/);
      expect(ran.flat()).not.toContain('t1');
      expect(warnings[0]).toBe('Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.2.incr.aof');
      expect(size(incr2)).toBe(before.length + txn.length - resp(['EXEC']).length);
    });

    it('a file that is not the last ends inside a transaction: refused', async () => {
      write(incr1, before + txn.slice(0, 20));
      await expect(load([base, incr1, incr2], true)).rejects.toThrow(/^Unexpected end of file reading the append only file appendonly\.aof\.1\.incr\.aof\./);
    });

    it('a nested MULTI or a lone EXEC is a malformed file', async () => {
      write(incr2, before + resp(['MULTI'], ['MULTI']));
      await expect(load([base, incr1, incr2], true)).rejects.toThrow(`Bad file format reading the append only file appendonly.aof.2.incr.aof: Unexpected MULTI at offset ${before.length + 15}`);
      write(incr2, before + resp(['EXEC']));
      await expect(load([base, incr1, incr2], true)).rejects.toThrow(`Unexpected EXEC at offset ${before.length}`);
    });
  });
});
