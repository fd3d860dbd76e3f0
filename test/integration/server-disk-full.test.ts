/**
 * The built-in server on a full disk (a real tmpfs, filled until ENOSPC), checked from outside:
 * in every AOF mode it never acknowledges a write that did not reach the AOF — after a SIGKILL
 * while the disk is still full, every acknowledged write is there — it refuses writes with
 * Redis's `-MISCONF` wording (or closes the connection that wrote), and takes writes again once
 * space is freed; with `always` it exits as redis-server does. A BGSAVE that hits ENOSPC
 * leaves the old dump.rdb as it was and no temp file, and writes are refused until a save
 * succeeds. Skipped, with the reason, where a tmpfs cannot be mounted (not root, not Linux).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fillUntilFull, mountTmpfs, tmpfsUnavailable, type Tmpfs } from '../../src/harness/faults/tmpfs.js';
import { RespError } from '../../src/harness/workload/resp-reader.js';
import { replyText, RespConnection } from '../../src/harness/workload/resp-connection.js';
import { startServer, tempDir, type Spawned } from '../helpers/spawn-server.js';

const why = tmpfsUnavailable();
const mounted: Tmpfs[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) m.unmount();
});

function tmpfsDir(bytes = 2 << 20): string {
  const dir = path.join(tempDir('durabench-enospc-'), 'data');
  fs.mkdirSync(dir);
  mounted.push(mountTmpfs(dir, bytes));
  return dir;
}

type Answer = 'ok' | 'closed' | string;

/** One SET on a connection that is reopened when the server closed it. */
class Writer {
  private conn: RespConnection | null = null;
  readonly acked: string[] = [];
  readonly answers: Answer[] = [];
  constructor(private readonly port: number) {}

  async set(key: string): Promise<Answer> {
    let a: Answer;
    try {
      if (this.conn === null || this.conn.closed) this.conn = await RespConnection.connect(this.port, '127.0.0.1', 1000);
      const r = await this.conn.send(['SET', key, `v-${key}`]);
      a = r instanceof RespError ? r.message : 'ok';
    } catch {
      a = 'closed';
    }
    if (a === 'ok') this.acked.push(key);
    this.answers.push(a);
    return a;
  }

  close(): void {
    this.conn?.close();
  }
}

async function missing(port: number, keys: string[]): Promise<string[]> {
  const c = await RespConnection.connect(port);
  const out: string[] = [];
  for (const k of keys) {
    const v = await c.call('GET', k);
    if (v === null || replyText(v) !== `v-${k}`) out.push(k);
  }
  c.close();
  return out;
}

async function info(port: number, field: string): Promise<string> {
  const c = await RespConnection.connect(port);
  const text = replyText(await c.call('INFO', 'persistence'));
  c.close();
  return new RegExp(`^${field}:(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
}

const aof = (fsync: string, extra: string[] = []) => ['--appendonly', 'yes', '--appendfsync', fsync, '--save', '', ...extra];

describe.skipIf(why !== null)(`built-in server on a full disk${why ? ` (skipped: ${why})` : ''}`, () => {
  for (const [name, flags] of [
    ['everysec', aof('everysec')],
    ['no', aof('no')],
    ['rdb+aof', aof('everysec', ['--save', '3600 1', '--aof-use-rdb-preamble', 'yes'])],
  ] as const) {
    it(`appendfsync ${name}: refuses with MISCONF or closes, acknowledges nothing unwritten, writes again once freed`, async () => {
      const dir = tmpfsDir();
      const s: Spawned = await startServer([...flags], { dir });
      const w = new Writer(s.port);
      for (let i = 0; i < 50; i++) expect(await w.set(`before:${i}`)).toBe('ok');
      fillUntilFull(path.join(dir, 'filler'));
      // the AOF's last page may still take a few commands; then every write is refused
      let i = 0;
      while (w.answers.at(-1) === 'ok' && i < 5000) await w.set(`full:${i++}`);
      for (let j = 0; j < 20; j++) await w.set(`refused:${j}`);
      const refusals = w.answers.filter((a) => a !== 'ok');
      expect(refusals.length).toBeGreaterThanOrEqual(20);
      for (const a of refusals) expect(a).toMatch(/^(closed|MISCONF Errors writing to the AOF file: No space left on device)$/);
      expect(refusals).toContain('MISCONF Errors writing to the AOF file: No space left on device');
      expect(await info(s.port, 'aof_last_write_status')).toBe('err');

      // freed: the retry writes the buffer, and writes are taken again
      fs.rmSync(path.join(dir, 'filler'));
      const deadline = Date.now() + 3000;
      while ((await w.set(`after:${Date.now()}`)) !== 'ok' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(w.answers.at(-1)).toBe('ok');
      expect(await info(s.port, 'aof_last_write_status')).toBe('ok');

      // full again, and killed while full: every acknowledged write must come back
      fillUntilFull(path.join(dir, 'filler2'));
      for (let j = 0; j < 200 && w.answers.at(-1) === 'ok'; j++) await w.set(`again:${j}`);
      expect(w.answers.at(-1)).not.toBe('ok');
      w.close();
      await s.stop('SIGKILL');
      fs.rmSync(path.join(dir, 'filler2'));
      const t = await startServer([...flags], { dir });
      expect(await missing(t.port, w.acked)).toEqual([]);
      await t.stop('SIGKILL');
    }, 15_000);
  }

  it('appendfsync always: exits on the first failed AOF write, as redis-server does; nothing acknowledged is lost', async () => {
    const dir = tmpfsDir();
    const s = await startServer(aof('always'), { dir });
    const w = new Writer(s.port);
    for (let i = 0; i < 20; i++) expect(await w.set(`before:${i}`)).toBe('ok');
    fillUntilFull(path.join(dir, 'filler'));
    for (let i = 0; i < 2000 && w.answers.at(-1) === 'ok'; i++) await w.set(`full:${i}`);
    expect(w.answers.at(-1)).toBe('closed');
    w.close();
    expect(await s.stop('SIGKILL')).toBe(1); // already gone: its own exit code
    expect(s.output()).toMatch(/Can't recover from AOF write error when the AOF fsync policy is 'always'/);
    fs.rmSync(path.join(dir, 'filler'));
    const t = await startServer(aof('always'), { dir });
    expect(await missing(t.port, w.acked)).toEqual([]);
    await t.stop('SIGKILL');
  }, 15_000);

  it('a BGSAVE that hits ENOSPC keeps the old dump.rdb, leaves no temp file, and writes get MISCONF until a save succeeds', async () => {
    const dir = tmpfsDir(4 << 20);
    const s = await startServer(['--appendonly', 'no', '--save', '3600 1'], { dir });
    const c = await RespConnection.connect(s.port);
    const big = 'x'.repeat(1000);
    for (let i = 0; i < 500; i++) await c.call('SET', `k:${i}`, `${i}:${big}`);
    await c.call('SAVE');
    const rdb = path.join(dir, 'dump.rdb');
    const before = crypto.createHash('sha256').update(fs.readFileSync(rdb)).digest('hex');
    for (let i = 500; i < 1000; i++) await c.call('SET', `k:${i}`, `${i}:${crypto.randomBytes(500).toString('hex')}`);
    fillUntilFull(path.join(dir, 'filler'));
    expect(replyText(await c.call('BGSAVE'))).toMatch(/started/);
    const deadline = Date.now() + 5000;
    while ((await info(s.port, 'rdb_bgsave_in_progress')) !== '0' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await info(s.port, 'rdb_last_bgsave_status')).toBe('err');
    expect(crypto.createHash('sha256').update(fs.readFileSync(rdb)).digest('hex')).toBe(before);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('temp-'))).toEqual([]);
    const refused = await c.send(['SET', 'after', '1']);
    expect(refused).toBeInstanceOf(RespError);
    expect((refused as RespError).message).toMatch(/^MISCONF Redis is configured to save RDB snapshots/);
    fs.rmSync(path.join(dir, 'filler'));
    expect(replyText(await c.call('BGSAVE'))).toMatch(/started/);
    while ((await info(s.port, 'rdb_bgsave_in_progress')) !== '0' && Date.now() < deadline + 5000) await new Promise((r) => setTimeout(r, 20));
    expect(await info(s.port, 'rdb_last_bgsave_status')).toBe('ok');
    expect(replyText(await c.call('SET', 'after', '1'))).toBe('OK');
    c.close();
    await s.stop('SIGKILL');
  }, 15_000);
});
